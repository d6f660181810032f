/**
 * @module Tight encoding (7): fill, JPEG (and TightPNG's PNG) or "basic" rects whose data is copied,
 * paletted or gradient-filtered TPIXELs (R, G, B bytes at 32 bpp, else PIXELs), zlib-compressed on one
 * of four resettable streams.
 * JPEG and PNG data is not decoded here: it is passed on through the sink's `image` as a blob.
 */
import { protocolError } from '../errors.js';
import type { Decoder, DecoderContext, RectHeader } from './decoder.js';
import { Inflater } from './inflater.js';
import { undoGradient } from './tight-gradient.js';

const FILL = 8;
const JPEG = 9;
const PNG = 10;

/** Decodes Tight rects once all of a rect's bytes are queued. */
export class TightDecoder implements Decoder {
  readonly pseudo = false;
  readonly #streams: (Inflater | undefined)[] = [undefined, undefined, undefined, undefined];
  readonly #palette = new Uint32Array(256);
  #pixels = new Uint32Array(0);

  decode(rect: RectHeader, context: DecoderContext): boolean {
    const { stream, framebuffer, sink, readers } = context;
    if (!stream.has(1)) return false;
    const control = stream.peek8();
    const type = control >> 4;
    if (type === FILL) {
      const size = readers.tpixel.layout.size;
      if (!stream.has(1 + size)) return false;
      stream.skip(1);
      const pixel = readers.tpixel.read(stream.shiftBytes(size), 0);
      this.#reset(control);
      framebuffer.fillRect(rect, pixel);
      sink.update(rect);
      return true;
    }
    if (type === JPEG || type === PNG) {
      const length = compactLength(context, 1, rect.width * rect.height * 4 + 65536);
      if (length === undefined || !stream.has(length.bytes + length.value)) return false;
      stream.skip(length.bytes);
      this.#reset(control);
      sink.image(rect, type === JPEG ? 'image/jpeg' : 'image/png', stream.shiftCopy(length.value));
      return true;
    }
    if (type > 7) throw protocolError('RFB_BAD_SUBENCODING', `invalid Tight type ${type}.`);
    return this.#basic(rect, control, context);
  }

  #basic(rect: RectHeader, control: number, context: DecoderContext): boolean {
    const { stream, framebuffer, sink } = context;
    const reader = context.readers.tpixel;
    const bpp = reader.layout.size;
    let at = 1;
    let filter = 0;
    if (control & 0x40) {
      if (!stream.has(2)) return false;
      filter = stream.peek8(1);
      at = 2;
    }
    if (filter > 2) throw protocolError('RFB_BAD_SUBENCODING', `invalid Tight filter ${filter}.`);
    let colours = 0;
    if (filter === 1) {
      if (!stream.has(at + 1)) return false;
      colours = stream.peek8(at) + 1;
      if (!stream.has(at + 1 + colours * bpp)) return false;
      reader.convert(stream.peekBytes(at + 1, colours * bpp), 0, colours, this.#palette, 0);
      at += 1 + colours * bpp;
    }
    const { width, height } = rect;
    const size =
      filter !== 1
        ? width * height * bpp
        : colours === 2
          ? Math.ceil(width / 8) * height
          : width * height;
    let data: Uint8Array;
    if (size < 12) {
      if (!stream.has(at + size)) return false;
      stream.skip(at);
      data = stream.shiftBytes(size);
      this.#reset(control);
    } else {
      const length = compactLength(context, at, size + (size >> 3) + 1024);
      if (length === undefined || !stream.has(at + length.bytes + length.value)) return false;
      stream.skip(at + length.bytes);
      this.#reset(control);
      const id = (control >> 4) & 3;
      const inflater = (this.#streams[id] ??= new Inflater());
      data = inflater.inflate(stream.shiftBytes(length.value), size, 'Tight');
      if (data.length !== size) {
        throw protocolError('RFB_TRUNCATED', `Tight data inflated to ${data.length}, not ${size}.`);
      }
    }
    const count = width * height;
    if (this.#pixels.length < count) this.#pixels = new Uint32Array(count);
    const pixels = this.#pixels;
    if (filter === 1) {
      this.#unpalette(data, width, height, colours, pixels);
    } else {
      if (filter === 2) undoGradient(data, width, height, reader.layout);
      reader.convert(data, 0, count, pixels, 0);
    }
    framebuffer.putRgba(rect, pixels);
    sink.update(rect);
    return true;
  }

  /** Maps palette indices (1 bit per pixel, rows byte-aligned, for two colours; else bytes). */
  #unpalette(data: Uint8Array, width: number, height: number, colours: number, out: Uint32Array) {
    const palette = this.#palette;
    const rowBytes = Math.ceil(width / 8);
    for (let y = 0, i = 0; y < height; y++) {
      for (let x = 0; x < width; x++, i++) {
        const index =
          colours === 2
            ? ((data[y * rowBytes + (x >> 3)] as number) >> (7 - (x & 7))) & 1
            : (data[i] as number);
        if (index >= colours) {
          throw protocolError('RFB_BAD_PALETTE_INDEX', `Tight palette index ${index}.`);
        }
        out[i] = palette[index] as number;
      }
    }
  }

  /** Drops the zlib streams whose reset bits (0…3) are set. */
  #reset(control: number): void {
    for (let i = 0; i < 4; i++) if (control & (1 << i)) this.#streams[i] = undefined;
  }
}

/**
 * Peeks Tight's compact length (1–3 bytes, 7 bits each, little-endian) at an offset.
 * @returns the value and its size in bytes, or undefined when more bytes are needed
 */
function compactLength(
  { stream }: DecoderContext,
  offset: number,
  max: number,
): { value: number; bytes: number } | undefined {
  let value = 0;
  for (let i = 0; i < 3; i++) {
    if (!stream.has(offset + i + 1)) return undefined;
    const byte = stream.peek8(offset + i);
    value |= (i === 2 ? byte : byte & 0x7f) << (7 * i);
    if (i === 2 || !(byte & 0x80)) {
      if (value > max) {
        throw protocolError(
          'RFB_LENGTH_TOO_LARGE',
          `Tight length ${value} is too large for its rect.`,
        );
      }
      return { value, bytes: i + 1 };
    }
  }
  return undefined;
}
