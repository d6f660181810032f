/**
 * @module RFB encoding numbers (RFC 6143 §7.7, §7.8 and the community registry) and the names guacd's
 * `encodings` parameter uses for them.
 */

/** Encoding and pseudo-encoding numbers. */
export const Encoding = {
  RAW: 0,
  COPY_RECT: 1,
  RRE: 2,
  CORRE: 4,
  HEXTILE: 5,
  ZLIB: 6,
  TIGHT: 7,
  ULTRA: 9,
  ZRLE: 16,
  CURSOR: -239,
  DESKTOP_SIZE: -223,
  LAST_RECT: -224,
  EXTENDED_DESKTOP_SIZE: -308,
  /** Tight JPEG quality 0…9 is announced as QUALITY_LEVEL_0 + level. */
  QUALITY_LEVEL_0: -32,
  /** Zlib compression level 0…9 is announced as COMPRESS_LEVEL_0 + level. */
  COMPRESS_LEVEL_0: -256,
} as const;

/** One of the encoding numbers above. */
export type EncodingNumber = (typeof Encoding)[keyof typeof Encoding];

/** guacd's encoding names (`encodings` parameter) mapped to their numbers. */
export const ENCODING_BY_NAME: ReadonlyMap<string, number> = new Map([
  ['raw', Encoding.RAW],
  ['copyrect', Encoding.COPY_RECT],
  ['rre', Encoding.RRE],
  ['corre', Encoding.CORRE],
  ['hextile', Encoding.HEXTILE],
  ['zlib', Encoding.ZLIB],
  ['tight', Encoding.TIGHT],
  ['ultra', Encoding.ULTRA],
  ['zrle', Encoding.ZRLE],
]);

/** guacd's default `encodings` value (libvncclient's order of preference). */
export const DEFAULT_ENCODINGS = 'zrle ultra copyrect hextile zlib corre rre raw';

/**
 * The name of an encoding number, for error messages.
 * @param encoding the number
 * @returns its guacd name, a pseudo-encoding name, or the number itself
 */
export function encodingName(encoding: number): string {
  for (const [name, value] of ENCODING_BY_NAME) if (value === encoding) return name;
  for (const [name, value] of Object.entries(Encoding)) if (value === encoding) return name;
  return String(encoding);
}

/**
 * Turns a guacd `encodings` string into the numbers to announce, keeping only supported ones.
 * @param list space-separated encoding names, like guacd's parameter
 * @param supported the encodings this client can decode
 * @returns the encodings in the given order, without duplicates or unsupported names
 */
export function parseEncodingList(list: string, supported: ReadonlySet<number>): number[] {
  const result: number[] = [];
  for (const name of list.toLowerCase().split(/[\s,]+/)) {
    const value = ENCODING_BY_NAME.get(name);
    if (value !== undefined && supported.has(value) && !result.includes(value)) result.push(value);
  }
  return result;
}
