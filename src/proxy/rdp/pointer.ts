/**
 * @module Pointer updates (MS-RDPBCGR 2.2.9.1.1.4): colour (24 bpp) and new (1–32 bpp) pointers with
 * their AND masks decoded into RGBA cursor images, a bounded pointer cache, and the hidden pointer.
 */
import type { ByteReader } from './bytes.js';
import { protocolError } from './errors.js';

/** A decoded cursor: RGBA pixels, size and hotspot. */
export interface RdpCursor {
  readonly pixels: Uint8Array;
  readonly width: number;
  readonly height: number;
  readonly hotspotX: number;
  readonly hotspotY: number;
}

/** The largest pointer side accepted (large pointers are 384 pixels at most). */
const MAX_POINTER = 384;
/** Pointer cache entries kept (the client advertises 25). */
export const POINTER_CACHE_SIZE = 25;

/** A 1×1 transparent cursor: the hidden pointer. */
export const HIDDEN_CURSOR: RdpCursor = {
  pixels: new Uint8Array(4),
  width: 1,
  height: 1,
  hotspotX: 0,
  hotspotY: 0,
};

/**
 * Decodes a TS_COLORPOINTERATTRIBUTE (after xorBpp for new pointers).
 * @param reader positioned at cacheIndex
 * @param xorBpp the XOR mask depth (24 for colour pointers)
 * @returns the cache index and the cursor
 */
export function parsePointer(
  reader: ByteReader,
  xorBpp: number,
): { cacheIndex: number; cursor: RdpCursor } {
  const cacheIndex = reader.u16();
  const hotX = reader.u16();
  const hotY = reader.u16();
  const width = reader.u16();
  const height = reader.u16();
  const andLength = reader.u16();
  const xorLength = reader.u16();
  if (![1, 8, 15, 16, 24, 32].includes(xorBpp)) {
    throw protocolError('RDP_BAD_POINTER', `pointer depth ${xorBpp}.`);
  }
  if (width > MAX_POINTER || height > MAX_POINTER) {
    throw protocolError('RDP_BAD_POINTER', `pointer ${width}x${height} is too large.`);
  }
  const xor = reader.bytes(xorLength, 'pointer XOR mask');
  const and = reader.bytes(andLength, 'pointer AND mask');
  if (width === 0 || height === 0) return { cacheIndex, cursor: HIDDEN_CURSOR };
  const bytes = xorBpp === 15 ? 2 : Math.ceil(xorBpp / 8);
  const xorStride = xorBpp === 1 ? ((width + 15) >> 4) * 2 : (width * bytes + 1) & ~1;
  const andStride = ((width + 15) >> 4) * 2;
  if (xor.length < xorStride * height) {
    throw protocolError('RDP_BAD_POINTER', `pointer XOR mask of ${xor.length} bytes is short.`);
  }
  const hasAnd = and.length >= andStride * height;
  const pixels = new Uint8Array(width * height * 4);
  for (let row = 0; row < height; row++) {
    const xorRow = (height - 1 - row) * xorStride;
    const andRow = (height - 1 - row) * andStride;
    for (let col = 0; col < width; col++) {
      const andBit = hasAnd ? ((and[andRow + (col >> 3)] as number) >> (7 - (col & 7))) & 1 : 0;
      const [r, g, b, a] = xorPixel(xor, xorRow, col, xorBpp);
      const at = (row * width + col) * 4;
      const alpha = xorBpp === 32 ? a : andBit === 1 ? (r | g | b ? 255 : 0) : 255;
      pixels[at] = r;
      pixels[at + 1] = g;
      pixels[at + 2] = b;
      pixels[at + 3] = alpha;
    }
  }
  return {
    cacheIndex,
    cursor: {
      pixels,
      width,
      height,
      hotspotX: Math.min(hotX, width - 1),
      hotspotY: Math.min(hotY, height - 1),
    },
  };
}

function xorPixel(
  xor: Uint8Array,
  row: number,
  col: number,
  bpp: number,
): [number, number, number, number] {
  const byte = (i: number) => xor[i] ?? 0;
  switch (bpp) {
    case 1: {
      const on = (byte(row + (col >> 3)) >> (7 - (col & 7))) & 1;
      return on ? [255, 255, 255, 255] : [0, 0, 0, 255];
    }
    case 8: {
      const v = byte(row + col);
      return [v, v, v, 255];
    }
    case 15:
    case 16: {
      const v = byte(row + col * 2) | (byte(row + col * 2 + 1) << 8);
      const r = bpp === 16 ? (v >> 11) & 0x1f : (v >> 10) & 0x1f;
      const g = bpp === 16 ? ((v >> 5) & 0x3f) << 2 : ((v >> 5) & 0x1f) << 3;
      return [r << 3, g, (v & 0x1f) << 3, 255];
    }
    case 24: {
      const at = row + col * 3;
      return [byte(at + 2), byte(at + 1), byte(at), 255];
    }
    default: {
      const at = row + col * 4;
      return [byte(at + 2), byte(at + 1), byte(at), byte(at + 3)];
    }
  }
}
