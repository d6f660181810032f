/**
 * @module Pixel readers: turn pixels as they arrive on the wire (1, 2, 3 or 4 bytes in the negotiated
 * PIXEL_FORMAT and byte order) into the framebuffer's RGBA (a little-endian u32 with alpha 255). One
 * reader is chosen per format when the format is set, so decoders' hot loops never branch on it:
 * 8- and 16-bit pixels go through a lookup table, byte-aligned 24/32-bit ones are picked byte by byte.
 * Channels are widened as guacd does (`value * 256 / (max + 1)`), and `swap-red-blue` is applied here.
 */
import { protocolError } from './errors.js';
import type { PixelFormat } from './pixel-format.js';

const OPAQUE = 0xff000000;

/** How a reader's wire value packs its channels, for filters that work per channel (Tight gradient). */
export interface WireLayout {
  /** Bytes per pixel on the wire. */
  readonly size: number;
  /** Whether the wire value is big-endian. */
  readonly bigEndian: boolean;
  /** Red, green and blue shifts within the wire value. */
  readonly shifts: readonly [number, number, number];
  /** Red, green and blue maxima (each 2^n - 1). */
  readonly maxima: readonly [number, number, number];
}

/** Converts wire pixels of one layout to RGBA. */
export interface PixelReader {
  readonly layout: WireLayout;
  /**
   * Reads one pixel; the caller has checked that `layout.size` bytes are there.
   * @param source the bytes
   * @param at where the pixel starts
   * @returns RGBA as a little-endian u32, alpha 255
   */
  read(source: Uint8Array, at: number): number;
  /**
   * Converts a run of pixels; the caller has checked both ranges.
   * @param source the bytes
   * @param at where the first pixel starts
   * @param count how many pixels
   * @param target RGBA pixels
   * @param to the index of the first pixel in `target`
   */
  convert(source: Uint8Array, at: number, count: number, target: Uint32Array, to: number): void;
}

/** The readers a connection's decoders use. */
export interface PixelReaders {
  /** PIXEL: Raw, RRE, Hextile, Zlib, cursors. */
  readonly pixel: PixelReader;
  /** ZRLE's CPIXEL: 3 bytes for 32-bpp formats whose colours fit in three bytes. */
  readonly cpixel: PixelReader;
  /** Tight's TPIXEL: R, G, B bytes for 32-bpp depth-24 formats with 8-bit channels. */
  readonly tpixel: PixelReader;
}

/** Pixels whose channels are whole bytes: red, green and blue are read at fixed offsets. */
class ByteReader implements PixelReader {
  readonly #size: number;
  readonly #red: number;
  readonly #green: number;
  readonly #blue: number;

