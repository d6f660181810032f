/** @module Cursor pseudo-encoding (-239): a cursor image in the pixel format and a 1-bit mask. */
import { protocolError } from '../errors.js';
import type { Decoder, DecoderContext, RectHeader } from './decoder.js';

/** The largest cursor side accepted. */
export const MAX_CURSOR_DIMENSION = 512;

/** Decodes Cursor rects; the rect's x and y are the hotspot. */
export class CursorDecoder implements Decoder {
  readonly pseudo = true;

  decode(rect: RectHeader, { stream, sink, readers }: DecoderContext): boolean {
    const { width, height } = rect;
    if (width > MAX_CURSOR_DIMENSION || height > MAX_CURSOR_DIMENSION) {
      throw protocolError('RFB_CURSOR_TOO_LARGE', `cursor ${width}x${height} is too large.`);
    }
    const maskRow = Math.ceil(width / 8);
    const pixelBytes = width * height * readers.pixel.layout.size;
    if (!stream.has(pixelBytes + maskRow * height)) return false;
    const rgba = new Uint32Array(width * height);
    readers.pixel.convert(stream.shiftBytes(pixelBytes), 0, width * height, rgba, 0);
    const pixels = new Uint8Array(rgba.buffer);
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
