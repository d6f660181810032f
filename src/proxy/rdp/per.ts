/**
 * @module The aligned PER (X.691) pieces of T.124 GCC and the MCS domain PDUs: lengths (1 or 2 bytes),
 * and the fixed byte patterns of the GCC Conference Create Request/Response around the user data.
 */
import type { ByteReader } from './bytes.js';
import { protocolError } from './errors.js';

/**
 * A PER length determinant: one byte below 128, else two with the top bit set.
 * @param length the length, below 16384
 * @returns its encoding
 */
export function perLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length < 0x4000) return Buffer.from([0x80 | (length >> 8), length & 0xff]);
  throw new RangeError(`PER length ${length} too large`);
}

/**
 * Reads a PER length determinant.
 * @param reader the reader
 * @returns the length
 */
export function readPerLength(reader: ByteReader): number {
  const first = reader.u8();
  if ((first & 0x80) === 0) return first;
  if ((first & 0x40) !== 0) {
    throw protocolError('RDP_BAD_PER', 'fragmented PER lengths are not supported.');
  }
  return ((first & 0x3f) << 8) | reader.u8();
}

/** The T.124 object identifier {0 0 20 124 0 1}, PER-encoded with its length. */
export const T124_OID = Buffer.from([0x00, 0x05, 0x00, 0x14, 0x7c, 0x00, 0x01]);

/** ConferenceCreateRequest up to the user data: name "1", one H.221 non-standard key "Duca". */
export const CONFERENCE_CREATE_REQUEST = Buffer.from([
  0x00, 0x08, 0x00, 0x10, 0x00, 0x01, 0xc0, 0x00, 0x44, 0x75, 0x63, 0x61,
]);

/** The H.221 key of the server's user data ("McDn"). */
export const SERVER_H221_KEY = Buffer.from('McDn', 'latin1');
