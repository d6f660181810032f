/**
 * @module The receive queue of an RFB connection: chunks from the transport are appended and read back
 * with need-more-bytes semantics (noVNC's rQwait/shift8/16/32), so every parser can stop and resume.
 */

/** A byte queue over received chunks; readers check `has(n)` before taking `n` bytes. */
export class RfbStream {
  #buffer: Uint8Array = new Uint8Array(0);
  #start = 0;
  #end = 0;

  /** Bytes received and not yet consumed. */
  get available(): number {
    return this.#end - this.#start;
  }

  /**
   * Appends a received chunk.
   * @param chunk the bytes, copied into the queue
   */
  push(chunk: Uint8Array): void {
    if (chunk.length === 0) return;
    if (this.#end + chunk.length > this.#buffer.length) {
      const live = this.available;
      const size = Math.max(
        live + chunk.length,
        Math.min(this.#buffer.length * 2, live * 2 + 65536),
      );
      const next = size > this.#buffer.length ? new Uint8Array(size) : this.#buffer;
      next.set(this.#buffer.subarray(this.#start, this.#end), 0);
      this.#buffer = next;
      this.#start = 0;
      this.#end = live;
    }
    this.#buffer.set(chunk, this.#end);
    this.#end += chunk.length;
  }

  /**
   * Whether at least `n` bytes are queued.
   * @param n the number of bytes needed
   * @returns true when `n` bytes can be read
   */
  has(n: number): boolean {
    return this.available >= n;
  }

  /**
   * Reads an unsigned byte at an offset without consuming it.
   * @param offset bytes past the read position
   * @returns the byte
   */
  peek8(offset = 0): number {
    return this.#buffer[this.#checked(offset, 1)] as number;
  }

  /**
   * Reads a big-endian u16 at an offset without consuming it.
   * @param offset bytes past the read position
   * @returns the value
   */
  peek16(offset = 0): number {
    const at = this.#checked(offset, 2);
    return ((this.#buffer[at] as number) << 8) | (this.#buffer[at + 1] as number);
  }

  /**
   * Reads a big-endian u32 at an offset without consuming it.
   * @param offset bytes past the read position
   * @returns the value
   */
  peek32(offset = 0): number {
    const at = this.#checked(offset, 4);
    const b = this.#buffer;
    return (
      (((b[at] as number) << 24) |
        ((b[at + 1] as number) << 16) |
        ((b[at + 2] as number) << 8) |
        (b[at + 3] as number)) >>>
      0
    );
  }

  /**
   * Views `n` bytes at an offset without consuming them, valid until the next `push`.
   * @param offset bytes past the read position
   * @param n the number of bytes
   * @returns the bytes
   */
  peekBytes(offset: number, n: number): Uint8Array {
    const at = this.#checked(offset, n);
    return this.#buffer.subarray(at, at + n);
  }

  /** Consumes and returns an unsigned byte. */
  shift8(): number {
    const value = this.peek8();
    this.#start += 1;
    return value;
  }

  /** Consumes and returns a big-endian u16. */
  shift16(): number {
    const value = this.peek16();
    this.#start += 2;
    return value;
  }

  /** Consumes and returns a big-endian u32. */
  shift32(): number {
    const value = this.peek32();
    this.#start += 4;
    return value;
  }

  /** Consumes and returns a big-endian signed 32-bit integer. */
  shiftS32(): number {
    return this.shift32() | 0;
  }

  /**
   * Consumes `n` bytes and returns a view of them, valid until the next `push`.
   * @param n the number of bytes
   * @returns the bytes
   */
  shiftBytes(n: number): Uint8Array {
    const at = this.#checked(0, n);
    this.#start += n;
    return this.#buffer.subarray(at, at + n);
  }

  /**
   * Consumes `n` bytes into a new copy.
   * @param n the number of bytes
   * @returns a copy of the bytes
   */
  shiftCopy(n: number): Uint8Array {
    return this.shiftBytes(n).slice();
  }

  /**
   * Discards `n` bytes.
   * @param n the number of bytes
   */
  skip(n: number): void {
    this.#checked(0, n);
    this.#start += n;
  }

  #checked(offset: number, length: number): number {
    if (offset < 0 || length < 0 || offset + length > this.available) {
      throw new RangeError(`RfbStream: read of ${length} bytes at +${offset} past queued data.`);
    }
    return this.#start + offset;
  }
}
