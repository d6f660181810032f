/**
 * @module Bounds-checked byte reading and growable writing for RDP PDUs. Every read past the end throws
 * an RdpProtocolError (`RDP_TRUNCATED`), so a short or lying PDU can never read outside its buffer.
 */
import { protocolError } from './errors.js';

/** Reads little- and big-endian integers and byte runs from one PDU. */
export class ByteReader {
  readonly #data: Uint8Array;
  readonly #view: DataView;
  #at: number;
  readonly #end: number;

  /**
   * @param data the bytes
   * @param start the first byte to read
   * @param end one past the last byte (default: the end of `data`)
   */
  constructor(data: Uint8Array, start = 0, end = data.length) {
    this.#data = data;
    this.#view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.#at = start;
    this.#end = Math.min(end, data.length);
  }

  /** The read position. */
  get offset(): number {
    return this.#at;
  }

  /** Bytes left to read. */
  get remaining(): number {
    return this.#end - this.#at;
  }

  /**
   * Throws unless `n` more bytes can be read.
   * @param n the number of bytes
   * @param what what is being read, for the error message
   */
  need(n: number, what = 'data'): void {
    if (!Number.isSafeInteger(n) || n < 0 || this.#at + n > this.#end) {
      throw protocolError('RDP_TRUNCATED', `${what} needs ${n} bytes, ${this.remaining} left.`);
    }
  }

  /** @returns an unsigned byte */
  u8(): number {
    this.need(1);
    return this.#view.getUint8(this.#at++);
  }

  /** @returns a little-endian u16 */
  u16(): number {
    this.need(2);
    const value = this.#view.getUint16(this.#at, true);
    this.#at += 2;
    return value;
  }

  /** @returns the next little-endian u16, not consumed */
  peek16(): number {
    this.need(2);
    return this.#view.getUint16(this.#at, true);
  }

  /** @returns a big-endian u16 */
  u16be(): number {
    this.need(2);
    const value = this.#view.getUint16(this.#at, false);
    this.#at += 2;
    return value;
  }

  /** @returns a little-endian u32 */
  u32(): number {
    this.need(4);
    const value = this.#view.getUint32(this.#at, true);
    this.#at += 4;
    return value;
  }

  /**
   * @param n the number of bytes
   * @param what what is being read, for the error message
   * @returns a view of the next `n` bytes
   */
  bytes(n: number, what = 'data'): Uint8Array {
    this.need(n, what);
    const out = this.#data.subarray(this.#at, this.#at + n);
    this.#at += n;
    return out;
  }

  /**
   * Skips bytes.
   * @param n the number of bytes
   */
  skip(n: number): void {
    this.need(n);
    this.#at += n;
  }

  /**
   * A reader over the next `n` bytes, which this reader then skips.
   * @param n the number of bytes
   * @param what what is being read, for the error message
   * @returns the sub-reader
   */
  sub(n: number, what = 'data'): ByteReader {
    this.need(n, what);
    const reader = new ByteReader(this.#data, this.#at, this.#at + n);
    this.#at += n;
    return reader;
  }
}

/** Builds a PDU from little- and big-endian integers and byte runs. */
export class ByteWriter {
  #buffer = Buffer.alloc(256);
  #length = 0;

  /** Bytes written so far. */
  get length(): number {
    return this.#length;
  }

  #grow(n: number): number {
    const at = this.#length;
    if (at + n > this.#buffer.length) {
      const next = Buffer.alloc(Math.max(this.#buffer.length * 2, at + n));
      this.#buffer.copy(next, 0, 0, at);
      this.#buffer = next;
    }
    this.#length += n;
    return at;
  }

  /** @param value an unsigned byte @returns this */
  u8(value: number): this {
    const at = this.#grow(1);
    this.#buffer.writeUInt8(value & 0xff, at);
    return this;
  }

  /** @param value a little-endian u16 @returns this */
  u16(value: number): this {
    const at = this.#grow(2);
    this.#buffer.writeUInt16LE(value & 0xffff, at);
    return this;
  }

  /** @param value a big-endian u16 @returns this */
  u16be(value: number): this {
    const at = this.#grow(2);
    this.#buffer.writeUInt16BE(value & 0xffff, at);
    return this;
  }

  /** @param value a little-endian u32 @returns this */
  u32(value: number): this {
    const at = this.#grow(4);
    this.#buffer.writeUInt32LE(value >>> 0, at);
    return this;
  }

  /** @param data bytes to append @returns this */
  bytes(data: Uint8Array): this {
    const at = this.#grow(data.length);
    this.#buffer.set(data, at);
    return this;
  }

  /** @param n zero bytes to append @returns this */
  zeros(n: number): this {
    this.#grow(n);
    return this;
  }

  /**
   * Overwrites a little-endian u16 written earlier (a length field).
   * @param at its offset
   * @param value the value
   */
  setU16(at: number, value: number): void {
    this.#buffer.writeUInt16LE(value & 0xffff, at);
  }

  /** @returns a copy of the bytes written */
  toBuffer(): Buffer {
    return Buffer.from(this.#buffer.subarray(0, this.#length));
  }
}

/**
 * UTF-16LE text of a fixed field size, zero padded and cut to leave a terminating null.
 * @param text the text
 * @param size the field size in bytes
 * @returns the field
 */
export function fixedUtf16(text: string, size: number): Buffer {
  const field = Buffer.alloc(size);
  Buffer.from(text, 'utf16le').copy(field, 0, 0, Math.max(0, size - 2) & ~1);
  return field;
}
