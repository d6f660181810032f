/**
 * @module One persistent zlib stream per encoding per connection (RFB's Zlib and ZRLE never reset it).
 * node:zlib's inflateSync cannot keep state across calls, so this uses fflate's synchronous streaming
 * Unzlib: servers end each rect's data with Z_SYNC_FLUSH, so each push yields all of that rect's bytes.
 */
import { Unzlib } from 'fflate';
import { protocolError } from '../errors.js';

/** Compressed input is fed in slices this big, so a zlib bomb is stopped after one slice's output. */
const SLICE = 4096;

/** A persistent inflate stream whose output per call is capped. */
export class Inflater {
  readonly #unzlib: Unzlib;
  #chunks: Uint8Array[] = [];
  #total = 0;

  constructor() {
    this.#unzlib = new Unzlib((chunk) => {
      this.#chunks.push(chunk);
      this.#total += chunk.length;
    });
  }

  /**
   * Inflates one rect's compressed data.
   * @param data the compressed bytes
   * @param limit the most bytes the rect may decompress to
   * @param what the encoding's name, for error messages
   * @returns the decompressed bytes
   */
  inflate(data: Uint8Array, limit: number, what: string): Uint8Array {
    this.#chunks = [];
    this.#total = 0;
    for (let at = 0; at < data.length; at += SLICE) {
      try {
        this.#unzlib.push(data.slice(at, at + SLICE), false);
      } catch (error) {
        throw protocolError('RFB_ZLIB_ERROR', `corrupt ${what} zlib data (${String(error)}).`);
      }
      if (this.#total > limit) {
        throw protocolError(
          'RFB_DECOMPRESSED_TOO_LARGE',
          `${what} data decompresses to more than the ${limit} bytes its rect allows.`,
        );
      }
    }
    const out = new Uint8Array(this.#total);
    let offset = 0;
    for (const chunk of this.#chunks) {
      out.set(chunk, offset);
      offset += chunk.length;
    }
    this.#chunks = [];
    return out;
  }
}
