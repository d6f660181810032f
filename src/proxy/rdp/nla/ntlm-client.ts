/**
 * @module The client side of one NTLMv2 exchange (MS-NLMP 3.1.5): NEGOTIATE, then AUTHENTICATE from
 * the server's CHALLENGE (with key exchange, and a MIC over the three messages when the server sent
 * MsvAvTimestamp), then sealing and verifying messages with NTLM2 session security and sequence numbers
 * (3.4.4.2, 3.4.6). Randomness and the clock are injectable so that the published vectors reproduce.
 */
import { randomBytes } from 'node:crypto';
import { protocolError } from '../errors.js';
import { rc4, Rc4 } from './rc4.js';
import { hmacMd5, ntlmv2Response, ntowfv2, sessionKeys } from './ntlm-crypto.js';
import {
  CLIENT_FLAGS,
  MIC_OFFSET,
  MSV_AV_FLAGS,
  MSV_AV_TIMESTAMP,
  NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY,
  NTLMSSP_NEGOTIATE_KEY_EXCH,
  NTLMSSP_NEGOTIATE_UNICODE,
  authenticateMessage,
  encodeAvPairs,
  negotiateMessage,
  parseAvPairs,
  parseChallengeMessage,
  type AvPair,
} from './ntlm-messages.js';

/** Who authenticates. */
export interface NtlmCredentials {
  readonly user: string;
  readonly domain: string;
  readonly password: string;
  readonly workstation: string;
}

/** Sources of randomness and time (tests pass fixed ones). */
export interface NtlmEnvironment {
  /** @returns `n` random bytes */
  readonly random?: (n: number) => Buffer;
  /** @returns the current time as a Windows FILETIME (100 ns since 1601) */
  readonly now?: () => bigint;
}

const FILETIME_UNIX_EPOCH = 116_444_736_000_000_000n;
const MIC_PRESENT = 0x00000002;
const SIGNATURE_LENGTH = 16;

/** The RC4 handles and signing keys of both directions. */
interface Sealing {
  readonly seal: Rc4;
  readonly unseal: Rc4;
  readonly sign: Buffer;
  readonly verify: Buffer;
}

/** One NTLMv2 client security context. */
export class NtlmClient {
  readonly #credentials: NtlmCredentials;
  readonly #random: (n: number) => Buffer;
  readonly #now: () => bigint;
  #negotiate: Buffer | undefined;
  #sealing: Sealing | undefined;
  #sendSeq = 0;
  #receiveSeq = 0;
  /** The exported session key, once AUTHENTICATE is built. */
  exportedSessionKey: Buffer | undefined;

  /**
   * @param credentials user, domain, password and workstation name
   * @param environment randomness and clock
   */
  constructor(credentials: NtlmCredentials, environment: NtlmEnvironment = {}) {
    this.#credentials = credentials;
    this.#random = environment.random ?? randomBytes;
    this.#now = environment.now ?? (() => BigInt(Date.now()) * 10_000n + FILETIME_UNIX_EPOCH);
  }

  /** @returns the NEGOTIATE_MESSAGE */
  negotiate(): Buffer {
    this.#negotiate = negotiateMessage(CLIENT_FLAGS);
    return this.#negotiate;
  }

