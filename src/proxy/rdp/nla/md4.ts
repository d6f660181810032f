/**
 * @module MD4 (RFC 1320), which NTLM needs for the NT hash. Node 20's OpenSSL 3 only offers MD4 through
 * the legacy provider, so it is written here; it is not used for anything but NTOWFv2.
 */

const S1 = [3, 7, 11, 19] as const;
const S2 = [3, 5, 9, 13] as const;
const S3 = [3, 9, 11, 15] as const;
const R3 = [0, 8, 4, 12, 2, 10, 6, 14, 1, 9, 5, 13, 3, 11, 7, 15] as const;

const rotl = (x: number, n: number): number => ((x << n) | (x >>> (32 - n))) >>> 0;

/**
 * The MD4 digest of some bytes.
 * @param data the message
 * @returns the 16-byte digest
 */
export function md4(data: Uint8Array): Buffer {
  const bitLength = data.length * 8;
  const padded = Buffer.alloc((((data.length + 8) >> 6) + 1) * 64);
  padded.set(data);
  padded[data.length] = 0x80;
  padded.writeUInt32LE(bitLength >>> 0, padded.length - 8);
  padded.writeUInt32LE(Math.floor(bitLength / 0x1_0000_0000), padded.length - 4);
  const h = [0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476];
  const x = new Array<number>(16).fill(0);
  for (let block = 0; block < padded.length; block += 64) {
    for (let i = 0; i < 16; i++) x[i] = padded.readUInt32LE(block + i * 4);
    let [a, b, c, d] = h as [number, number, number, number];
    const word = (i: number) => x[i] ?? 0;
    for (let i = 0; i < 16; i++) {
      const f = (b & c) | (~b & d);
      const t = rotl((a + f + word(i)) >>> 0, S1[i % 4] ?? 0);
      [a, b, c, d] = [d, t, b, c];
    }
    for (let i = 0; i < 16; i++) {
      const g = (b & c) | (b & d) | (c & d);
      const k = (i % 4) * 4 + (i >> 2);
      const t = rotl((a + g + word(k) + 0x5a827999) >>> 0, S2[i % 4] ?? 0);
      [a, b, c, d] = [d, t, b, c];
    }
    for (let i = 0; i < 16; i++) {
      const hh = b ^ c ^ d;
      const t = rotl((a + hh + word(R3[i] ?? 0) + 0x6ed9eba1) >>> 0, S3[i % 4] ?? 0);
      [a, b, c, d] = [d, t, b, c];
    }
    h[0] = ((h[0] ?? 0) + a) >>> 0;
    h[1] = ((h[1] ?? 0) + b) >>> 0;
    h[2] = ((h[2] ?? 0) + c) >>> 0;
    h[3] = ((h[3] ?? 0) + d) >>> 0;
  }
  const out = Buffer.alloc(16);
  h.forEach((v, i) => out.writeUInt32LE(v, i * 4));
  return out;
}
