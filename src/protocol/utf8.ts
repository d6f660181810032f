/**
 * @module UTF-8 helpers shared by the byte parser and the instruction decoder. Sizes follow guacd's
 * `guac_utf8_charsize`: the lead byte alone decides, and a byte that cannot lead counts as one character.
 */

/**
 * @param lead the first byte of a character
 * @returns how many bytes the character occupies (1–4)
 */
export function utf8CharSize(lead: number): number {
  if (lead < 0x80) return 1;
  if (lead >= 0xc0 && lead < 0xe0) return 2;
  if (lead >= 0xe0 && lead < 0xf0) return 3;
  if (lead >= 0xf0 && lead < 0xf8) return 4;
  return 1;
}

/**
 * Finds where `count` code points starting at `pos` end.
 * @param bytes the bytes
 * @param pos where the code points start
 * @param count how many code points to skip
 * @returns the offset just past them; it may exceed `bytes.length` when the data is cut short
 */
export function skipCodePoints(bytes: Uint8Array, pos: number, count: number): number {
  let end = pos;
  for (let i = 0; i < count && end < bytes.length; i++) {
    end += utf8CharSize(bytes[end] ?? 0);
  }
  return end;
}
