/**
 * @module The server side of CredSSP over NTLMv2, for tests: it issues a CHALLENGE (optionally with
 * MsvAvTimestamp, so the client must send a MIC), checks the client's NTProofStr against the password
 * it knows, verifies the MIC and the public-key binding, answers with its own binding, and unseals the
 * TSCredentials. Built from our NTLM pieces plus independent checks; every check failure is recorded.
 */
import { randomBytes } from 'node:crypto';
import { BER_OCTET_STRING, BER_SEQUENCE, readBerLength } from '../../../../src/proxy/rdp/ber.js';
import { ByteReader } from '../../../../src/proxy/rdp/bytes.js';
import { Rc4, rc4 } from '../../../../src/proxy/rdp/nla/rc4.js';
import { hmacMd5, ntowfv2, sessionKeys } from '../../../../src/proxy/rdp/nla/ntlm-crypto.js';
import {
  CLIENT_FLAGS,
  MIC_OFFSET,
  encodeAvPairs,
  parseAvPairs,
} from '../../../../src/proxy/rdp/nla/ntlm-messages.js';
import { clientBinding, serverBinding } from '../../../../src/proxy/rdp/nla/public-key.js';
import { decodeTsRequest, encodeTsRequest } from '../../../../src/proxy/rdp/nla/ts-request.js';

/** What the fake server was told. */
export interface ReceivedCredentials {
  readonly domain: string;
  readonly user: string;
  readonly password: string;
}

/** How the fake server behaves. */
export interface FakeCredSspOptions {
  readonly user: string;
  readonly domain: string;
  readonly password: string;
  readonly publicKey: Buffer;
  /** The CredSSP version it announces (default 6). */
  readonly version?: number;
  /** Send MsvAvTimestamp (default true). */
  readonly timestamp?: boolean;
  /** Answer a wrong password with this errorCode instead of failing. */
  readonly errorCode?: number;
  /** Corrupt the server's pubKeyAuth binding. */
  readonly badBinding?: boolean;
}

/** One server-side CredSSP exchange, driven message by message. */
export class FakeCredSspServer {
  readonly #options: FakeCredSspOptions;
  readonly #serverChallenge = randomBytes(8);
  #negotiate: Buffer = Buffer.alloc(0);
  #challenge: Buffer = Buffer.alloc(0);
  #version = 6;
  #keys: { sign: Buffer; unseal: Rc4; seal: Rc4; serverSign: Buffer } | undefined;
  #nonce: Buffer = Buffer.alloc(0);
  #clientSeq = 0;
  /** Problems found in the client's messages. */
  readonly problems: string[] = [];
  /** The credentials from authInfo, once received. */
  credentials: ReceivedCredentials | undefined;
  /** Whether the client's AUTHENTICATE carried a valid MIC. */
  micVerified = false;

  /** @param options the account and behaviour */
  constructor(options: FakeCredSspOptions) {
    this.#options = options;
  }

