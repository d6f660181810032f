/**
 * @module Our MD4 against the RFC 1320 test suite and our RC4 against RFC 6229's key streams, including
 * a stream continued across calls as NTLM's sealing handles use it.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { md4 } from '../../../../src/proxy/rdp/nla/md4.js';
import { Rc4, rc4 } from '../../../../src/proxy/rdp/nla/rc4.js';

describe('MD4', () => {
  it('reproduces the RFC 1320 test suite', () => {
    const vectors: [string, string][] = [
      ['', '31d6cfe0d16ae931b73c59d7e0c089c0'],
      ['a', 'bde52cb31de33e46245e05fbdbd6fb24'],
      ['abc', 'a448017aaf21d8525fc10ae87aa6729d'],
      ['message digest', 'd9130a8164549fe818874806e1c7014b'],
      ['abcdefghijklmnopqrstuvwxyz', 'd79e1c308aa5bbcdeea8ed63df412da9'],
      [
        'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789',
        '043f8582f241db351ce627e153e7f0e4',
      ],
      ['1234567890'.repeat(8), 'e33b4ddc9c38f2199c3e7b164fcc0536'],
    ];
    for (const [input, digest] of vectors) {
      assert.equal(md4(Buffer.from(input, 'latin1')).toString('hex'), digest, input);
    }
  });

  it('gives the NT hash of "Password" (MD4 of its UTF-16LE) and handles block boundaries', () => {
    assert.equal(
      md4(Buffer.from('Password', 'utf16le')).toString('hex'),
      'a4f49c406510bdcab6824ee7c30fd852',
    );
    // 55, 56 and 64 bytes straddle the padding boundary; all must be distinct 16-byte digests.
    const digests = [55, 56, 63, 64, 65, 1000].map((n) =>
      md4(Buffer.alloc(n, 0x61)).toString('hex'),
    );
    assert.equal(new Set(digests).size, digests.length);
    assert.ok(digests.every((d) => d.length === 32));
  });
});

describe('RC4', () => {
  it('reproduces RFC 6229 key streams', () => {
    const zeros = Buffer.alloc(32);
    assert.equal(
      rc4(Buffer.from('0102030405', 'hex'), zeros).toString('hex'),
      'b2396305f03dc027ccc3524a0a1118a86982944f18fc82d589c403a47a0d0919',
    );
    assert.equal(
      rc4(Buffer.from('0102030405060708090a0b0c0d0e0f10', 'hex'), zeros.subarray(0, 16)).toString(
        'hex',
      ),
      '9ac7cc9a609d1ef7b2932899cde41b97',
    );
  });

  it('continues the key stream across calls and decrypts what it encrypted', () => {
    const key = Buffer.from('0102030405', 'hex');
    const stream = new Rc4(key);
    const parts = [stream.update(Buffer.alloc(3)), stream.update(Buffer.alloc(29))];
    assert.deepEqual(Buffer.concat(parts), rc4(key, Buffer.alloc(32)));
    const text = Buffer.from('sealed message');
    assert.deepEqual(rc4(key, rc4(key, text)), text);
    assert.throws(() => new Rc4(Buffer.alloc(0)), RangeError);
  });
});
