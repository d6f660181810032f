/**
 * @module The three NTLM messages (MS-NLMP 2.2.1): NEGOTIATE and AUTHENTICATE built, CHALLENGE parsed
 * with every field offset and length checked, and the AV_PAIR list (2.2.2.1) of the target info.
 */
import { ByteReader, ByteWriter } from '../bytes.js';
import { protocolError } from '../errors.js';

/** NegotiateFlags (MS-NLMP 2.2.2.5). */
export const NTLMSSP_NEGOTIATE_UNICODE = 0x00000001;
export const NTLMSSP_REQUEST_TARGET = 0x00000004;
export const NTLMSSP_NEGOTIATE_SIGN = 0x00000010;
export const NTLMSSP_NEGOTIATE_SEAL = 0x00000020;
export const NTLMSSP_NEGOTIATE_NTLM = 0x00000200;
export const NTLMSSP_NEGOTIATE_ALWAYS_SIGN = 0x00008000;
export const NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY = 0x00080000;
export const NTLMSSP_NEGOTIATE_TARGET_INFO = 0x00800000;
export const NTLMSSP_NEGOTIATE_VERSION = 0x02000000;
export const NTLMSSP_NEGOTIATE_128 = 0x20000000;
export const NTLMSSP_NEGOTIATE_KEY_EXCH = 0x40000000;
export const NTLMSSP_NEGOTIATE_56 = 0x80000000;

/** The flags this client asks for: NTLMv2 with extended session security, 128-bit sealing, key exchange. */
export const CLIENT_FLAGS =
  (NTLMSSP_NEGOTIATE_56 |
    NTLMSSP_NEGOTIATE_KEY_EXCH |
    NTLMSSP_NEGOTIATE_128 |
    NTLMSSP_NEGOTIATE_VERSION |
    NTLMSSP_NEGOTIATE_EXTENDED_SESSIONSECURITY |
    NTLMSSP_NEGOTIATE_ALWAYS_SIGN |
    NTLMSSP_NEGOTIATE_NTLM |
    NTLMSSP_NEGOTIATE_SEAL |
    NTLMSSP_NEGOTIATE_SIGN |
    NTLMSSP_REQUEST_TARGET |
    NTLMSSP_NEGOTIATE_UNICODE) >>>
  0;

/** AV_PAIR ids (MS-NLMP 2.2.2.1). */
export const MSV_AV_EOL = 0;
export const MSV_AV_FLAGS = 6;
export const MSV_AV_TIMESTAMP = 7;

/** The VERSION structure sent: Windows 6.1 build 7601, NTLMSSP revision 15. */
export const CLIENT_VERSION = Buffer.from([6, 1, 0xb1, 0x1d, 0, 0, 0, 15]);

const SIGNATURE = Buffer.from('NTLMSSP\0', 'latin1');

/** One AV_PAIR. */
export interface AvPair {
  readonly id: number;
  readonly value: Buffer;
}

/** The fields of a CHALLENGE_MESSAGE this client uses. */
export interface ChallengeMessage {
  readonly flags: number;
  readonly serverChallenge: Buffer;
  /** The raw TargetInfo (AV_PAIR list), empty when absent. */
  readonly targetInfo: Buffer;
}

/**
 * The NEGOTIATE_MESSAGE (no domain or workstation supplied).
 * @param flags the flags to ask for
 * @returns the message
 */
export function negotiateMessage(flags = CLIENT_FLAGS): Buffer {
  return new ByteWriter()
    .bytes(SIGNATURE)
    .u32(1)
    .u32(flags)
    .zeros(16)
    .bytes(CLIENT_VERSION)
    .toBuffer();
}

/**
 * Parses a CHALLENGE_MESSAGE.
 * @param message the message
 * @returns its flags, server challenge and target info
 */
