/**
 * @module Surface: the proxy's server-side framebuffer (guacd's pending frame). 32-bit RGBA pixels,
 * at most 8192×8192, bounds-checked drawing, dirty tracking per 64×64 cell, and a model of what the
 * client already shows (guacd's last frame) so that CopyRects can go out as `copy` instructions.
 */
import { CELL_SIZE, MAX_DIMENSION, blit, checkDimensions, checkInt } from './geometry.js';
import type { Color, CopyOp, Rect } from './geometry.js';

export { CELL_SIZE, MAX_DIMENSION, checkDimensions };
export type { Color, CopyOp, Rect };

/** A 32-bit framebuffer with per-cell dirty tracking for the pending frame. */
export class Surface {
  #width = 0;
  #height = 0;
  #pixels = new Uint8Array(0);
  #words = new Uint32Array(0);
  #client = new Uint8Array(0);
  #clientWords = new Uint32Array(0);
  #cellsWide = 0;
  #cellsHigh = 0;
  #dirty = new Uint8Array(0);
  #copies: CopyOp[] = [];
  #sizeChanged = true;
  #fullRefresh = true;

  /**
   * @param width the width, 1…8192
   * @param height the height, 1…8192
   */
  constructor(width: number, height: number) {
    this.resize(width, height);
  }

  /** The width in pixels. */
  get width(): number {
    return this.#width;
  }

  /** The height in pixels. */
  get height(): number {
    return this.#height;
  }

  /** The pending frame's pixels, RGBA, row stride `width * 4`. */
  get pixels(): Uint8Array {
    return this.#pixels;
  }

  /** What connected clients show once every planned frame is applied, RGBA, same stride. */
  get clientPixels(): Uint8Array {
    return this.#client;
  }

  /** The number of cells across. */
  get cellsWide(): number {
    return this.#cellsWide;
  }

  /** The number of cells down. */
  get cellsHigh(): number {
    return this.#cellsHigh;
  }

  /** Whether the size changed since the last frame was planned. */
  get sizeChanged(): boolean {
    return this.#sizeChanged;
  }

  /** Whether the pending frame has recorded copies (they are sent before its images). */
  get hasPendingCopies(): boolean {
    return this.#copies.length > 0;
  }

  /** Whether every cell must be resent whole, whatever the client model says (after a resize). */
  get fullRefresh(): boolean {
    return this.#fullRefresh;
  }

  /**
   * Reads one pixel of the pending frame.
   * @param x the column
   * @param y the row
   * @returns the pixel as a little-endian word (`a << 24 | b << 16 | g << 8 | r`, unsigned)
   */
  getPixel(x: number, y: number): number {
    this.#checkRect({ x, y, width: 1, height: 1 });
    return this.#words[y * this.#width + x] as number;
  }

  /**
   * Writes a block of RGBA pixels.
   * @param rect where to write; must lie inside the surface
   * @param data the RGBA source
   * @param stride bytes per source row, at least `rect.width * 4`
   */
  putPixels(rect: Rect, data: Uint8Array, stride = rect.width * 4): void {
    this.#checkRect(rect);
    const rowBytes = rect.width * 4;
    if (!Number.isSafeInteger(stride) || stride < rowBytes) {
      throw new RangeError(`stride must be an integer ≥ ${rowBytes}, got ${stride}`);
    }
    const needed = rect.height === 0 ? 0 : stride * (rect.height - 1) + rowBytes;
    if (data.length < needed) {
      throw new RangeError(`pixel data too short: need ${needed} bytes, got ${data.length}`);
    }
    for (let row = 0; row < rect.height; row++) {
      const from = row * stride;
      this.#pixels.set(
        data.subarray(from, from + rowBytes),
        ((rect.y + row) * this.#width + rect.x) * 4,
      );
    }
    this.#markDirty(rect);
  }

  /**
   * Fills a rectangle with one colour.
   * @param rect the area; must lie inside the surface
   * @param color the colour
   */
  fillRect(rect: Rect, color: Color): void {
    this.#checkRect(rect);
    for (const [name, value] of Object.entries(color))
      checkInt(`color.${name}`, value as number, 255);
    const word = ((color.a << 24) | (color.b << 16) | (color.g << 8) | color.r) >>> 0;
    for (let row = 0; row < rect.height; row++) {
      const start = (rect.y + row) * this.#width + rect.x;
      this.#words.fill(word, start, start + rect.width);
    }
    this.#markDirty(rect);
  }