  /**
   * Answers the server's CHALLENGE_MESSAGE and derives the session keys.
   * @param challengeBytes the CHALLENGE_MESSAGE
   * @returns the AUTHENTICATE_MESSAGE
   */
  authenticate(challengeBytes: Buffer): Buffer {
    const negotiate = this.#negotiate ?? this.negotiate();
    const challenge = parseChallengeMessage(challengeBytes);
    const flags = challenge.flags;
    if ((flags & NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY) === 0) {
      throw protocolError(
        'RDP_NTLM_UNSUPPORTED',
        'the NTLM server does not offer extended session security (NTLMv2 only is supported).',
      );
    }
    if ((flags & NTLMSSP_NEGOTIATE_UNICODE) === 0) {
      throw protocolError('RDP_NTLM_UNSUPPORTED', 'the NTLM server does not offer Unicode.');
    }
    const pairs = challenge.targetInfo.length > 0 ? parseAvPairs(challenge.targetInfo) : [];
    const timestamp = pairs.find((pair) => pair.id === MSV_AV_TIMESTAMP)?.value;
    if (timestamp !== undefined && timestamp.length !== 8) {
      throw protocolError('RDP_BAD_NTLM', `MsvAvTimestamp of ${timestamp.length} bytes.`);
    }
    const withMic = timestamp !== undefined;
    const time = timestamp ?? filetime(this.#now());
    const { user, domain, password, workstation } = this.#credentials;
    const response = ntlmv2Response(
      ntowfv2(user, domain, password),
      challenge.serverChallenge,
      this.#random(8),
      time,
      withMic ? encodeAvPairs(withMicFlag(pairs)) : challenge.targetInfo,
    );
    // NTLMv2: KeyExchangeKey = SessionBaseKey.
    const keyExchangeKey = response.sessionBaseKey;
    let exported: Buffer = keyExchangeKey;
    let encryptedSessionKey: Buffer = Buffer.alloc(0);
    if (flags & NTLMSSP_NEGOTIATE_KEY_EXCH) {
      exported = this.#random(16);
      encryptedSessionKey = rc4(keyExchangeKey, exported);
    }
    const message = authenticateMessage({
      flags,
      // With MsvAvTimestamp the LMv2 response is all zeros (MS-NLMP 3.1.5.1.2).
      lmResponse: withMic ? Buffer.alloc(24) : response.lmResponse,
      ntResponse: response.ntResponse,
      domain,
      user,
      workstation,
      encryptedSessionKey,
      withMic,
    });
    if (withMic) {
      hmacMd5(exported, negotiate, challengeBytes, message).copy(message, MIC_OFFSET);
    }
    this.exportedSessionKey = exported;
    const keys = sessionKeys(exported, flags);
    this.#sealing = {
      seal: new Rc4(keys.clientSealing),
      unseal: new Rc4(keys.serverSealing),
      sign: keys.clientSigning,
      verify: keys.serverSigning,
    };
    return message;
  }

  /**
   * Seals a message for the server (EncryptMessage): signature then ciphertext.
   * @param message the plaintext
   * @returns the 16-byte signature followed by the sealed message
   */
  seal(message: Uint8Array): Buffer {
    const sealing = this.#keys();
    const seq = u32(this.#sendSeq++);
    const sealed = sealing.seal.update(message);
    const checksum = sealing.seal.update(hmacMd5(sealing.sign, seq, message).subarray(0, 8));
    return Buffer.concat([u32(1), checksum, seq, sealed]);
  }

  /**
   * Unseals and verifies a message from the server (DecryptMessage).
   * @param token the 16-byte signature followed by the sealed message
   * @returns the plaintext
   */
  unseal(token: Uint8Array): Buffer {
    const sealing = this.#keys();
    if (token.length < SIGNATURE_LENGTH) {
      throw protocolError('RDP_BAD_NTLM', `sealed NTLM message of ${token.length} bytes.`);
    }
    const signature = Buffer.from(token.subarray(0, SIGNATURE_LENGTH));
    const seq = u32(this.#receiveSeq++);
    const message = sealing.unseal.update(token.subarray(SIGNATURE_LENGTH));
    const checksum = sealing.unseal.update(hmacMd5(sealing.verify, seq, message).subarray(0, 8));
    const expected = Buffer.concat([u32(1), checksum, seq]);
    if (!expected.equals(signature)) {
      throw protocolError('RDP_NTLM_SIGNATURE', "the server's NTLM message signature is wrong.");
    }
    return message;
  }

  #keys(): Sealing {
    if (this.#sealing === undefined) throw new Error('NTLM sealing before AUTHENTICATE');
    return this.#sealing;
  }
}

/** Copies the server's pairs with MsvAvFlags' "MIC present" bit set. */
function withMicFlag(pairs: readonly AvPair[]): AvPair[] {
  const old = pairs.find((pair) => pair.id === MSV_AV_FLAGS)?.value;
  const value = Buffer.alloc(4);
  value.writeUInt32LE(((old?.length === 4 ? old.readUInt32LE(0) : 0) | MIC_PRESENT) >>> 0);
  return [...pairs.filter((pair) => pair.id !== MSV_AV_FLAGS), { id: MSV_AV_FLAGS, value }];
}

function filetime(value: bigint): Buffer {
  const out = Buffer.alloc(8);
  out.writeBigUInt64LE(value);
  return out;
}

function u32(value: number): Buffer {
  const out = Buffer.alloc(4);
  out.writeUInt32LE(value >>> 0);
  return out;
}
