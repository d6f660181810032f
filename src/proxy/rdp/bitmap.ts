/**
 * @module Bitmap updates (TS_UPDATE_BITMAP_DATA, MS-RDPBCGR 2.2.9.1.1.3.1.2): each rectangle is decoded
 * (uncompressed or interleaved RLE; rows bottom-up) into RGBA and clipped to its destination. A rect
 * outside the desktop, a bitmap smaller than its destination or a short buffer is a protocol error.
 */
import { decodeInterleavedRle } from './bitmap-rle.js';
import type { ByteReader } from './bytes.js';
import { protocolError } from './errors.js';

const BITMAP_COMPRESSION = 0x0001;
const NO_BITMAP_COMPRESSION_HDR = 0x0400;

/** How far a bitmap may extend past the desktop on each axis (servers pad tiles to 64 pixels). */
const MAX_PADDING = 64;

/** One decoded rectangle: where it goes and its RGBA pixels (stride width × 4). */
export interface DecodedBitmap {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly rgba: Uint8Array;
}

/**
 * Converts one pixel value to 0xRRGGBB.
 * @param value the pixel value as stored (little-endian)
 * @param bpp 8, 15, 16, 24 or 32
 * @param palette 256 × 0xRRGGBB entries for 8 bpp
 * @returns the colour
 */
export function pixelToRgb(value: number, bpp: number, palette: Uint32Array): number {
  switch (bpp) {
    case 8:
      return palette[value & 0xff] ?? 0;
    case 15: {
      const r = (value >> 10) & 0x1f;
      const g = (value >> 5) & 0x1f;
      const b = value & 0x1f;
      return (((r << 3) | (r >> 2)) << 16) | (((g << 3) | (g >> 2)) << 8) | ((b << 3) | (b >> 2));
    }
    case 16: {
      const r = (value >> 11) & 0x1f;
      const g = (value >> 5) & 0x3f;
      const b = value & 0x1f;
      return (((r << 3) | (r >> 2)) << 16) | (((g << 2) | (g >> 4)) << 8) | ((b << 3) | (b >> 2));
    }
    default:
      return value & 0xffffff;
  }
}

function bytesPerPixel(bpp: number): number {
  if (bpp === 8) return 1;
  if (bpp === 15 || bpp === 16) return 2;
  if (bpp === 24) return 3;
  if (bpp === 32) return 4;
  throw protocolError('RDP_BAD_BITMAP', `unsupported bitmap depth ${bpp}.`);
}

/**
 * Parses and decodes a bitmap update.
 * @param reader positioned at updateType (TS_UPDATE_BITMAP_DATA)
 * @param desktop the desktop size every rect is checked against
 * @param desktop.width the desktop width
 * @param desktop.height the desktop height
 * @param palette the current palette (8 bpp)
 * @returns the decoded rectangles
 */
export function parseBitmapUpdate(
  reader: ByteReader,
  desktop: { width: number; height: number },
  palette: Uint32Array,
): DecodedBitmap[] {
  reader.skip(2);
  const count = reader.u16();
  const out: DecodedBitmap[] = [];
  for (let i = 0; i < count; i++) {
    const left = reader.u16();
    const top = reader.u16();
    const right = reader.u16();
    const bottom = reader.u16();
    const width = reader.u16();
    const height = reader.u16();
    const bpp = reader.u16();
    const flags = reader.u16();
    let length = reader.u16();
    if ((flags & BITMAP_COMPRESSION) !== 0 && (flags & NO_BITMAP_COMPRESSION_HDR) === 0) {
      reader.skip(8);
      length -= 8;
    }
    const data = reader.bytes(length, 'bitmap data');
    if (right < left || bottom < top || left >= desktop.width || top >= desktop.height) {
      throw protocolError(
        'RDP_RECT_OUT_OF_BOUNDS',
        `bitmap rect ${left},${top}-${right},${bottom} lies outside the ` +
          `${desktop.width}x${desktop.height} desktop.`,
      );
    }
    const destWidth = Math.min(right, desktop.width - 1) - left + 1;
    const destHeight = Math.min(bottom, desktop.height - 1) - top + 1;
    if (
      width > desktop.width + MAX_PADDING ||
      height > desktop.height + MAX_PADDING ||
      destWidth > width ||
      destHeight > height
    ) {
      throw protocolError(
        'RDP_BAD_BITMAP',
        `bitmap ${width}x${height} does not cover its ${destWidth}x${destHeight} destination.`,
      );
    }
    const values = decodeValues(data, width, height, bpp, (flags & BITMAP_COMPRESSION) !== 0);
    const rgba = new Uint8Array(destWidth * destHeight * 4);
    for (let row = 0; row < destHeight; row++) {
      const from = (height - 1 - row) * width;
      let to = row * destWidth * 4;
      for (let col = 0; col < destWidth; col++) {
        const rgb = pixelToRgb(values[from + col] as number, bpp, palette);
        rgba[to++] = (rgb >> 16) & 0xff;
        rgba[to++] = (rgb >> 8) & 0xff;
        rgba[to++] = rgb & 0xff;
        rgba[to++] = 0xff;
      }
    }
    out.push({ x: left, y: top, width: destWidth, height: destHeight, rgba });
  }
  return out;
}

/**
 * Pixel values of a whole bitmap, rows bottom-up.
 * @param data the bitmap bytes
 * @param width the bitmap width
 * @param height the bitmap height
 * @param bpp the depth
 * @param compressed whether it is interleaved RLE
 * @returns width × height values
 */
function decodeValues(
  data: Uint8Array,
  width: number,
  height: number,
  bpp: number,
  compressed: boolean,
): Uint32Array {
  if (compressed) {
    if (bpp === 32) {
      throw protocolError('RDP_BAD_BITMAP', 'planar (32 bpp) bitmaps were never advertised.');
    }
    return decodeInterleavedRle(data, width, height, bpp);
  }
  const size = bytesPerPixel(bpp);
  const stride = (width * size + 3) & ~3;
  if (data.length < stride * (height - 1) + width * size) {
    throw protocolError(
      'RDP_BAD_BITMAP',
      `uncompressed ${width}x${height} bitmap needs ${stride * height} bytes, got ${data.length}.`,
    );
  }
  const values = new Uint32Array(width * height);
  for (let row = 0; row < height; row++) {
    let at = row * stride;
    for (let col = 0; col < width; col++) {
      let value = 0;
      for (let b = 0; b < size; b++) value |= (data[at + b] as number) << (8 * b);
      values[row * width + col] = value >>> 0;
      at += size;
    }
  }
  return values;
}
