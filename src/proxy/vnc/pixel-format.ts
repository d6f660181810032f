/**
 * @module RFB PIXEL_FORMAT (RFC 6143 §7.4). The client always asks for 32-bit true colour, little-endian,
 * laid out so that pixel bytes in memory are R, G, B, X (or B, G, R, X with swap-red-blue).
 */

/** The 16-byte PIXEL_FORMAT structure. */
export interface PixelFormat {
  readonly bitsPerPixel: number;
  readonly depth: number;
  readonly bigEndian: boolean;
  readonly trueColour: boolean;
  readonly redMax: number;
  readonly greenMax: number;
  readonly blueMax: number;
  readonly redShift: number;
  readonly greenShift: number;
  readonly blueShift: number;
}

/**
 * The format this client requests: 32 bpp, depth 24, little-endian, true colour.
 * @param swapRedBlue whether to swap red and blue (guacd's `swap-red-blue`)
 * @returns the pixel format
 */
export function clientPixelFormat(swapRedBlue: boolean): PixelFormat {
  return {
    bitsPerPixel: 32,
    depth: 24,
    bigEndian: false,
    trueColour: true,
    redMax: 255,
    greenMax: 255,
    blueMax: 255,
    redShift: swapRedBlue ? 16 : 0,
    greenShift: 8,
    blueShift: swapRedBlue ? 0 : 16,
  };
}

/**
 * Parses PIXEL_FORMAT.
 * @param bytes 16 bytes
 * @returns the format
 */
export function parsePixelFormat(bytes: Uint8Array): PixelFormat {
  const view = new DataView(bytes.buffer, bytes.byteOffset, 16);
  return {
    bitsPerPixel: view.getUint8(0),
    depth: view.getUint8(1),
    bigEndian: view.getUint8(2) !== 0,
    trueColour: view.getUint8(3) !== 0,
    redMax: view.getUint16(4),
    greenMax: view.getUint16(6),
    blueMax: view.getUint16(8),
    redShift: view.getUint8(10),
    greenShift: view.getUint8(11),
    blueShift: view.getUint8(12),
  };
}

/**
 * Serializes PIXEL_FORMAT.
 * @param format the format
 * @returns 16 bytes
 */
export function encodePixelFormat(format: PixelFormat): Uint8Array {
  const bytes = new Uint8Array(16);
  const view = new DataView(bytes.buffer);
  view.setUint8(0, format.bitsPerPixel);
  view.setUint8(1, format.depth);
  view.setUint8(2, format.bigEndian ? 1 : 0);
  view.setUint8(3, format.trueColour ? 1 : 0);
  view.setUint16(4, format.redMax);
  view.setUint16(6, format.greenMax);
  view.setUint16(8, format.blueMax);
  view.setUint8(10, format.redShift);
  view.setUint8(11, format.greenShift);
  view.setUint8(12, format.blueShift);
  return bytes;
}
