/** @module Raw encoding (0): rows of pixels in the negotiated format, decoded as whole rows arrive. */
import type { Decoder, DecoderContext, RectHeader } from './decoder.js';

/** Decodes Raw rects, converting every complete row that is queued. */
export class RawDecoder implements Decoder {
  readonly pseudo = false;
  #row = 0;

  decode(rect: RectHeader, { stream, framebuffer, sink, readers }: DecoderContext): boolean {
    const rowBytes = rect.width * readers.pixel.layout.size;
    while (this.#row < rect.height) {
      const rows =
        rowBytes === 0
          ? rect.height - this.#row
          : Math.min(rect.height - this.#row, Math.floor(stream.available / rowBytes));
      if (rows === 0) return false;
      const area = { x: rect.x, y: rect.y + this.#row, width: rect.width, height: rows };
      framebuffer.putWire(area, readers.pixel, stream.shiftBytes(rows * rowBytes));
      this.#row += rows;
    }
    this.#row = 0;
    sink.update(rect);
    return true;
  }
}