  /**
   * Copies a rectangle within the surface (VNC CopyRect). When the source is unchanged since the
   * last frame, the copy is recorded for the client as a `copy` instruction instead of dirtying.
   * @param src the source area; must lie inside the surface
   * @param dstX the destination column
   * @param dstY the destination row
   */
  copyRect(src: Rect, dstX: number, dstY: number): void {
    this.#checkRect(src);
    const dst: Rect = { x: dstX, y: dstY, width: src.width, height: src.height };
    this.#checkRect(dst, 'destination');
    if (src.width === 0 || src.height === 0) return;
    const recordable = !this.#fullRefresh && !this.#anyDirty(src);
    blit(this.#pixels, this.#width, src, dstX, dstY);
    if (recordable) {
      blit(this.#client, this.#width, src, dstX, dstY);
      this.#copies.push({ src: { ...src }, dstX, dstY });
    } else {
      this.#markDirty(dst);
    }
  }

  /**
   * Resizes the surface, keeping the overlapping pixels; new area is opaque black. The next frame
   * sends `size` and resends the whole surface.
   * @param width the new width, 1…8192
   * @param height the new height, 1…8192
   */
  resize(width: number, height: number): void {
    checkDimensions(width, height);
    const pixels = new Uint8Array(width * height * 4);
    const words = new Uint32Array(pixels.buffer);
    words.fill(0xff000000);
    const keepW = Math.min(width, this.#width);
    for (let row = 0; row < Math.min(height, this.#height); row++) {
      const from = row * this.#width * 4;
      pixels.set(this.#pixels.subarray(from, from + keepW * 4), row * width * 4);
    }
    this.#width = width;
    this.#height = height;
    this.#pixels = pixels;
    this.#words = words;
    this.#client = new Uint8Array(width * height * 4);
    this.#clientWords = new Uint32Array(this.#client.buffer);
    this.#cellsWide = Math.ceil(width / CELL_SIZE);
    this.#cellsHigh = Math.ceil(height / CELL_SIZE);
    this.#dirty = new Uint8Array(this.#cellsWide * this.#cellsHigh).fill(1);
    this.#copies = [];
    this.#sizeChanged = true;
    this.#fullRefresh = true;
  }

  /**
   * Whether a cell has been drawn to since the last frame.
   * @param cx the cell column
   * @param cy the cell row
   * @returns true when dirty
   */
  isCellDirty(cx: number, cy: number): boolean {
    return this.#dirty[cy * this.#cellsWide + cx] === 1;
  }

  /**
   * Takes the pending frame's state for planning and starts a new pending frame: the recorded
   * copies, in order, and the dirty flags (cleared here).
   * @returns the copies and a snapshot of the dirty cells (1 = dirty), row-major
   */
  takePending(): {
    copies: CopyOp[];
    dirty: Uint8Array;
    fullRefresh: boolean;
    sizeChanged: boolean;
  } {
    const taken = {
      copies: this.#copies,
      dirty: this.#dirty.slice(),
      fullRefresh: this.#fullRefresh,
      sizeChanged: this.#sizeChanged,
    };
    this.#copies = [];
    this.#dirty.fill(0);
    this.#fullRefresh = false;
    this.#sizeChanged = false;
    return taken;
  }

  /**
   * Records that the client now shows the pending pixels of `rect` (called by the planner).
   * @param rect an area inside the surface
   */
  commit(rect: Rect): void {
    for (let row = 0; row < rect.height; row++) {
      const start = ((rect.y + row) * this.#width + rect.x) * 4;
      this.#client.set(this.#pixels.subarray(start, start + rect.width * 4), start);
    }
  }

  /** The pending frame as 32-bit words (planner use). */
  get words(): Uint32Array {
    return this.#words;
  }

  /** The client model as 32-bit words (planner use). */
  get clientWords(): Uint32Array {
    return this.#clientWords;
  }

  /**
   * Checks a rectangle against the surface bounds.
   * @param rect the rectangle
   * @param what what it is, for the error message
   */
  #checkRect(rect: Rect, what = 'rectangle'): void {
    checkInt(`${what} x`, rect.x, MAX_DIMENSION);
    checkInt(`${what} y`, rect.y, MAX_DIMENSION);
    checkInt(`${what} width`, rect.width, MAX_DIMENSION);
    checkInt(`${what} height`, rect.height, MAX_DIMENSION);
    if (rect.x + rect.width > this.#width || rect.y + rect.height > this.#height) {
      throw new RangeError(
        `${what} ${rect.width}x${rect.height}+${rect.x}+${rect.y} exceeds the ${this.#width}x${this.#height} surface`,
      );
    }
  }

  /**
   * Marks every cell a rectangle touches as dirty.
   * @param rect a checked rectangle
   */
  #markDirty(rect: Rect): void {
    if (rect.width === 0 || rect.height === 0) return;
    const [x0, y0, x1, y1] = this.#cellSpan(rect);
    for (let cy = y0; cy <= y1; cy++)
      this.#dirty.fill(1, cy * this.#cellsWide + x0, cy * this.#cellsWide + x1 + 1);
  }

  /**
   * Whether any cell a rectangle touches is dirty.
   * @param rect a checked, non-empty rectangle
   * @returns true when any is dirty
   */
  #anyDirty(rect: Rect): boolean {
    const [x0, y0, x1, y1] = this.#cellSpan(rect);
    for (let cy = y0; cy <= y1; cy++) {
      for (let cx = x0; cx <= x1; cx++)
        if (this.#dirty[cy * this.#cellsWide + cx] === 1) return true;
    }
    return false;
  }

  /**
   * The cells a non-empty rectangle covers.
   * @param rect the rectangle
   * @returns first column, first row, last column, last row (inclusive)
   */
  #cellSpan(rect: Rect): [number, number, number, number] {
    return [
      Math.floor(rect.x / CELL_SIZE),
      Math.floor(rect.y / CELL_SIZE),
      Math.floor((rect.x + rect.width - 1) / CELL_SIZE),
      Math.floor((rect.y + rect.height - 1) / CELL_SIZE),
    ];
  }
}
