/**
 * @module RC4, which NTLM uses to encrypt the exported session key and to seal messages. Node 20's
 * OpenSSL 3 only offers it through the legacy provider, so it is written here. A cipher keeps its state
 * across calls, as NTLM's connection-oriented sealing handles do.
 */

/** An RC4 key stream: each call continues where the previous one stopped. */
export class Rc4 {
  readonly #s = new Uint8Array(256);
  #i = 0;
  #j = 0;

  /** @param key the key, 1 to 256 bytes */
  constructor(key: Uint8Array) {
    if (key.length < 1 || key.length > 256) throw new RangeError(`RC4 key of ${key.length} bytes`);
    const s = this.#s;
    for (let i = 0; i < 256; i++) s[i] = i;
    let j = 0;
    for (let i = 0; i < 256; i++) {
      const si = s[i] ?? 0;
      j = (j + si + (key[i % key.length] ?? 0)) & 0xff;
      s[i] = s[j] ?? 0;
      s[j] = si;
    }
  }

  /**
   * Encrypts or decrypts (the same operation).
   * @param data the input
   * @returns a new buffer with the output
   */
  update(data: Uint8Array): Buffer {
    const s = this.#s;
    const out = Buffer.alloc(data.length);
    let i = this.#i;
    let j = this.#j;
    for (let n = 0; n < data.length; n++) {
      i = (i + 1) & 0xff;
      const si = s[i] ?? 0;
      j = (j + si) & 0xff;
      const sj = s[j] ?? 0;
      s[i] = sj;
      s[j] = si;
      out[n] = (data[n] ?? 0) ^ (s[(si + sj) & 0xff] ?? 0);
    }
    this.#i = i;
    this.#j = j;
    return out;
  }
}

/**
 * One-shot RC4 with a fresh key stream.
 * @param key the key
 * @param data the input
 * @returns the output
 */
export function rc4(key: Uint8Array, data: Uint8Array): Buffer {
  return new Rc4(key).update(data);
}
