/** @module Cursor pseudo-encoding (-239): a cursor image and a 1-bit transparency mask. */
import { protocolError } from '../errors.js';
import type { Decoder, DecoderContext, RectHeader } from './decoder.js';

/** The largest cursor side accepted. */
export const MAX_CURSOR_DIMENSION = 512;

/** Decodes Cursor rects; the rect's x and y are the hotspot. */
export class CursorDecoder implements Decoder {
  readonly pseudo = true;

  decode(rect: RectHeader, { stream, sink }: DecoderContext): boolean {
    const { width, height } = rect;
    if (width > MAX_CURSOR_DIMENSION || height > MAX_CURSOR_DIMENSION) {
      throw protocolError('RFB_CURSOR_TOO_LARGE', `cursor ${width}x${height} is too large.`);
    }
    const maskRow = Math.ceil(width / 8);
    const pixelBytes = width * height * 4;
    if (!stream.has(pixelBytes + maskRow * height)) return false;
    const pixels = stream.shiftCopy(pixelBytes);
    const mask = stream.shiftCopy(maskRow * height);
    for (let y = 0; y < height; y++) {
      for (let x = 0; x < width; x++) {
        const bit = ((mask[y * maskRow + (x >> 3)] as number) >> (7 - (x & 7))) & 1;
        pixels[(y * width + x) * 4 + 3] = bit ? 255 : 0;
      }
    }
    sink.cursor({ width, height, hotspot: { x: rect.x, y: rect.y }, pixels, mask });
    return true;
  }
}