  /**
   * Handles one client TSRequest.
   * @param data the TSRequest
   * @returns the reply, or undefined when none is due (after authInfo)
   */
  handle(data: Buffer): Buffer | undefined {
    const request = decodeTsRequest(data);
    const version = this.#options.version ?? 6;
    const token = request.negoTokens?.[0];
    if (this.#challenge.length === 0) {
      if (token === undefined) throw new Error('no NEGOTIATE');
      this.#negotiate = token;
      this.#challenge = this.#challengeMessage();
      return encodeTsRequest({ version, negoTokens: [this.#challenge] });
    }
    if (this.#keys === undefined) {
      if (token === undefined || request.pubKeyAuth === undefined)
        throw new Error('no AUTHENTICATE');
      this.#version = Math.min(version, request.version);
      if (!this.#authenticate(token)) {
        if (this.#options.errorCode === undefined) throw new Error('wrong password');
        return encodeTsRequest({ version, errorCode: this.#options.errorCode });
      }
      this.#nonce = request.clientNonce ?? Buffer.alloc(0);
      if (this.#version >= 5 && this.#nonce.length !== 32) this.problems.push('no client nonce');
      const binding = this.#unseal(request.pubKeyAuth);
      const expected = clientBinding(this.#version, this.#options.publicKey, this.#nonce);
      if (!binding.equals(expected)) this.problems.push('client binding mismatch');
      let reply = serverBinding(this.#version, this.#options.publicKey, this.#nonce);
      if (this.#options.badBinding === true) reply = Buffer.alloc(reply.length, 7);
      return encodeTsRequest({ version, pubKeyAuth: this.#seal(reply) });
    }
    if (request.authInfo === undefined) throw new Error('no authInfo');
    this.credentials = decodeCredentials(this.#unseal(request.authInfo));
    return undefined;
  }

  #challengeMessage(): Buffer {
    const pairs = [
      { id: 2, value: Buffer.from('TESTDOM', 'utf16le') },
      { id: 1, value: Buffer.from('SERVER', 'utf16le') },
    ];
    if (this.#options.timestamp !== false) {
      const time = Buffer.alloc(8);
      time.writeBigUInt64LE(133_000_000_000_000_000n);
      pairs.push({ id: 7, value: time });
    }
    const info = encodeAvPairs(pairs);
    const head = Buffer.alloc(56);
    head.write('NTLMSSP\0', 'latin1');
    head.writeUInt32LE(2, 8);
    head.writeUInt32LE((CLIENT_FLAGS | 0x00800000) >>> 0, 20);
    this.#serverChallenge.copy(head, 24);
    head.writeUInt16LE(info.length, 40);
    head.writeUInt16LE(info.length, 42);
    head.writeUInt32LE(56, 44);
    return Buffer.concat([head, info]);
  }

  /** @returns whether the NTProofStr matches the password */
  #authenticate(message: Buffer): boolean {
    const field = (at: number) => {
      const length = message.readUInt16LE(at);
      const offset = message.readUInt32LE(at + 4);
      return message.subarray(offset, offset + length);
    };
    const nt = field(20);
    const user = field(36).toString('utf16le');
    const domain = field(28).toString('utf16le');
    const key = ntowfv2(this.#options.user, this.#options.domain, this.#options.password);
    const proof = hmacMd5(key, this.#serverChallenge, nt.subarray(16));
    if (
      user.toUpperCase() !== this.#options.user.toUpperCase() ||
      domain !== this.#options.domain
    ) {
      return false;
    }
    if (!proof.equals(nt.subarray(0, 16))) return false;
    const sessionBaseKey = hmacMd5(key, proof);
    const exported = rc4(sessionBaseKey, field(52));
    const pairs = parseAvPairs(nt.subarray(44));
    const flags = pairs.find((pair) => pair.id === 6)?.value.readUInt32LE(0) ?? 0;
    if (this.#options.timestamp !== false) {
      const zeroed = Buffer.from(message);
      zeroed.fill(0, MIC_OFFSET, MIC_OFFSET + 16);
      const mic = hmacMd5(exported, this.#negotiate, this.#challenge, zeroed);
      this.micVerified =
        (flags & 2) !== 0 && mic.equals(message.subarray(MIC_OFFSET, MIC_OFFSET + 16));
      if (!this.micVerified) this.problems.push('bad MIC');
      if (!field(12).equals(Buffer.alloc(24))) this.problems.push('LMv2 not zero with a timestamp');
    }
    const keys = sessionKeys(exported, message.readUInt32LE(60));
    this.#keys = {
      sign: keys.clientSigning,
      unseal: new Rc4(keys.clientSealing),
      seal: new Rc4(keys.serverSealing),
      serverSign: keys.serverSigning,
    };
    return true;
  }

  #unseal(token: Buffer): Buffer {
    const keys = this.#keys;
    if (keys === undefined) throw new Error('no keys');
    const seq = Buffer.alloc(4);
    seq.writeUInt32LE(this.#clientSeq++);
    const plain = keys.unseal.update(token.subarray(16));
    const checksum = keys.unseal.update(hmacMd5(keys.sign, seq, plain).subarray(0, 8));
    if (!token.subarray(4, 12).equals(checksum) || !token.subarray(12, 16).equals(seq)) {
      this.problems.push(`bad client signature at sequence ${this.#clientSeq - 1}`);
    }
    return plain;
  }

  #seal(message: Buffer): Buffer {
    const keys = this.#keys;
    if (keys === undefined) throw new Error('no keys');
    const seq = Buffer.alloc(4);
    const sealed = keys.seal.update(message);
    const checksum = keys.seal.update(hmacMd5(keys.serverSign, seq, message).subarray(0, 8));
    return Buffer.concat([Buffer.from([1, 0, 0, 0]), checksum, seq, sealed]);
  }
}

/** Decodes TSCredentials → TSPasswordCreds independently of the encoder. */
export function decodeCredentials(data: Buffer): ReceivedCredentials {
  const take = (reader: ByteReader, tag: number) => {
    const got = reader.u8();
    if (got !== tag) throw new Error(`tag 0x${got.toString(16)} instead of 0x${tag.toString(16)}`);
    return reader.sub(readBerLength(reader));
  };
  const credentials = take(new ByteReader(data), BER_SEQUENCE);
  const credType = take(take(credentials, 0xa0), 0x02);
  if (credType.u8() !== 1) throw new Error('credType is not 1 (password)');
  const inner = take(take(credentials, 0xa1), BER_OCTET_STRING);
  const creds = take(inner, BER_SEQUENCE);
  const text = (tag: number) => {
    const value = take(take(creds, tag), BER_OCTET_STRING);
    return Buffer.from(value.bytes(value.remaining)).toString('utf16le');
  };
  return { domain: text(0xa0), user: text(0xa1), password: text(0xa2) };
}
