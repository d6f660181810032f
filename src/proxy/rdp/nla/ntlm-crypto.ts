/**
 * @module NTLMv2's key computations (MS-NLMP 3.3.2 and 3.4.5): NTOWFv2, the NTLMv2 response with its
 * NTProofStr and session base key, and the signing and sealing keys derived from the exported session
 * key. HMAC-MD5 and MD5 come from node:crypto; MD4 and RC4 are our own.
 */
import { createHash, createHmac } from 'node:crypto';
import { md4 } from './md4.js';
import { NTLMSSP_NEGOTIATE_128, NTLMSSP_NEGOTIATE_56 } from './ntlm-messages.js';

/**
 * HMAC-MD5.
 * @param key the key
 * @param parts the message, concatenated
 * @returns the 16-byte MAC
 */
export function hmacMd5(key: Uint8Array, ...parts: Uint8Array[]): Buffer {
  const hmac = createHmac('md5', key);
  for (const part of parts) hmac.update(part);
  return hmac.digest();
}

/**
 * NTOWFv2 = HMAC_MD5(MD4(UTF-16LE(password)), UTF-16LE(UPPERCASE(user) + domain)).
 * @param user the user name
 * @param domain the domain (case kept)
 * @param password the password
 * @returns ResponseKeyNT
 */
export function ntowfv2(user: string, domain: string, password: string): Buffer {
  const ntHash = md4(Buffer.from(password, 'utf16le'));
  return hmacMd5(ntHash, Buffer.from(user.toUpperCase() + domain, 'utf16le'));
}

/** The result of an NTLMv2 challenge response. */
export interface Ntlmv2Response {
  readonly ntProofStr: Buffer;
  /** NTProofStr followed by `temp`. */
  readonly ntResponse: Buffer;
  /** LMv2: HMAC_MD5(key, serverChallenge + clientChallenge) + clientChallenge. */
  readonly lmResponse: Buffer;
  readonly sessionBaseKey: Buffer;
}

/**
 * Computes the NTLMv2 responses (MS-NLMP 3.3.2).
 * @param responseKey ResponseKeyNT (= ResponseKeyLM)
 * @param serverChallenge the CHALLENGE_MESSAGE's 8 bytes
 * @param clientChallenge 8 random bytes
 * @param time the FILETIME as 8 little-endian bytes
 * @param targetInfo the AV_PAIR list (with its EOL) to put in `temp`
 * @returns the responses and session base key
 */
export function ntlmv2Response(
  responseKey: Buffer,
  serverChallenge: Buffer,
  clientChallenge: Buffer,
  time: Buffer,
  targetInfo: Buffer,
): Ntlmv2Response {
  const temp = Buffer.concat([
    Buffer.from([1, 1, 0, 0, 0, 0, 0, 0]),
    time,
    clientChallenge,
    Buffer.alloc(4),
    targetInfo,
    Buffer.alloc(4),
  ]);
  const ntProofStr = hmacMd5(responseKey, serverChallenge, temp);
  return {
    ntProofStr,
    ntResponse: Buffer.concat([ntProofStr, temp]),
    lmResponse: Buffer.concat([
      hmacMd5(responseKey, serverChallenge, clientChallenge),
      clientChallenge,
    ]),
    sessionBaseKey: hmacMd5(responseKey, ntProofStr),
  };
}

const magic = (text: string) => Buffer.from(`${text}\0`, 'latin1');
const CLIENT_SIGN = magic('session key to client-to-server signing key magic constant');
const SERVER_SIGN = magic('session key to server-to-client signing key magic constant');
const CLIENT_SEAL = magic('session key to client-to-server sealing key magic constant');
const SERVER_SEAL = magic('session key to server-to-client sealing key magic constant');

/** The four keys of NTLM2 session security. */
export interface SessionKeys {
  readonly clientSigning: Buffer;
  readonly serverSigning: Buffer;
  readonly clientSealing: Buffer;
  readonly serverSealing: Buffer;
}

/**
 * SIGNKEY and SEALKEY for both directions (MS-NLMP 3.4.5.2 and 3.4.5.3, extended session security).
 * @param exportedSessionKey the exported session key
 * @param flags the negotiated flags (128/56-bit sealing)
 * @returns the keys
 */
export function sessionKeys(exportedSessionKey: Buffer, flags: number): SessionKeys {
  const md5 = (...parts: Buffer[]) => createHash('md5').update(Buffer.concat(parts)).digest();
  const sealBase =
    flags & NTLMSSP_NEGOTIATE_128
      ? exportedSessionKey
      : exportedSessionKey.subarray(0, flags & NTLMSSP_NEGOTIATE_56 ? 7 : 5);
  return {
    clientSigning: md5(exportedSessionKey, CLIENT_SIGN),
    serverSigning: md5(exportedSessionKey, SERVER_SIGN),
    clientSealing: md5(sealBase, CLIENT_SEAL),
    serverSealing: md5(sealBase, SERVER_SEAL),
  };
}