export function parseChallengeMessage(message: Uint8Array): ChallengeMessage {
  const reader = new ByteReader(message);
  reader.need(48, 'NTLM CHALLENGE_MESSAGE');
  const signature = Buffer.from(reader.bytes(8));
  const type = reader.u32();
  if (!signature.equals(SIGNATURE) || type !== 2) {
    throw protocolError('RDP_BAD_NTLM', 'the NLA token is not an NTLM CHALLENGE_MESSAGE.');
  }
  reader.skip(8); // TargetNameFields
  const flags = reader.u32();
  const serverChallenge = Buffer.from(reader.bytes(8));
  reader.skip(8);
  const infoLength = reader.u16();
  reader.skip(2);
  const infoOffset = reader.u32();
  if (infoLength > 0 && (infoOffset < 48 || infoOffset + infoLength > message.length)) {
    throw protocolError(
      'RDP_BAD_NTLM',
      `NTLM target info (${infoLength} bytes at ${infoOffset}) lies outside the ` +
        `${message.length}-byte CHALLENGE_MESSAGE.`,
    );
  }
  const targetInfo = Buffer.from(message.subarray(infoOffset, infoOffset + infoLength));
  if (targetInfo.length > 0) parseAvPairs(targetInfo);
  return { flags, serverChallenge, targetInfo };
}

/**
 * Parses an AV_PAIR list up to MsvAvEOL.
 * @param data the list
 * @returns the pairs, without the EOL
 */
export function parseAvPairs(data: Uint8Array): AvPair[] {
  const reader = new ByteReader(data);
  const pairs: AvPair[] = [];
  for (;;) {
    if (reader.remaining === 0) {
      throw protocolError('RDP_BAD_NTLM', 'NTLM target info has no MsvAvEOL.');
    }
    const id = reader.u16();
    const length = reader.u16();
    const value = Buffer.from(reader.bytes(length, 'NTLM AV_PAIR'));
    if (id === MSV_AV_EOL) return pairs;
    pairs.push({ id, value });
  }
}

/**
 * Encodes an AV_PAIR list, adding MsvAvEOL.
 * @param pairs the pairs
 * @returns the list
 */
export function encodeAvPairs(pairs: readonly AvPair[]): Buffer {
  const writer = new ByteWriter();
  for (const pair of pairs) writer.u16(pair.id).u16(pair.value.length).bytes(pair.value);
  return writer.u16(MSV_AV_EOL).u16(0).toBuffer();
}

/** The content of an AUTHENTICATE_MESSAGE. */
export interface AuthenticateFields {
  readonly flags: number;
  readonly lmResponse: Buffer;
  readonly ntResponse: Buffer;
  readonly domain: string;
  readonly user: string;
  readonly workstation: string;
  readonly encryptedSessionKey: Buffer;
  /** Leave room for the MIC (payload at 88 instead of 72). */
  readonly withMic: boolean;
  readonly version?: Buffer;
}

/** The offset of the MIC field in an AUTHENTICATE_MESSAGE. */
export const MIC_OFFSET = 72;

/**
 * Builds an AUTHENTICATE_MESSAGE with a zero MIC (the caller fills it in); the payload holds domain,
 * user, workstation, LM response, NT response and the encrypted session key, in that order.
 * @param fields the content
 * @returns the message
 */
export function authenticateMessage(fields: AuthenticateFields): Buffer {
  const text = (value: string) => Buffer.from(value, 'utf16le');
  const payload = [
    text(fields.domain),
    text(fields.user),
    text(fields.workstation),
    fields.lmResponse,
    fields.ntResponse,
    fields.encryptedSessionKey,
  ];
  const offsets: number[] = [];
  let offset = fields.withMic ? 88 : 72;
  for (const data of payload) {
    offsets.push(offset);
    offset += data.length;
  }
  const writer = new ByteWriter().bytes(SIGNATURE).u32(3);
  // The header lists LM, NT, domain, user, workstation, key: payload entries 3, 4, 0, 1, 2, 5.
  for (const index of [3, 4, 0, 1, 2, 5]) {
    const length = payload[index]?.length ?? 0;
    writer
      .u16(length)
      .u16(length)
      .u32(offsets[index] ?? 0);
  }
  writer.u32(fields.flags).bytes(fields.version ?? CLIENT_VERSION);
  if (fields.withMic) writer.zeros(16);
  for (const data of payload) writer.bytes(data);
  return writer.toBuffer();
}
