/**
 * @module NTLMv2 against MS-NLMP 4.2.4's published values (user "User", domain "Domain", password
 * "Password", server challenge 0123456789abcdef, client challenge aa…, time 0, random session key
 * 55…): NTOWFv2, LMv2, NTProofStr, the AUTHENTICATE fields, the encrypted session key, the signing and
 * sealing keys and the sealed "Plaintext". Then the MIC path, verification and malformed challenges.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GuacamoleError } from '../../../../src/protocol/index.js';
import { NtlmClient } from '../../../../src/proxy/rdp/nla/ntlm-client.js';
import {
  hmacMd5,
  ntlmv2Response,
  ntowfv2,
  sessionKeys,
} from '../../../../src/proxy/rdp/nla/ntlm-crypto.js';
import {
  MIC_OFFSET,
  encodeAvPairs,
  parseAvPairs,
} from '../../../../src/proxy/rdp/nla/ntlm-messages.js';
import { Rc4 } from '../../../../src/proxy/rdp/nla/rc4.js';

const SERVER_CHALLENGE = Buffer.from('0123456789abcdef', 'hex');
const CLIENT_CHALLENGE = Buffer.alloc(8, 0xaa);
const RANDOM_SESSION_KEY = Buffer.alloc(16, 0x55);
/** MS-NLMP 4.2.4: NTLMSSP_NEGOTIATE_56|KEY_EXCH|128|VERSION|TARGET_INFO|EXTENDED_SESSIONSECURITY|… */
const SPEC_FLAGS = 0xe28a8233;
const TARGET_INFO = encodeAvPairs([
  { id: 2, value: Buffer.from('Domain', 'utf16le') },
  { id: 1, value: Buffer.from('Server', 'utf16le') },
]);

/** A CHALLENGE_MESSAGE with the spec's challenge and the given target info. */
function challenge(targetInfo: Buffer, flags = SPEC_FLAGS): Buffer {
  const head = Buffer.alloc(48);
  head.write('NTLMSSP\0', 'latin1');
  head.writeUInt32LE(2, 8);
  head.writeUInt32LE(flags, 20);
  SERVER_CHALLENGE.copy(head, 24);
  head.writeUInt16LE(targetInfo.length, 40);
  head.writeUInt16LE(targetInfo.length, 42);
  head.writeUInt32LE(48, 44);
  return Buffer.concat([head, targetInfo]);
}

function specClient(): NtlmClient {
  return new NtlmClient(
    { user: 'User', domain: 'Domain', password: 'Password', workstation: 'COMPUTER' },
    { random: (n) => (n === 8 ? CLIENT_CHALLENGE : RANDOM_SESSION_KEY), now: () => 0n },
  );
}

/** Reads a security buffer (length, max length, offset) field of a message. */
function field(message: Buffer, at: number): Buffer {
  const length = message.readUInt16LE(at);
  assert.equal(message.readUInt16LE(at + 2), length);
  const offset = message.readUInt32LE(at + 4);
  return message.subarray(offset, offset + length);
}

const hex = (b: Buffer) => b.toString('hex');

