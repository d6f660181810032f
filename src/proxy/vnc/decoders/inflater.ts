/**
 * @module One persistent zlib stream per encoding per connection (RFB's Zlib, Tight and ZRLE never
 * reset it), inflated with Node's native zlib. Servers end each rect's data with Z_SYNC_FLUSH, so each
 * rect's data is a run of whole deflate blocks starting on a byte boundary: it inflates on its own as
 * raw deflate, given the stream's last 32 KiB of output as the dictionary (what its back-references
 * may reach). The stream's 2-byte zlib header is checked and skipped; its Adler-32 trailer never comes.
 *
 * This replaced fflate's streaming Unzlib, whose every push allocated a fresh output buffer of at
 * least 160 KiB (growing by doubling) plus a copy of its window: about 450 MB/s of short-lived
 * ArrayBuffers while scrolling, which V8 counts as external memory since the last mark-compact and
 * which kept the proxy in back-to-back full GCs. Native zlib allocates its output once per rect.
 */
import zlib from 'node:zlib';
import { protocolError } from '../errors.js';

/** Deflate's window: the farthest a back-reference reaches. */
const WINDOW = 32768;
/** Output chunk size for native zlib: most rects of text fit one chunk. */
const CHUNK = 16384;

/** A persistent inflate stream whose output per call is capped. */
export class Inflater {
  /** Header bytes still to skip (the zlib header is 2 bytes, possibly split across rects). */
  #header: number[] = [];
  readonly #window = Buffer.allocUnsafeSlow(WINDOW);
  #windowLength = 0;

  /**
   * Inflates one rect's compressed data.
   * @param data the compressed bytes (only read during this call)
   * @param limit the most bytes the rect may decompress to
   * @param what the encoding's name, for error messages
   * @returns the decompressed bytes, valid until the next call
   */
  inflate(data: Uint8Array, limit: number, what: string): Uint8Array {
    let input = Buffer.from(data.buffer, data.byteOffset, data.byteLength);
    if (this.#header.length < 2) {
      const take = Math.min(2 - this.#header.length, input.length);
      this.#header.push(...input.subarray(0, take));
      input = input.subarray(take);
      if (this.#header.length < 2) return new Uint8Array(0);
      this.#checkHeader(what);
    }
    if (input.length === 0) return new Uint8Array(0);
    let out: Buffer;
    try {
      out = zlib.inflateRawSync(input, {
        finishFlush: zlib.constants.Z_SYNC_FLUSH,
        chunkSize: CHUNK,
        maxOutputLength: Math.max(1, limit + 1),
        ...(this.#windowLength > 0
          ? { dictionary: this.#window.subarray(WINDOW - this.#windowLength) }
          : {}),
      });
    } catch (error) {
      if ((error as { code?: string }).code === 'ERR_BUFFER_TOO_LARGE')
        throw this.#tooLarge(what, limit);
      throw protocolError('RFB_ZLIB_ERROR', `corrupt ${what} zlib data (${String(error)}).`);
    }
    if (out.length > limit) throw this.#tooLarge(what, limit);
    this.#remember(out);
    return out;
  }

  /** Checks the stream's zlib header: deflate, a window of at most 32 KiB, no preset dictionary. */
  #checkHeader(what: string): void {
    const [cmf = 0, flg = 0] = this.#header;
    if ((cmf & 0x0f) !== 8 || cmf >> 4 > 7 || ((cmf << 8) | flg) % 31 !== 0 || flg & 0x20) {
      throw protocolError('RFB_ZLIB_ERROR', `corrupt ${what} zlib data (bad zlib header).`);
    }
  }

  /**
   * Keeps the last 32 KiB of the stream's output for the next rect's back-references.
   * @param out this rect's output
   */
  #remember(out: Buffer): void {
    const window = this.#window;
    if (out.length >= WINDOW) {
      out.copy(window, 0, out.length - WINDOW);
      this.#windowLength = WINDOW;
      return;
    }
    window.copy(window, 0, out.length);
    out.copy(window, WINDOW - out.length);
    this.#windowLength = Math.min(WINDOW, this.#windowLength + out.length);
  }

  #tooLarge(what: string, limit: number): Error {
    return protocolError(
      'RFB_DECOMPRESSED_TOO_LARGE',
      `${what} data decompresses to more than the ${limit} bytes its rect allows.`,
    );
  }
}
