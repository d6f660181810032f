/** @module CopyRect encoding (1): the rect is a copy of another area of the framebuffer. */
import type { Decoder, DecoderContext, RectHeader } from './decoder.js';

/** Decodes CopyRect rects (source x and y, u16 each). */
export class CopyRectDecoder implements Decoder {
  readonly pseudo = false;

  decode(rect: RectHeader, { stream, framebuffer, sink }: DecoderContext): boolean {
    if (!stream.has(4)) return false;
    const srcX = stream.shift16();
    const srcY = stream.shift16();
    framebuffer.copyRect(srcX, srcY, rect);
    sink.copy(srcX, srcY, rect);
    return true;
  }
}