  constructor(
    readonly layout: WireLayout,
    offsets: readonly [number, number, number],
  ) {
    this.#size = layout.size;
    [this.#red, this.#green, this.#blue] = offsets;
  }

  read(source: Uint8Array, at: number): number {
    return (
      ((source[at + this.#red] as number) |
        ((source[at + this.#green] as number) << 8) |
        ((source[at + this.#blue] as number) << 16) |
        OPAQUE) >>>
      0
    );
  }

  convert(source: Uint8Array, at: number, count: number, target: Uint32Array, to: number): void {
    const [size, r, g, b] = [this.#size, this.#red, this.#green, this.#blue];
    const end = to + count;
    for (let i = to, s = at; i < end; i++, s += size) {
      target[i] =
        (source[s + r] as number) |
        ((source[s + g] as number) << 8) |
        ((source[s + b] as number) << 16) |
        OPAQUE;
    }
  }
}

/** 8-bit pixels through a 256-entry table. */
class Lut8Reader implements PixelReader {
  constructor(
    readonly layout: WireLayout,
    readonly table: Uint32Array,
  ) {}

  read(source: Uint8Array, at: number): number {
    return this.table[source[at] as number] as number;
  }

  convert(source: Uint8Array, at: number, count: number, target: Uint32Array, to: number): void {
    const table = this.table;
    const end = to + count;
    for (let i = to, s = at; i < end; i++, s++) target[i] = table[source[s] as number] as number;
  }
}

/** 16-bit pixels through a 65536-entry table; the byte order is two fixed offsets. */
class Lut16Reader implements PixelReader {
  readonly #high: number;
  readonly #low: number;

  constructor(
    readonly layout: WireLayout,
    readonly table: Uint32Array,
  ) {
    this.#high = layout.bigEndian ? 0 : 1;
    this.#low = layout.bigEndian ? 1 : 0;
  }

  read(source: Uint8Array, at: number): number {
    const value = ((source[at + this.#high] as number) << 8) | (source[at + this.#low] as number);
    return this.table[value] as number;
  }

  convert(source: Uint8Array, at: number, count: number, target: Uint32Array, to: number): void {
    const [table, high, low] = [this.table, this.#high, this.#low];
    const end = to + count;
    for (let i = to, s = at; i < end; i++, s += 2) {
      target[i] = table[
        ((source[s + high] as number) << 8) | (source[s + low] as number)
      ] as number;
    }
  }
}

const tables = new Map<string, Uint32Array>();

/** The RGBA of every value of an 8- or 16-bit layout, built once per layout. */
function table(layout: WireLayout, swap: boolean): Uint32Array {
  const key = `${layout.size}:${layout.shifts.join()}:${layout.maxima.join()}:${swap}`;
  let lut = tables.get(key);
  if (lut) return lut;
  lut = new Uint32Array(1 << (layout.size * 8));
  const [rs, gs, bs] = layout.shifts;
  const [rm, gm, bm] = layout.maxima;
  const widen = (value: number, max: number) => Math.floor((value * 256) / (max + 1));
  for (let v = 0; v < lut.length; v++) {
    const r = widen((v >> rs) & rm, rm);
    const g = widen((v >> gs) & gm, gm);
    const b = widen((v >> bs) & bm, bm);
    lut[v] = (swap ? b | (g << 8) | (r << 16) : r | (g << 8) | (b << 16)) | OPAQUE;
  }
  tables.set(key, lut);
  return lut;
}

/** A reader for `size`-byte pixels whose 8-bit channels sit at `shifts` in a value of that order. */
function bytesReader(
  size: number,
  bigEndian: boolean,
  shifts: WireLayout['shifts'],
  swap: boolean,
) {
  const layout: WireLayout = { size, bigEndian, shifts, maxima: [255, 255, 255] };
  const offset = (shift: number) => (bigEndian ? size - 1 - shift / 8 : shift / 8);
  const [r, g, b] = shifts.map(offset) as [number, number, number];
  return new ByteReader(layout, swap ? [b, g, r] : [r, g, b]);
}

/**
 * Picks the readers for a true-colour format of 8, 16 or 32 bits per pixel (32-bit ones need
 * byte-aligned 8-bit channels, as every format this client asks for has).
 * @param format the negotiated format
 * @param swapRedBlue guacd's `swap-red-blue`
 * @returns PIXEL, CPIXEL and TPIXEL readers
 * @throws {RfbProtocolError} `RFB_BAD_PIXEL_FORMAT` for a format this client cannot read
 */
export function pixelReaders(format: PixelFormat, swapRedBlue: boolean): PixelReaders {
  const { bitsPerPixel: bpp, bigEndian, trueColour } = format;
  const shifts = [format.redShift, format.greenShift, format.blueShift] as const;
  const maxima = [format.redMax, format.greenMax, format.blueMax] as const;
  const fits = (max: number, shift: number) =>
    ((max + 1) & max) === 0 && max > 0 && (max << shift) >>> 0 < 2 ** bpp;
  if (
    !trueColour ||
    ![8, 16, 32].includes(bpp) ||
    !maxima.every((m, i) => fits(m, shifts[i] ?? 0))
  ) {
    throw protocolError('RFB_BAD_PIXEL_FORMAT', `unsupported pixel format ${describe(format)}.`);
  }
  if (bpp < 32) {
    const layout: WireLayout = { size: bpp / 8, bigEndian, shifts, maxima };
    const lut = table(layout, swapRedBlue);
    const reader = bpp === 8 ? new Lut8Reader(layout, lut) : new Lut16Reader(layout, lut);
    return { pixel: reader, cpixel: reader, tpixel: reader };
  }
  if (!maxima.every((m) => m === 255) || !shifts.every((s) => s % 8 === 0)) {
    throw protocolError('RFB_BAD_PIXEL_FORMAT', `unsupported pixel format ${describe(format)}.`);
  }
  const pixel = bytesReader(4, bigEndian, shifts, swapRedBlue);
  // CPIXEL: three bytes when the colours fit in the low or the high three bytes of the value.
  let cpixel: PixelReader = pixel;
  if (format.depth <= 24 && shifts.every((s) => s <= 16)) {
    cpixel = bytesReader(3, bigEndian, shifts, swapRedBlue);
  } else if (format.depth <= 24 && shifts.every((s) => s >= 8)) {
    cpixel = bytesReader(3, bigEndian, [shifts[0] - 8, shifts[1] - 8, shifts[2] - 8], swapRedBlue);
  }
  // TPIXEL: always red, green, blue bytes at depth 24.
  const tpixel =
    format.depth === 24 ? bytesReader(3, false, [0, 8, 16], swapRedBlue) : (pixel as PixelReader);
  return { pixel, cpixel, tpixel };
}

function describe(format: PixelFormat): string {
  const { bitsPerPixel, depth, trueColour, redMax, greenMax, blueMax } = format;
  const { redShift, greenShift, blueShift } = format;
  const colour = trueColour ? 'true colour' : 'colour map';
  return `${bitsPerPixel} bpp depth ${depth} ${colour} max ${redMax}/${greenMax}/${blueMax} shifts ${redShift}/${greenShift}/${blueShift}`;
}
