/**
 * @module ZRLE encoding (16): zlib-compressed 64x64 tiles of 3-byte CPIXELs, each raw, solid, packed
 * palette, plain RLE or palette RLE (RFC 6143 §7.7.6). Every read of the inflated data is bounds-checked.
 */
import type { Framebuffer, Rect } from '../framebuffer.js';
import { protocolError } from '../errors.js';
import type { Decoder, DecoderContext, RectHeader } from './decoder.js';
import { Inflater } from './inflater.js';

const TILE = 64;

/** Reads inflated ZRLE data, failing cleanly when it runs out. */
class TileReader {
  at = 0;
  constructor(readonly bytes: Uint8Array) {}

  u8(): number {
    if (this.at >= this.bytes.length) throw truncated();
    return this.bytes[this.at++] as number;
  }

  /** A CPIXEL (R, G, B) as a little-endian u32. */
  cpixel(): number {
    if (this.at + 3 > this.bytes.length) throw truncated();
    const b = this.bytes;
    const value = (b[this.at] as number) | ((b[this.at + 1] as number) << 8);
    const pixel = (value | ((b[this.at + 2] as number) << 16)) >>> 0;
    this.at += 3;
    return pixel;
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

  decode(rect: RectHeader, { stream, framebuffer, sink }: DecoderContext): boolean {
    if (!stream.has(4)) return false;
    const length = stream.peek32();
    const tiles = Math.ceil(rect.width / TILE) * Math.ceil(rect.height / TILE);
    const limit = tiles * (1 + 127 * 3) + rect.width * rect.height * 4;
    if (length > limit + (limit >> 3) + 1024) {
      throw protocolError(
        'RFB_LENGTH_TOO_LARGE',
        `ZRLE length ${length} is too large for its rect.`,
      );
    }
    if (!stream.has(4 + length)) return false;
    stream.skip(4);
    const reader = new TileReader(this.#inflater.inflate(stream.shiftBytes(length), limit, 'ZRLE'));
    for (let ty = 0; ty < rect.height; ty += TILE) {
      for (let tx = 0; tx < rect.width; tx += TILE) {
        const tile = {
          x: rect.x + tx,
          y: rect.y + ty,
          width: Math.min(TILE, rect.width - tx),
          height: Math.min(TILE, rect.height - ty),
        };
        this.#decodeTile(tile, reader, framebuffer);
      }
    }
    sink.update(rect);
    return true;
  }

  #decodeTile(tile: Rect, reader: TileReader, framebuffer: Framebuffer): void {
    const count = tile.width * tile.height;
    const pixels = this.#tile.subarray(0, count);
    const type = reader.u8();
    if (type === 1) {
      framebuffer.fillRect(tile, reader.cpixel());
      return;
    }
    if (type === 0) {
      for (let i = 0; i < count; i++) pixels[i] = reader.cpixel();
    } else if (type >= 2 && type <= 16) {
      const palette = Array.from({ length: type }, () => reader.cpixel());
      const bits = type === 2 ? 1 : type <= 4 ? 2 : 4;
      const mask = (1 << bits) - 1;
      for (let y = 0; y < tile.height; y++) {
        let byte = 0;
        let left = 0;
        for (let x = 0; x < tile.width; x++) {
          if (left === 0) {
            byte = reader.u8();
            left = 8;
          }
          left -= bits;
          const index = (byte >> left) & mask;
          if (index >= type) throw badIndex(index);
          pixels[y * tile.width + x] = palette[index] as number;
        }
      }
    } else if (type === 128 || type >= 130) {
      const palette = type === 128 ? [] : Array.from({ length: type - 128 }, () => reader.cpixel());
      for (let i = 0; i < count;) {
        let pixel: number;
        let run = 1;
        if (type === 128) {
          pixel = reader.cpixel();
          run = reader.runLength(count - i);
        } else {
          const index = reader.u8();
          if ((index & 127) >= palette.length) throw badIndex(index & 127);
          pixel = palette[index & 127] as number;
          if (index & 128) run = reader.runLength(count - i);
        }
        pixels.fill(pixel, i, i + run);
        i += run;
      }
    } else {
      throw protocolError('RFB_BAD_SUBENCODING', `invalid ZRLE subencoding ${type}.`);
    }
    const bytes = new Uint8Array(pixels.buffer, 0, count * 4);
    framebuffer.putPixels(tile, bytes);
  }
}

function badIndex(index: number): Error {
  return protocolError('RFB_BAD_PALETTE_INDEX', `ZRLE palette index ${index} out of range.`);
}
