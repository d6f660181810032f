/**
 * @module CredSSP's DER structures: TSRequest round trips for versions 2 to 6 with every field (and a
 * negative NTSTATUS errorCode), byte-exact small encodings, TSCredentials decoded independently, the
 * stream reader at every split point, malformed input as named 515 errors, and subjectPublicKey from a
 * real certificate with the version 5+ binding hashes.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate, createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, it } from 'node:test';
import { GuacamoleError } from '../../../../src/protocol/index.js';
import {
  certificatePublicKey,
  clientBinding,
  serverBinding,
} from '../../../../src/proxy/rdp/nla/public-key.js';
import {
  TsRequestReader,
  decodeTsRequest,
  encodeTsCredentials,
  encodeTsRequest,
  type TsRequest,
} from '../../../../src/proxy/rdp/nla/ts-request.js';
import { decodeCredentials } from './fake-credssp-server.js';

const is515 = (pattern: RegExp) => (error: unknown) =>
  error instanceof GuacamoleError && error.status.guac === 515 && pattern.test(error.message);

describe('TSRequest', () => {
  it('round-trips every field for versions 2 to 6', () => {
    for (const version of [2, 3, 4, 5, 6]) {
      const request: TsRequest = {
        version,
        negoTokens: [Buffer.from('token one'), Buffer.alloc(300, 7)],
        authInfo: Buffer.alloc(200, 1),
        pubKeyAuth: Buffer.alloc(290, 2),
        ...(version >= 3 ? { errorCode: 0xc000006d } : {}),
        ...(version >= 5 ? { clientNonce: Buffer.alloc(32, 3) } : {}),
      };
      assert.deepEqual(decodeTsRequest(encodeTsRequest(request)), request);
    }
  });

  it('encodes a small request exactly as DER', () => {
    const bytes = encodeTsRequest({ version: 6, negoTokens: [Buffer.from([0xab])] });
    assert.equal(bytes.toString('hex'), '3010a003020106a10930073005a0030401ab');
    assert.equal(
      encodeTsRequest({ version: 3, errorCode: 0xc000006d }).toString('hex'),
      '300da003020103a406020' + '4c000006d',
    );
    // A positive errorCode keeps its sign with a leading zero byte when needed.
    assert.equal(decodeTsRequest(encodeTsRequest({ version: 3, errorCode: 0x80 })).errorCode, 0x80);
  });

  it('skips unknown context fields and refuses malformed requests', () => {
    const withExtra = Buffer.from('300aa003020106a703020101', 'hex');
    assert.deepEqual(decodeTsRequest(withExtra), { version: 6 });
    assert.throws(() => decodeTsRequest(Buffer.from('3100', 'hex')), is515(/tag 0x31/));
    assert.throws(
      () => decodeTsRequest(Buffer.from('3006a003020106', 'hex')),
      is515(/needs 6 bytes/),
    );
    assert.throws(() => decodeTsRequest(Buffer.from('3003a10100', 'hex')), is515(/TSRequest/));
    assert.throws(() => decodeTsRequest(Buffer.from('3000', 'hex')), is515(/without a version/));
    assert.throws(
      () => decodeTsRequest(Buffer.from('300aa0080206010000000000', 'hex')),
      is515(/version: 6-byte integer/),
    );
    assert.throws(
      () => decodeTsRequest(Buffer.from('3007a0050203010000', 'hex').subarray(0, 8)),
      is515(/needs/),
    );
    const trailing = Buffer.concat([encodeTsRequest({ version: 2 }), Buffer.from([0])]);
    assert.throws(() => decodeTsRequest(trailing), is515(/1 bytes after/));
  });

  it('encodes TSCredentials with TSPasswordCreds in UTF-16LE', () => {
    const creds = encodeTsCredentials('DOMÄIN', 'üser', 'pässwörd'.repeat(20));
    assert.deepEqual(decodeCredentials(creds), {
      domain: 'DOMÄIN',
      user: 'üser',
      password: 'pässwörd'.repeat(20),
    });
  });
});

describe('TsRequestReader', () => {
  it('reassembles requests split at every byte, with several per chunk', () => {
    const one = encodeTsRequest({ version: 6, pubKeyAuth: Buffer.alloc(400, 9) });
    const two = encodeTsRequest({ version: 6, errorCode: 5 });
    const stream = Buffer.concat([one, two]);
    const drain = (reader: TsRequestReader) => {
      const out: Buffer[] = [];
      for (let m = reader.next(); m !== undefined; m = reader.next()) out.push(m);
      return out;
    };
    for (let split = 0; split <= stream.length; split++) {
      const reader = new TsRequestReader();
      reader.push(stream.subarray(0, split));
      const out = drain(reader);
      reader.push(stream.subarray(split));
      assert.deepEqual([...out, ...drain(reader)], [one, two], `split at ${split}`);
    }
    const bytewise = new TsRequestReader();
    const out = [...stream].flatMap((byte) => {
      bytewise.push(Buffer.from([byte]));
      return drain(bytewise);
    });
    assert.deepEqual(out, [one, two]);
    // Bytes after a request (the first TPKT after CredSSP) are left alone until taken.
    const rest = new TsRequestReader();
    rest.push(Buffer.concat([two, Buffer.from([3, 0])]));
    assert.deepEqual(rest.next(), two);
    assert.deepEqual(rest.takeRest(), Buffer.from([3, 0]));
  });

  it('refuses a stream that is not DER or announces a huge request', () => {
    const next = (hex: string) => () => {
      const reader = new TsRequestReader();
      reader.push(Buffer.from(hex, 'hex'));
      return reader.next();
    };
    assert.throws(next('0300000b'), is515(/got byte 0x3/));
    assert.throws(next('3084'), is515(/length of 4 bytes/));
    assert.throws(next('3083100000'), is515(/too long/));
    assert.equal(next('30820100')(), undefined, 'incomplete, not an error');
  });
});

describe('public-key binding', () => {
  it('binds the certificate subjectPublicKey as MS-CSSP says for each version', () => {
    const dir = mkdtempSync(path.join(os.tmpdir(), 'nla-cert-'));
    const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=x'];
    args.push('-keyout', path.join(dir, 'k'), '-out', path.join(dir, 'c'));
    assert.equal(spawnSync('openssl', args).status, 0);
    const certificate = new X509Certificate(readFileSync(path.join(dir, 'c')));
    rmSync(dir, { recursive: true });
    const key = certificatePublicKey(certificate);
    // For RSA the BIT STRING holds the PKCS#1 RSAPublicKey.
    const pkcs1 = certificate.publicKey.export({ type: 'pkcs1', format: 'der' });
    assert.deepEqual(key, pkcs1);
    const nonce = Buffer.alloc(32, 0x42);
    assert.deepEqual(clientBinding(4, key, nonce), key);
    const bumped = serverBinding(2, key, nonce);
    assert.equal(bumped[0], ((key[0] ?? 0) + 1) & 0xff);
    assert.deepEqual(bumped.subarray(1), key.subarray(1));
    const sha = (magic: string) =>
      createHash('sha256')
        .update(Buffer.concat([Buffer.from(`CredSSP ${magic} Binding Hash\0`), nonce, key]))
        .digest();
    assert.deepEqual(clientBinding(5, key, nonce), sha('Client-To-Server'));
    assert.deepEqual(serverBinding(6, key, nonce), sha('Server-To-Client'));
  });
});
