/** @module Raw encoding (0): rows of 32-bit pixels, decoded row by row as they arrive. */
import type { Decoder, DecoderContext, RectHeader } from './decoder.js';

/** Decodes Raw rects without buffering more than one row. */
export class RawDecoder implements Decoder {
  readonly pseudo = false;
  #row = 0;

  decode(rect: RectHeader, { stream, framebuffer, sink }: DecoderContext): boolean {
    const rowBytes = rect.width * 4;
    while (this.#row < rect.height) {
      if (!stream.has(rowBytes)) return false;
      const row = { x: rect.x, y: rect.y + this.#row, width: rect.width, height: 1 };
      framebuffer.putPixels(row, stream.shiftBytes(rowBytes));
      this.#row++;
    }
    this.#row = 0;
    sink.update(rect);
    return true;
  }
}
