/**
 * @module RRE (2) and CoRRE (4) encodings: a background colour and a list of solid subrects, with u16
 * (RRE) or u8 (CoRRE) coordinates. Subrects are decoded as they arrive.
 */
import { protocolError } from '../errors.js';
import type { Decoder, DecoderContext, RectHeader } from './decoder.js';

/** Decodes RRE, or CoRRE when built with `compact`. */
export class RreDecoder implements Decoder {
  readonly pseudo = false;
  readonly #compact: boolean;
  #remaining = -1;

  /** @param compact true for CoRRE's u8 subrect coordinates */
  constructor(compact: boolean) {
    this.#compact = compact;
  }

  decode(rect: RectHeader, { stream, framebuffer, sink, readers }: DecoderContext): boolean {
    const reader = readers.pixel;
    const bpp = reader.layout.size;
    if (this.#remaining < 0) {
      if (!stream.has(4 + bpp)) return false;
      this.#remaining = stream.shift32();
      framebuffer.fillRect(rect, reader.read(stream.shiftBytes(bpp), 0));
    }
    const size = bpp + (this.#compact ? 4 : 8);
    while (this.#remaining > 0) {
      if (!stream.has(size)) return false;
      const pixel = reader.read(stream.shiftBytes(bpp), 0);
      const read = this.#compact ? () => stream.shift8() : () => stream.shift16();
      const [x, y, width, height] = [read(), read(), read(), read()];
      if (x + width > rect.width || y + height > rect.height) {
        throw protocolError(
          'RFB_SUBRECT_OUT_OF_BOUNDS',
          `RRE subrect ${width}x${height}+${x}+${y} lies outside its ${rect.width}x${rect.height} rect.`,
        );
      }
      framebuffer.fillRect({ x: rect.x + x, y: rect.y + y, width, height }, pixel);
      this.#remaining--;
    }
    this.#remaining = -1;
    sink.update(rect);
    return true;
  }
}
