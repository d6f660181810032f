/**
 * @module ZRLE encoding (16): zlib-compressed 64x64 tiles of CPIXELs (1, 2 or 3 bytes, per the pixel
 * format), each raw, solid, packed palette, plain RLE or palette RLE (RFC 6143 §7.7.6). Every read of
 * the inflated data is bounds-checked; tiles decode into one reused buffer.
 */
import type { Framebuffer } from '../framebuffer.js';
import { protocolError } from '../errors.js';
import type { PixelReader } from '../pixel-reader.js';
import type { Decoder, DecoderContext, RectHeader } from './decoder.js';
import { Inflater } from './inflater.js';

const TILE = 64;

/** Reads inflated ZRLE data, failing cleanly when it runs out. */
class TileReader {
  at = 0;
  bytes: Uint8Array = new Uint8Array(0);
  reader!: PixelReader;
  size = 3;

  u8(): number {
    if (this.at >= this.bytes.length) throw truncated();
    return this.bytes[this.at++] as number;
  }

  /** A CPIXEL as RGBA. */
  cpixel(): number {
    if (this.at + this.size > this.bytes.length) throw truncated();
    const pixel = this.reader.read(this.bytes, this.at);
    this.at += this.size;
    return pixel;
  }

  /** `count` CPIXELs into `target` as RGBA. */
  cpixels(count: number, target: Uint32Array): void {
    if (this.at + count * this.size > this.bytes.length) throw truncated();
    this.reader.convert(this.bytes, this.at, count, target, 0);
    this.at += count * this.size;
  }

  /** An RLE run length: bytes summed until one is not 255, plus one. */
  runLength(max: number): number {
    let length = 1;
    let byte: number;
    do {
      byte = this.u8();
      length += byte;
    } while (byte === 255 && length <= max);
    if (length > max) {
      throw protocolError('RFB_RUN_TOO_LONG', 'ZRLE run is longer than its tile.');
    }
    return length;
  }
}

function truncated(): Error {
  return protocolError('RFB_TRUNCATED', 'ZRLE data ends inside a tile.');
}

/** Decodes ZRLE rects: u32 length, then data from the connection's persistent zlib stream. */
export class ZrleDecoder implements Decoder {
  readonly pseudo = false;
  readonly #inflater = new Inflater();
  readonly #tile = new Uint32Array(TILE * TILE);
  readonly #palette = new Uint32Array(128);
  readonly #reader = new TileReader();

  decode(rect: RectHeader, { stream, framebuffer, sink, readers }: DecoderContext): boolean {
    if (!stream.has(4)) return false;
    const length = stream.peek32();
    const size = readers.cpixel.layout.size;
    const tiles = Math.ceil(rect.width / TILE) * Math.ceil(rect.height / TILE);
    // The largest a rect can inflate to: palettes, then plain RLE's CPIXEL and run byte per pixel.
    const limit = tiles * (1 + 127 * size) + rect.width * rect.height * (size + 1);
    if (length > limit + (limit >> 3) + 1024) {
      throw protocolError(
        'RFB_LENGTH_TOO_LARGE',
        `ZRLE length ${length} is too large for its rect.`,
      );
    }
    if (!stream.has(4 + length)) return false;
    stream.skip(4);
    const reader = this.#reader;
    reader.bytes = this.#inflater.inflate(stream.shiftBytes(length), limit, 'ZRLE');
    reader.at = 0;
    reader.reader = readers.cpixel;
    reader.size = size;
    for (let ty = 0; ty < rect.height; ty += TILE) {
      const height = Math.min(TILE, rect.height - ty);
      for (let tx = 0; tx < rect.width; tx += TILE) {
        const width = Math.min(TILE, rect.width - tx);
        this.#decodeTile(rect.x + tx, rect.y + ty, width, height, framebuffer);
      }
    }
    reader.bytes = new Uint8Array(0);
    sink.update(rect);
    return true;
  }

  #decodeTile(x: number, y: number, width: number, height: number, framebuffer: Framebuffer) {
    const reader = this.#reader;
    const tile = { x, y, width, height };
    const count = width * height;
    const pixels = this.#tile;
    const palette = this.#palette;
    const type = reader.u8();
    if (type === 1) {
      framebuffer.fillRect(tile, reader.cpixel());
      return;
    }
    if (type === 0) {
      reader.cpixels(count, pixels);
    } else if (type >= 2 && type <= 16) {
      reader.cpixels(type, palette);
      const bits = type === 2 ? 1 : type <= 4 ? 2 : 4;
      const mask = (1 << bits) - 1;
      for (let row = 0, i = 0; row < height; row++) {
        let byte = 0;
        let left = 0;
        for (let col = 0; col < width; col++, i++) {
          if (left === 0) {
            byte = reader.u8();
            left = 8;
          }
          left -= bits;
          const index = (byte >> left) & mask;
          if (index >= type) throw badIndex(index);
          pixels[i] = palette[index] as number;
        }
      }
    } else if (type === 128) {
      for (let i = 0; i < count;) {
        const pixel = reader.cpixel();
        const run = reader.runLength(count - i);
        pixels.fill(pixel, i, i + run);
        i += run;
      }
    } else if (type >= 130) {
      const colours = type - 128;
      reader.cpixels(colours, palette);
      for (let i = 0; i < count;) {
        const index = reader.u8();
        if ((index & 127) >= colours) throw badIndex(index & 127);
        const pixel = palette[index & 127] as number;
        const run = index & 128 ? reader.runLength(count - i) : 1;
        pixels.fill(pixel, i, i + run);
        i += run;
      }
    } else {
      throw protocolError('RFB_BAD_SUBENCODING', `invalid ZRLE subencoding ${type}.`);
    }
    framebuffer.putRgba(tile, pixels);
  }
}

function badIndex(index: number): Error {
  return protocolError('RFB_BAD_PALETTE_INDEX', `ZRLE palette index ${index} out of range.`);
}
