/**
 * @module Tight encoding (7): fill, JPEG (and TightPNG's PNG) or "basic" rects whose data is copied,
 * paletted or gradient-filtered 3-byte TPIXELs, zlib-compressed on one of four resettable streams.
 * JPEG and PNG data is not decoded here: it is passed on through the sink's `image` as a blob.
 */
import { protocolError } from '../errors.js';
import type { Decoder, DecoderContext, RectHeader } from './decoder.js';
import { Inflater } from './inflater.js';

const FILL = 8;
const JPEG = 9;
const PNG = 10;

/** Decodes Tight rects once all of a rect's bytes are queued. */
export class TightDecoder implements Decoder {
  readonly pseudo = false;
  readonly #streams: (Inflater | undefined)[] = [undefined, undefined, undefined, undefined];

  decode(rect: RectHeader, context: DecoderContext): boolean {
    const { stream, framebuffer, sink } = context;
    if (!stream.has(1)) return false;
    const control = stream.peek8();
    const type = control >> 4;
    if (type === FILL) {
      if (!stream.has(4)) return false;
      stream.skip(1);
      const [r, g, b] = [stream.shift8(), stream.shift8(), stream.shift8()];
      this.#reset(control);
      framebuffer.fillRect(rect, r | (g << 8) | (b << 16));
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
    let at = 1;
    let filter = 0;
    if (control & 0x40) {
      if (!stream.has(2)) return false;
      filter = stream.peek8(1);
      at = 2;
    }
    if (filter > 2) throw protocolError('RFB_BAD_SUBENCODING', `invalid Tight filter ${filter}.`);
    const palette: number[] = [];
    if (filter === 1) {
      if (!stream.has(at + 1)) return false;
      const colours = stream.peek8(at) + 1;
      if (!stream.has(at + 1 + colours * 3)) return false;
      for (let i = 0; i < colours; i++) {
        const p = at + 1 + i * 3;
        palette.push(stream.peek8(p) | (stream.peek8(p + 1) << 8) | (stream.peek8(p + 2) << 16));
      }
      at += 1 + colours * 3;
    }
    const { width, height } = rect;
    const size =
      filter !== 1
        ? width * height * 3
        : palette.length === 2
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
    const pixels = new Uint8Array(width * height * 4);
    const view = new Uint32Array(pixels.buffer);
    if (filter === 1) {
      const rowBytes = Math.ceil(width / 8);
      for (let y = 0; y < height; y++) {
        for (let x = 0; x < width; x++) {
          const index =
            palette.length === 2
              ? ((data[y * rowBytes + (x >> 3)] as number) >> (7 - (x & 7))) & 1
              : (data[y * width + x] as number);
          if (index >= palette.length) {
            throw protocolError('RFB_BAD_PALETTE_INDEX', `Tight palette index ${index}.`);
          }
          view[y * width + x] = palette[index] as number;
        }
      }
    } else {
      for (let i = 0; i < width * height; i++) pixels.set(data.subarray(i * 3, i * 3 + 3), i * 4);
      if (filter === 2) gradient(pixels, width, height);
    }
    framebuffer.putPixels(rect, pixels);
    sink.update(rect);
    return true;
  }

  /** Drops the zlib streams whose reset bits (0…3) are set. */
  #reset(control: number): void {
    for (let i = 0; i < 4; i++) if (control & (1 << i)) this.#streams[i] = undefined;
  }
}

/** Undoes the gradient filter in place: each channel adds the prediction left + above - above-left. */
function gradient(pixels: Uint8Array, width: number, height: number): void {
  const at = (x: number, y: number, c: number) =>
    x < 0 || y < 0 ? 0 : (pixels[(y * width + x) * 4 + c] as number);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      for (let c = 0; c < 3; c++) {
        const predicted = Math.min(
          255,
          Math.max(0, at(x - 1, y, c) + at(x, y - 1, c) - at(x - 1, y - 1, c)),
        );
        const i = (y * width + x) * 4 + c;
        pixels[i] = ((pixels[i] as number) + predicted) & 0xff;
      }
    }
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
