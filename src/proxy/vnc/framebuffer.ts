/**
 * @module The decoded remote screen: an RGBA buffer (alpha always 255) with bounds-checked drawing
 * operations. Every operation rejects a rect that leaves the buffer, so a server cannot write past it.
 */
import { protocolError } from './errors.js';
import type { PixelReader } from './pixel-reader.js';

/** The largest width or height accepted from a server (guacd's display limit). */
export const MAX_DIMENSION = 8192;

/** An area of the framebuffer. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

const OPAQUE = 0xff000000;

/** The remote screen as RGBA pixels, row-major, 4 bytes per pixel. */
export class Framebuffer {
  #width: number;
  #height: number;
  #data: Uint8Array;
  #pixels: Uint32Array;

  /**
   * @param width width in pixels, 0…MAX_DIMENSION
   * @param height height in pixels, 0…MAX_DIMENSION
   */
  constructor(width: number, height: number) {
    Framebuffer.checkSize(width, height);
    this.#width = width;
    this.#height = height;
    this.#data = new Uint8Array(width * height * 4);
    this.#pixels = new Uint32Array(this.#data.buffer);
  }

  /**
   * Rejects a size the framebuffer cannot take.
   * @param width width in pixels
   * @param height height in pixels
   */
  static checkSize(width: number, height: number): void {
    const ok = (n: number) => Number.isInteger(n) && n >= 0 && n <= MAX_DIMENSION;
    if (!ok(width) || !ok(height)) {
      throw protocolError(
        'RFB_SIZE_TOO_LARGE',
        `desktop size ${width}x${height} exceeds ${MAX_DIMENSION}x${MAX_DIMENSION}.`,
      );
    }
  }

  /** Width in pixels. */
  get width(): number {
    return this.#width;
  }

  /** Height in pixels. */
  get height(): number {
    return this.#height;
  }

  /** The RGBA bytes, row-major; replaced (not resized in place) by `resize`. */
  get data(): Uint8Array {
    return this.#data;
  }

  /**
   * Changes the size, keeping the overlapping top-left content.
   * @param width new width
   * @param height new height
   */
  resize(width: number, height: number): void {
    Framebuffer.checkSize(width, height);
    const next = new Uint8Array(width * height * 4);
    const rowBytes = Math.min(width, this.#width) * 4;
    for (let y = 0; y < Math.min(height, this.#height); y++) {
      const from = y * this.#width * 4;
      next.set(this.#data.subarray(from, from + rowBytes), y * width * 4);
    }
    this.#width = width;
    this.#height = height;
    this.#data = next;
    this.#pixels = new Uint32Array(next.buffer);
  }

  /**
   * Throws an RfbProtocolError unless the rect lies inside the framebuffer.
   * @param rect the rect
   */
  checkRect(rect: Rect): void {
    const { x, y, width, height } = rect;
    const valid = [x, y, width, height].every((n) => Number.isInteger(n) && n >= 0);
    if (!valid || x + width > this.#width || y + height > this.#height) {
      throw protocolError(
        'RFB_RECT_OUT_OF_BOUNDS',
        `rect ${width}x${height}+${x}+${y} lies outside the ${this.#width}x${this.#height} screen.`,
      );
    }
  }

  /**
   * Fills a rect with one pixel value.
   * @param rect the area
   * @param pixel the pixel as a little-endian u32 of its R, G, B bytes (alpha is forced to 255)
   */
  fillRect(rect: Rect, pixel: number): void {
    this.checkRect(rect);
    const value = (pixel | OPAQUE) >>> 0;
    for (let row = 0; row < rect.height; row++) {
      const start = (rect.y + row) * this.#width + rect.x;
      this.#pixels.fill(value, start, start + rect.width);
    }
  }

  /**
   * Copies 4-byte R, G, B, X pixels into a rect.
   * @param rect the area
   * @param source the pixels, row-major
   * @param offset where the first pixel starts in `source`
   * @param stride bytes per source row; defaults to `rect.width * 4`
   */
  putPixels(rect: Rect, source: Uint8Array, offset = 0, stride = rect.width * 4): void {
    this.checkRect(rect);
    const rowBytes = rect.width * 4;
    if (offset < 0 || offset + stride * (rect.height - 1) + rowBytes > source.length) {
      throw new RangeError('Framebuffer.putPixels: source too short.');
    }
    for (let row = 0; row < rect.height; row++) {
      const from = offset + row * stride;
      const to = ((rect.y + row) * this.#width + rect.x) * 4;
      this.#data.set(source.subarray(from, from + rowBytes), to);
      for (let i = to + 3; i < to + rowBytes; i += 4) this.#data[i] = 255;
    }
  }

  /**
   * Copies RGBA pixels (alpha already 255) into a rect.
   * @param rect the area
   * @param source at least `rect.width * rect.height` pixels, row-major
   */
  putRgba(rect: Rect, source: Uint32Array): void {
    this.checkRect(rect);
    const { width, height } = rect;
    if (width * height > source.length)
      throw new RangeError('Framebuffer.putRgba: source too short.');
    for (let row = 0; row < height; row++) {
      const from = row * width;
      this.#pixels.set(source.subarray(from, from + width), (rect.y + row) * this.#width + rect.x);
    }
  }

  /**
   * Converts wire pixels into a rect.
   * @param rect the area
   * @param reader the pixels' format
   * @param source the pixels, row-major
   * @param offset where the first pixel starts in `source`
   * @param stride bytes per source row; defaults to `rect.width * reader.layout.size`
   */
  putWire(
    rect: Rect,
    reader: PixelReader,
    source: Uint8Array,
    offset = 0,
    stride = rect.width * reader.layout.size,
  ): void {
    this.checkRect(rect);
    const rowBytes = rect.width * reader.layout.size;
    if (offset < 0 || offset + stride * (rect.height - 1) + rowBytes > source.length) {
      throw new RangeError('Framebuffer.putWire: source too short.');
    }
    for (let row = 0; row < rect.height; row++) {
      const to = (rect.y + row) * this.#width + rect.x;
      reader.convert(source, offset + row * stride, rect.width, this.#pixels, to);
    }
  }

  /**
   * Copies a rect within the framebuffer (CopyRect); overlapping areas are handled.
   * @param srcX source left
   * @param srcY source top
   * @param dest destination rect
   */
  copyRect(srcX: number, srcY: number, dest: Rect): void {
    this.checkRect(dest);
    this.checkRect({ x: srcX, y: srcY, width: dest.width, height: dest.height });
    const rowPixels = dest.width;
    const rows = [...Array(dest.height).keys()];
    if (srcY < dest.y) rows.reverse();
    for (const row of rows) {
      const from = (srcY + row) * this.#width + srcX;
      this.#pixels.copyWithin((dest.y + row) * this.#width + dest.x, from, from + rowPixels);
    }
  }

  /**
   * Reads one pixel.
   * @param x column
   * @param y row
   * @returns the colour as 0xRRGGBB
   */
  getPixel(x: number, y: number): number {
    this.checkRect({ x, y, width: 1, height: 1 });
    const at = (y * this.#width + x) * 4;
    const d = this.#data;
    return (((d[at] as number) << 16) | ((d[at + 1] as number) << 8) | (d[at + 2] as number)) >>> 0;
  }
}
