/**
 * @module Hextile encoding (5): the rect is cut into 16x16 tiles, each raw or a background with coloured
 * or foreground-coloured subrects. A tile is decoded once all of its bytes have arrived.
 */
import type { Rect } from '../framebuffer.js';
import { protocolError } from '../errors.js';
import type { Decoder, DecoderContext, RectHeader } from './decoder.js';

const RAW = 1;
const BACKGROUND = 2;
const FOREGROUND = 4;
const ANY_SUBRECTS = 8;
const COLOURED = 16;

/** Decodes Hextile rects tile by tile; background and foreground carry over between tiles. */
export class HextileDecoder implements Decoder {
  readonly pseudo = false;
  #tile = 0;
  #background = 0;
  #foreground = 0;

  decode(rect: RectHeader, context: DecoderContext): boolean {
    const columns = Math.ceil(rect.width / 16);
    const tiles = columns * Math.ceil(rect.height / 16);
    while (this.#tile < tiles) {
      const tx = (this.#tile % columns) * 16;
      const ty = Math.floor(this.#tile / columns) * 16;
      const tile = {
        x: rect.x + tx,
        y: rect.y + ty,
        width: Math.min(16, rect.width - tx),
        height: Math.min(16, rect.height - ty),
      };
      if (!this.#decodeTile(tile, context)) return false;
      this.#tile++;
    }
    this.#tile = 0;
    context.sink.update(rect);
    return true;
  }

  /** Decodes one tile if all of its bytes are queued. */
  #decodeTile(tile: Rect, { stream, framebuffer, readers }: DecoderContext): boolean {
    const reader = readers.pixel;
    const bpp = reader.layout.size;
    if (!stream.has(1)) return false;
    const flags = stream.peek8();
    if (flags > 31) {
      throw protocolError('RFB_BAD_SUBENCODING', `invalid Hextile subencoding ${flags}.`);
    }
    if (flags & RAW) {
      const length = tile.width * tile.height * bpp;
      if (!stream.has(1 + length)) return false;
      stream.skip(1);
      framebuffer.putWire(tile, reader, stream.shiftBytes(length));
      return true;
    }
    let length = 1 + (flags & BACKGROUND ? bpp : 0) + (flags & FOREGROUND ? bpp : 0);
    let count = 0;
    if (flags & ANY_SUBRECTS) {
      if (!stream.has(length + 1)) return false;
      count = stream.peek8(length);
      length += 1 + count * (flags & COLOURED ? bpp + 2 : 2);
    }
    if (!stream.has(length)) return false;
    const bytes = stream.shiftBytes(length);
    let at = 1;
    if (flags & BACKGROUND) {
      this.#background = reader.read(bytes, at);
      at += bpp;
    }
    if (flags & FOREGROUND) {
      this.#foreground = reader.read(bytes, at);
      at += bpp;
    }
    framebuffer.fillRect(tile, this.#background);
    if (!(flags & ANY_SUBRECTS)) return true;
    at += 1;
    for (let i = 0; i < count; i++) {
      let pixel = this.#foreground;
      if (flags & COLOURED) {
        pixel = reader.read(bytes, at);
        at += bpp;
      }
      const xy = bytes[at] as number;
      const wh = bytes[at + 1] as number;
      at += 2;
      const sub = { x: xy >> 4, y: xy & 15, width: (wh >> 4) + 1, height: (wh & 15) + 1 };
      if (sub.x + sub.width > tile.width || sub.y + sub.height > tile.height) {
        throw protocolError(
          'RFB_SUBRECT_OUT_OF_BOUNDS',
          `Hextile subrect ${sub.width}x${sub.height}+${sub.x}+${sub.y} leaves its tile.`,
        );
      }
      framebuffer.fillRect({ ...sub, x: tile.x + sub.x, y: tile.y + sub.y }, pixel);
    }
    return true;
  }
}
