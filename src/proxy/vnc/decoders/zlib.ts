/** @module Zlib encoding (6): Raw pixels (in the negotiated format) compressed with the connection's persistent zlib stream. */
import { protocolError } from '../errors.js';
import type { Decoder, DecoderContext, RectHeader } from './decoder.js';
import { Inflater } from './inflater.js';

/** Decodes Zlib rects: u32 length, then compressed Raw pixel data. */
export class ZlibDecoder implements Decoder {
  readonly pseudo = false;
  readonly #inflater = new Inflater();

  decode(rect: RectHeader, { stream, framebuffer, sink, readers }: DecoderContext): boolean {
    if (!stream.has(4)) return false;
    const length = stream.peek32();
    const expected = rect.width * rect.height * readers.pixel.layout.size;
    if (length > expected + (expected >> 3) + 1024) {
      throw protocolError(
        'RFB_LENGTH_TOO_LARGE',
        `Zlib length ${length} is too large for its rect.`,
      );
    }
    if (!stream.has(4 + length)) return false;
    stream.skip(4);
    const pixels = this.#inflater.inflate(stream.shiftBytes(length), expected, 'Zlib');
    if (pixels.length !== expected) {
      throw protocolError(
        'RFB_TRUNCATED',
        `Zlib rect decompressed to ${pixels.length} bytes, expected ${expected}.`,
      );
    }
    framebuffer.putWire(rect, readers.pixel, pixels);
    sink.update(rect);
    return true;
  }
}
