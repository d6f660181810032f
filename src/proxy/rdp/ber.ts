/**
 * @module The BER (X.690) subset MCS Connect Initial/Response use: definite lengths, application tags,
 * INTEGER, ENUMERATED, BOOLEAN, OCTET STRING and SEQUENCE. Writers return bytes; readers are bounded.
 */
import type { ByteReader } from './bytes.js';
import { protocolError } from './errors.js';

/** Universal tags. */
export const BER_BOOLEAN = 0x01;
export const BER_INTEGER = 0x02;
export const BER_OCTET_STRING = 0x04;
export const BER_ENUMERATED = 0x0a;
export const BER_SEQUENCE = 0x30;

/**
 * A BER length: short form below 128, else 0x81/0x82 long form.
 * @param length the length
 * @returns its encoding
 */
export function berLength(length: number): Buffer {
  if (length < 0x80) return Buffer.from([length]);
  if (length <= 0xff) return Buffer.from([0x81, length]);
  if (length <= 0xffff) return Buffer.from([0x82, length >> 8, length & 0xff]);
  throw new RangeError(`BER length ${length} too large`);
}

/**
 * A tag-length-value.
 * @param tag one tag byte, or several for high tag numbers
 * @param content the value
 * @returns the encoding
 */
export function berTlv(tag: number | readonly number[], content: Uint8Array): Buffer {
  const tags = typeof tag === 'number' ? [tag] : tag;
  return Buffer.concat([Buffer.from(tags), berLength(content.length), content]);
}

/**
 * An application-class constructed tag (MCS uses 101 Connect-Initial, 102 Connect-Response).
 * @param number the tag number
 * @returns the tag bytes
 */
export function applicationTag(number: number): number[] {
  return number < 31 ? [0x60 | number] : [0x7f, number];
}

/**
 * A BER INTEGER with the minimal two's complement encoding of a non-negative value.
 * @param value the value, 0 … 2^31-1
 * @returns the encoding
 */
export function berInteger(value: number): Buffer {
  const bytes: number[] = [];
  let rest = value;
  do {
    bytes.unshift(rest & 0xff);
    rest = Math.floor(rest / 256);
  } while (rest > 0);
  if ((bytes[0] ?? 0) & 0x80) bytes.unshift(0);
  return berTlv(BER_INTEGER, Buffer.from(bytes));
}

/**
 * Reads a BER length.
 * @param reader the reader
 * @returns the length, checked against the bytes left
 */
export function readBerLength(reader: ByteReader): number {
  const first = reader.u8();
  let length = first;
  if (first & 0x80) {
    const count = first & 0x7f;
    if (count < 1 || count > 2) throw protocolError('RDP_BAD_BER', `BER length of ${count} bytes.`);
    length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + reader.u8();
  }
  reader.need(length, 'BER value');
  return length;
}

/**
 * Reads one TLV whose tag must match.
 * @param reader the reader
 * @param tag the expected tag bytes
 * @param what the field name, for errors
 * @returns a reader over the value
 */
export function readBerTlv(
  reader: ByteReader,
  tag: number | readonly number[],
  what: string,
): ByteReader {
  const tags = typeof tag === 'number' ? [tag] : tag;
  for (const expected of tags) {
    const got = reader.u8();
    if (got !== expected) {
      throw protocolError('RDP_BAD_BER', `${what}: tag 0x${got.toString(16)} is not expected.`);
    }
  }
  return reader.sub(readBerLength(reader), what);
}

/**
 * Reads an INTEGER or ENUMERATED value of up to 4 bytes.
 * @param reader the reader
 * @param tag BER_INTEGER or BER_ENUMERATED
 * @param what the field name
 * @returns the unsigned value
 */
export function readBerInteger(reader: ByteReader, tag: number, what: string): number {
  const value = readBerTlv(reader, tag, what);
  if (value.remaining < 1 || value.remaining > 4) {
    throw protocolError('RDP_BAD_BER', `${what}: ${value.remaining}-byte integer.`);
  }
  let n = 0;
  while (value.remaining > 0) n = n * 256 + value.u8();
  return n;
}
