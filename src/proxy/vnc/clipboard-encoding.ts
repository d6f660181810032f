/**
 * @module guacd's `clipboard-encoding` for the classic Server/ClientCutText (src/protocols/vnc/clipboard.c):
 * ISO8859-1 (the default and the fallback for unknown names), UTF-8, UTF-16 (little-endian, as guacd
 * writes host-order 16-bit units on x86) and CP1252. Characters a charset lacks become '?'.
 */

/** The encodings guacd 1.6 accepts. */
export type ClipboardEncoding = 'ISO8859-1' | 'UTF-8' | 'UTF-16' | 'CP1252';

/** The longest encoded clipboard sent, in bytes (guacd's 256 KiB clipboard buffer). */
export const MAX_ENCODED_BYTES = 262_144;

/** CP1252's code points for bytes 0x80…0x9F (undefined bytes map to themselves, like C1 controls). */
// prettier-ignore
const CP1252_HIGH = [
  0x20ac, 0x81, 0x201a, 0x192, 0x201e, 0x2026, 0x2020, 0x2021, 0x2c6, 0x2030, 0x160, 0x2039, 0x152,
  0x8d, 0x17d, 0x8f, 0x90, 0x2018, 0x2019, 0x201c, 0x201d, 0x2022, 0x2013, 0x2014, 0x2dc, 0x2122,
  0x161, 0x203a, 0x153, 0x9d, 0x17e, 0x178,
];
const CP1252_BYTE = new Map(CP1252_HIGH.map((codePoint, i) => [codePoint, 0x80 + i]));

/**
 * Parses guacd's parameter value; unknown names fall back to ISO8859-1 as in guacd.
 * @param name the parameter value
 * @returns the encoding
 */
export function parseClipboardEncoding(name: string | undefined): ClipboardEncoding {
  return name === 'UTF-8' || name === 'UTF-16' || name === 'CP1252' ? name : 'ISO8859-1';
}

/**
 * Decodes ServerCutText bytes.
 * @param bytes the text as the server sent it
 * @param encoding the configured encoding
 * @returns the text
 */
export function decodeClipboard(bytes: Uint8Array, encoding: ClipboardEncoding): string {
  const buffer = Buffer.from(bytes.buffer, bytes.byteOffset, bytes.length);
  switch (encoding) {
    case 'UTF-8':
      return buffer.toString('utf8');
    case 'UTF-16':
      return buffer.subarray(0, buffer.length & ~1).toString('utf16le');
    case 'CP1252':
      return Array.from(bytes, (byte) =>
        String.fromCodePoint(
          byte >= 0x80 && byte <= 0x9f ? (CP1252_HIGH[byte - 0x80] as number) : byte,
        ),
      ).join('');
    case 'ISO8859-1':
      return buffer.toString('latin1');
  }
}

/**
 * Encodes text for ClientCutText, cut at MAX_ENCODED_BYTES (never inside a character).
 * @param text the clipboard text
 * @param encoding the configured encoding
 * @returns the bytes to send
 */
export function encodeClipboard(text: string, encoding: ClipboardEncoding): Uint8Array {
  if (encoding === 'UTF-8') {
    const bytes = Buffer.from(text, 'utf8');
    let end = Math.min(bytes.length, MAX_ENCODED_BYTES);
    // Back up to a character boundary: continuation bytes are 10xxxxxx.
    if (end < bytes.length) while (end > 0 && ((bytes[end] as number) & 0xc0) === 0x80) end--;
    return bytes.subarray(0, end);
  }
  if (encoding === 'UTF-16') {
    const bytes = Buffer.from(text, 'utf16le');
    let end = Math.min(bytes.length, MAX_ENCODED_BYTES);
    // Never end on a high surrogate, whose low half was cut off.
    if (end < bytes.length && (bytes.readUInt16LE(end - 2) & 0xfc00) === 0xd800) end -= 2;
    return bytes.subarray(0, end);
  }
  const bytes: number[] = [];
  for (const char of text) {
    if (bytes.length >= MAX_ENCODED_BYTES) break;
    const codePoint = char.codePointAt(0) ?? 0x3f;
    if (encoding === 'CP1252' && (codePoint > 0xff || (codePoint >= 0x80 && codePoint <= 0x9f))) {
      bytes.push(CP1252_BYTE.get(codePoint) ?? 0x3f);
    } else bytes.push(codePoint > 0xff ? 0x3f : codePoint);
  }
  return Uint8Array.from(bytes);
}
