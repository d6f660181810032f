/**
 * @module One persistent zlib stream per encoding per connection (RFB's Zlib and ZRLE never reset it).
 * node:zlib's inflateSync cannot keep state across calls, so this uses fflate's synchronous streaming
 * Unzlib: servers end each rect's data with Z_SYNC_FLUSH, so each push yields all of that rect's bytes.
 *
 * Every push costs fflate a fresh output buffer of at least 160 KiB plus a copy of its 32 KiB window,
 * so compressed data goes in as few pushes as the decompression cap allows: slices of 16 KiB (or more
 * for rects allowed more than 16 MiB), so a zlib bomb is stopped after at most one slice's output
 * (deflate expands at most 1032:1, about 17 MiB). Input slices are views, not copies, and a rect whose
 * data came out in several chunks is joined into a buffer reused across rects.
 */
import { Unzlib } from 'fflate';
import { protocolError } from '../errors.js';

/** The smallest compressed slice fed to fflate at once. */
const MIN_SLICE = 16384;
/** Deflate's largest expansion ratio, rounded up. */
const RATIO = 1032;
/** The largest joined output kept for reuse between rects. */
const KEEP = 1 << 20;

/** A persistent inflate stream whose output per call is capped. */
export class Inflater {
  readonly #unzlib: Unzlib;
  readonly #chunks: Uint8Array[] = [];
  #total = 0;
  #joined = new Uint8Array(0);

  constructor() {
    this.#unzlib = new Unzlib((chunk) => {
      if (chunk.length === 0) return;
      this.#chunks.push(chunk);
      this.#total += chunk.length;
    });
  }

  /**
   * Inflates one rect's compressed data.
   * @param data the compressed bytes (only read during this call)
   * @param limit the most bytes the rect may decompress to
   * @param what the encoding's name, for error messages
   * @returns the decompressed bytes, valid until the next call
   */
  inflate(data: Uint8Array, limit: number, what: string): Uint8Array {
    this.#chunks.length = 0;
    this.#total = 0;
    const slice = Math.max(MIN_SLICE, Math.ceil(limit / RATIO));
    for (let at = 0; at < data.length; at += slice) {
      // fflate keeps a chunk too short for the zlib header until the next push: copy those.
      const part = data.subarray(at, at + slice);
      try {
        this.#unzlib.push(part.length < 6 ? part.slice() : part, false);
      } catch (error) {
        throw protocolError('RFB_ZLIB_ERROR', `corrupt ${what} zlib data (${String(error)}).`);
      }
      if (this.#total > limit) {
        this.#chunks.length = 0;
        throw protocolError(
          'RFB_DECOMPRESSED_TOO_LARGE',
          `${what} data decompresses to more than the ${limit} bytes its rect allows.`,
        );
      }
    }
    return this.#join();
  }

  /** The chunks of this call as one buffer: the only chunk itself, or joined into a reused buffer. */
  #join(): Uint8Array {
    const chunks = this.#chunks;
    const only = chunks.length === 1 ? chunks[0] : undefined;
    if (only !== undefined || chunks.length === 0) {
      chunks.length = 0;
      return only ?? new Uint8Array(0);
    }
    let out = this.#joined;
    if (out.length < this.#total) {
      out = new Uint8Array(Math.max(this.#total, Math.min(KEEP, out.length * 2)));
      if (out.length <= KEEP) this.#joined = out;
    }
    let offset = 0;
    for (const chunk of chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    chunks.length = 0;
    return out.subarray(0, this.#total);
  }
}