describe('NTLMv2 (MS-NLMP 4.2.4)', () => {
  it('computes NTOWFv2, LMv2, NTProofStr and the session base key', () => {
    const key = ntowfv2('User', 'Domain', 'Password');
    assert.equal(hex(key), '0c868a403bfd7a93a3001ef22ef02e3f');
    const time = Buffer.alloc(8);
    const response = ntlmv2Response(key, SERVER_CHALLENGE, CLIENT_CHALLENGE, time, TARGET_INFO);
    assert.equal(hex(response.lmResponse), '86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
    assert.equal(hex(response.ntProofStr), '68cd0ab851e51c96aabc927bebef6a1c');
    assert.equal(hex(response.sessionBaseKey), '8de40ccadbc14a82f15cb0ad0de95ca3');
    assert.equal(
      hex(response.ntResponse.subarray(16)),
      '0101000000000000' + '0000000000000000' + 'aaaaaaaaaaaaaaaa' + '00000000' +
        '02000c0044006f006d00610069006e00' + '01000c0053006500720076006500720000000000' +
        '00000000',
    ); // prettier-ignore
    // The user name is case-insensitive, the domain is not.
    assert.deepEqual(ntowfv2('USER', 'Domain', 'Password'), key);
    assert.notDeepEqual(ntowfv2('User', 'DOMAIN', 'Password'), key);
  });

  it('builds the AUTHENTICATE_MESSAGE with the published fields', () => {
    const message = specClient().authenticate(challenge(TARGET_INFO));
    assert.equal(message.subarray(0, 12).toString('latin1'), 'NTLMSSP\0\x03\0\0\0');
    assert.equal(hex(field(message, 12)), '86c35097ac9cec102554764a57cccc19aaaaaaaaaaaaaaaa');
    assert.equal(hex(field(message, 20).subarray(0, 16)), '68cd0ab851e51c96aabc927bebef6a1c');
    assert.equal(field(message, 28).toString('utf16le'), 'Domain');
    assert.equal(field(message, 36).toString('utf16le'), 'User');
    assert.equal(field(message, 44).toString('utf16le'), 'COMPUTER');
    assert.equal(hex(field(message, 52)), 'c5dad2544fc9799094ce1ce90bc9d03e');
    assert.equal(message.readUInt32LE(60), SPEC_FLAGS);
    // Without MsvAvTimestamp there is no MIC: the payload starts right after the version, at 72.
    assert.equal(message.readUInt32LE(32), 72);
  });

  it('derives the published keys and seals "Plaintext" as published', () => {
    const keys = sessionKeys(RANDOM_SESSION_KEY, SPEC_FLAGS);
    assert.equal(hex(keys.clientSigning), '4788dc861b4782f35d43fd98fe1a2d39');
    assert.equal(hex(keys.clientSealing), '59f600973cc4960a25480a7c196e4c58');
    const client = specClient();
    client.authenticate(challenge(TARGET_INFO));
    const sealed = client.seal(Buffer.from('Plaintext', 'utf16le'));
    assert.equal(hex(sealed.subarray(0, 16)), '010000007fb38ec5c55d497600000000');
    assert.equal(hex(sealed.subarray(16)), '54e50165bf1936dc996020c1811b0f06fb5f');
    // The next message carries sequence number 1.
    assert.equal(client.seal(Buffer.from('x')).readUInt32LE(12), 1);
  });

  it('verifies and unseals server messages in sequence, and refuses altered ones', () => {
    const keys = sessionKeys(RANDOM_SESSION_KEY, SPEC_FLAGS);
    const server = new Rc4(keys.serverSealing);
    const sealAsServer = (text: string, seq: number) => {
      const plain = Buffer.from(text);
      const seqBytes = Buffer.alloc(4);
      seqBytes.writeUInt32LE(seq);
      const body = server.update(plain);
      const checksum = server.update(hmacMd5(keys.serverSigning, seqBytes, plain).subarray(0, 8));
      return Buffer.concat([Buffer.from([1, 0, 0, 0]), checksum, seqBytes, body]);
    };
    const client = specClient();
    client.authenticate(challenge(TARGET_INFO));
    assert.equal(client.unseal(sealAsServer('first', 0)).toString(), 'first');
    assert.equal(client.unseal(sealAsServer('second', 1)).toString(), 'second');
    const altered = sealAsServer('third', 2);
    altered.writeUInt8((altered.at(-1) ?? 0) ^ 1, altered.length - 1);
    assert.throws(() => client.unseal(altered), /signature is wrong/);
    assert.throws(() => client.unseal(Buffer.alloc(10)), /10 bytes/);
  });

  it('adds a MIC over the three messages when the server sends MsvAvTimestamp', () => {
    const stamp = Buffer.from('0090d336b734c301', 'hex');
    const info = encodeAvPairs([
      { id: 2, value: Buffer.from('Domain', 'utf16le') },
      { id: 7, value: stamp },
    ]);
    const client = specClient();
    const negotiate = client.negotiate();
    const challengeBytes = challenge(info);
    const message = client.authenticate(challengeBytes);
    assert.equal(message.readUInt32LE(32), 88, 'payload after the MIC field');
    assert.deepEqual(field(message, 12), Buffer.alloc(24), 'LMv2 is zero with a timestamp');
    const nt = field(message, 20);
    assert.deepEqual(nt.subarray(24, 32), stamp, 'the server time is used');
    const pairs = parseAvPairs(nt.subarray(44));
    assert.equal(pairs.find((p) => p.id === 6)?.value.readUInt32LE(0), 2, 'MsvAvFlags: MIC');
    const zeroed = Buffer.from(message);
    zeroed.fill(0, MIC_OFFSET, MIC_OFFSET + 16);
    const exported = client.exportedSessionKey ?? Buffer.alloc(0);
    assert.deepEqual(exported, RANDOM_SESSION_KEY);
    assert.deepEqual(
      message.subarray(MIC_OFFSET, MIC_OFFSET + 16),
      hmacMd5(exported, negotiate, challengeBytes, zeroed),
    );
  });

  it('refuses malformed or unsupported challenges with a named 515 error', () => {
    const expect515 = (data: Buffer, pattern: RegExp) => {
      assert.throws(
        () => specClient().authenticate(data),
        (error: unknown) =>
          error instanceof GuacamoleError &&
          error.status.guac === 515 &&
          pattern.test(error.message),
      );
    };
    expect515(Buffer.alloc(20), /needs 48 bytes/);
    const wrongType = challenge(TARGET_INFO);
    wrongType.writeUInt32LE(3, 8);
    expect515(wrongType, /not an NTLM CHALLENGE_MESSAGE/);
    const outside = challenge(TARGET_INFO);
    outside.writeUInt16LE(500, 40);
    expect515(outside, /lies outside/);
    expect515(challenge(TARGET_INFO.subarray(0, TARGET_INFO.length - 4)), /no MsvAvEOL/);
    const badPair = Buffer.from(TARGET_INFO);
    badPair.writeUInt16LE(200, 2);
    expect515(challenge(badPair), /AV_PAIR needs 200 bytes/);
    expect515(
      challenge(TARGET_INFO, (SPEC_FLAGS & ~0x00080000) >>> 0),
      /extended session security/,
    );
    const badStamp = encodeAvPairs([{ id: 7, value: Buffer.alloc(3) }]);
    expect515(challenge(badStamp), /MsvAvTimestamp of 3 bytes/);
  });
});
