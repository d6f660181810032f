/**
 * @module RFB PIXEL_FORMAT (RFC 6143 §7.4): the true-colour, little-endian format this client asks for
 * at each `color-depth` (8, 16 or 32 bits per pixel), and its 16-byte wire form.
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
 * The format this client requests for guacd's `color-depth` (guacd's guac_vnc_set_pixel_format):
 * 8 is BGR233 (red in the low 3 bits, blue in the top 2), 16 is RGB565, anything else is 32 bpp
 * depth 24. The 32-bit format puts red in the low byte (guacd asks for red at shift 16) so that its
 * little-endian pixels are already the framebuffer's R, G, B bytes; `swap-red-blue` is applied when
 * converting, as in guacd, not in the request.
 * @param colorDepth guacd's `color-depth`
 * @returns the pixel format, little-endian, true colour
 */
export function clientPixelFormat(colorDepth: number): PixelFormat {
  const base = { bigEndian: false, trueColour: true };
  if (colorDepth === 8) {
    return {
      ...base,
      bitsPerPixel: 8,
      depth: 8,
      redMax: 7,
      greenMax: 7,
      blueMax: 3,
      redShift: 0,
      greenShift: 3,
      blueShift: 6,
    };
  }
  if (colorDepth === 16) {
    return {
      ...base,
      bitsPerPixel: 16,
      depth: 16,
      redMax: 31,
      greenMax: 63,
      blueMax: 31,
      redShift: 11,
      greenShift: 5,
      blueShift: 0,
    };
  }
  return {
    ...base,
    bitsPerPixel: 32,
    depth: 24,
    redMax: 255,
    greenMax: 255,
    blueMax: 255,
    redShift: 0,
    greenShift: 8,
    blueShift: 16,
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
