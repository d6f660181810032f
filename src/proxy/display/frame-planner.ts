/**
 * @module Frame planner: turns a surface's pending frame into drawing operations as guacd 1.6's
 * `guac_display_plan` does. Dirty 64×64 cells are refined against the client model, single-colour
 * cells become `rect` + `cfill`, recorded CopyRects become `copy`, and the rest are combined
 * horizontally then vertically with guacd's cost model (at most 512×512 per combined update).
 */
import { CELL_SIZE } from './surface.js';
import type { Color, CopyOp, Rect, Surface } from './surface.js';

/** guacd's `GUAC_DISPLAY_MAX_COMBINED_SIZE`, as an exponent: combined updates stay in a 512-px grid. */
export const MAX_COMBINED_SIZE_EXPONENT = 9;
/** guacd's `GUAC_DISPLAY_BASE_COST`: the fixed cost of any update. */
export const BASE_COST = 4096;
/** guacd's `GUAC_DISPLAY_DATA_FACTOR`: how much cheaper an update without image data is. */
export const DATA_FACTOR = 128;
/** guacd's `GUAC_DISPLAY_NEGLIGIBLE_WIDTH`/`HEIGHT`: updates this small are always combined. */
export const NEGLIGIBLE_SIZE = 64;
/** guacd's `GUAC_DISPLAY_NEGLIGIBLE_INCREASE`: a cost increase under 1/4 is negligible. */
export const NEGLIGIBLE_INCREASE = 4;

/** A solid-colour fill for the client: `rect` + `cfill`. */
export interface RectPlanOp {
  readonly rect: Rect;
  readonly color: Color;
}

/** An area to send as an image, with how often its cells have been updated (frames per second). */
export interface ImagePlanOp {
  readonly rect: Rect;
  readonly framerate: number;
}

/** Everything one frame sends, in order: size, copies, rects, then images. */
export interface FramePlan {
  readonly size: { readonly width: number; readonly height: number } | undefined;
  readonly copies: readonly CopyOp[];
  readonly rects: readonly RectPlanOp[];
  readonly images: readonly ImagePlanOp[];
}

/** A draft operation in guacd's edge form (right and bottom exclusive). */
interface DraftOp {
  type: 'img' | 'rect' | 'nop';
  left: number;
  top: number;
  right: number;
  bottom: number;
  dirtySize: number;
  lastFrame: number;
  color: number;
}

/**
 * Whether a rectangle crosses a line of the 512-px combining grid (guacd's
 * `guac_display_plan_rect_crosses_boundary`).
 * @param op the rectangle
 * @returns true when it does
 */
function crossesBoundary(op: DraftOp): boolean {
  const size = 1 << MAX_COMBINED_SIZE_EXPONENT;
  const left = Math.floor(op.left / size) * size;
  const top = Math.floor(op.top / size) * size;
  const right = Math.ceil(op.right / size) * size;
  const bottom = Math.ceil(op.bottom / size) * size;
  return right - left > size || bottom - top > size;
}

/**
 * Whether two operations share exactly one whole edge.
 * @param a one operation
 * @param b the other
 * @returns true when they do
 */
function hasCommonEdge(a: DraftOp, b: DraftOp): boolean {
  if (a.top === b.top && a.bottom === b.bottom) return a.right === b.left || a.left === b.right;
  if (a.left === b.left && a.right === b.right) return a.top === b.bottom || a.bottom === b.top;
  return false;
}

/**
 * guacd's `guac_display_plan_should_combine`.
 * @param a the first operation
 * @param b the second operation
 * @returns true when one combined update is better
 */
function shouldCombine(a: DraftOp, b: DraftOp): boolean {
  const combined: DraftOp = {
    ...a,
    left: Math.min(a.left, b.left),
    top: Math.min(a.top, b.top),
    right: Math.max(a.right, b.right),
    bottom: Math.max(a.bottom, b.bottom),
  };
  if (a.type === b.type) {
    if (a.type === 'rect') {
      return a.color === b.color && hasCommonEdge(a, b) && !crossesBoundary(combined);
    }
    if (a.type === 'img') return !crossesBoundary(combined);
  }
  const width = combined.right - combined.left;
  const height = combined.bottom - combined.top;
  if (width <= NEGLIGIBLE_SIZE && height <= NEGLIGIBLE_SIZE) return true;
  const costAB = BASE_COST + width * height;
  let costA = BASE_COST + a.dirtySize;
  let costB = BASE_COST + b.dirtySize;
  if (a.type !== 'img') costA = Math.trunc(costA / DATA_FACTOR);
  if (b.type !== 'img') costB = Math.trunc(costB / DATA_FACTOR);
  return (
    costAB <= costA + costB ||
    costAB - costA <= Math.trunc(costA / NEGLIGIBLE_INCREASE) ||
    costAB - costB <= Math.trunc(costB / NEGLIGIBLE_INCREASE)
  );
}

/**
 * Combines `b` into `a` when worthwhile (guacd's `guac_display_plan_combine_if_improved`).
 * @param a the surviving operation
 * @param b the operation absorbed (becomes a no-op)
 * @returns true when combined
 */
function combineIfImproved(a: DraftOp, b: DraftOp): boolean {
  if (a === b || !shouldCombine(a, b)) return false;
  a.left = Math.min(a.left, b.left);
  a.top = Math.min(a.top, b.top);
  a.right = Math.max(a.right, b.right);
  a.bottom = Math.max(a.bottom, b.bottom);
  if (a.type !== b.type) a.type = 'img';
  a.dirtySize += b.dirtySize;
  a.lastFrame = Math.max(a.lastFrame, b.lastFrame);
  b.type = 'nop';
  return true;
}

/**
 * Finds the smallest rectangle holding every pixel of a cell that differs from the client model.
 * @param surface the surface
 * @param x0 the cell's left edge
 * @param y0 the cell's top edge
 * @param x1 the cell's right edge (exclusive)
 * @param y1 the cell's bottom edge (exclusive)
 * @returns the changed area in edge form, or undefined when nothing changed
 */
function changedArea(
  surface: Surface,
  x0: number,
  y0: number,
  x1: number,
  y1: number,
): [number, number, number, number] | undefined {
  const pending = surface.words;
  const client = surface.clientWords;
  const width = surface.width;
  let left = x1;
  let right = x0;
  let top = -1;
  let bottom = -1;
  for (let y = y0; y < y1; y++) {
    const row = y * width;
    let first = x0;
    while (first < x1 && pending[row + first] === client[row + first]) first++;
    if (first === x1) continue;
    let last = x1 - 1;
    while (pending[row + last] === client[row + last]) last--;
    if (top < 0) top = y;
    bottom = y + 1;
    left = Math.min(left, first);
    right = Math.max(right, last + 1);
  }
  return top < 0 ? undefined : [left, top, right, bottom];
}

/**
 * The single colour of an area, if it has one.
 * @param words the pixels
 * @param width the row length in pixels
 * @param op the area
 * @returns the colour word, or undefined when the area has several colours
 */
function solidColor(words: Uint32Array, width: number, op: DraftOp): number | undefined {
  const color = words[op.top * width + op.left] as number;
  for (let y = op.top; y < op.bottom; y++) {
    for (let i = y * width + op.left, end = y * width + op.right; i < end; i++) {
      if (words[i] !== color) return undefined;
    }
  }
  return color;
}

/**
 * Converts a little-endian RGBA word into a colour.
 * @param word the word
 * @returns the colour
 */
function toColor(word: number): Color {
  return { r: word & 0xff, g: (word >>> 8) & 0xff, b: (word >>> 16) & 0xff, a: word >>> 24 };
}

/** Plans frames for one surface, remembering when each cell was last sent (for update rates). */
export class FramePlanner {
  #lastFrame = new Float64Array(0);

  /**
   * Plans the surface's pending frame and marks it as shown by the client.
   * @param surface the surface
   * @param now the frame's timestamp in milliseconds
   * @returns the plan, or undefined when nothing changed
   */
  plan(surface: Surface, now: number): FramePlan | undefined {
    const pending = surface.takePending();
    const cellsWide = surface.cellsWide;
    const cellCount = cellsWide * surface.cellsHigh;
    if (this.#lastFrame.length !== cellCount || pending.sizeChanged) {
      this.#lastFrame = new Float64Array(cellCount).fill(-Infinity);
    }
    const cellOps: (DraftOp | undefined)[] = new Array<DraftOp | undefined>(cellCount);
    const ops: DraftOp[] = [];
    for (let cell = 0; cell < cellCount; cell++) {
      if (pending.dirty[cell] !== 1) continue;
      const x0 = (cell % cellsWide) * CELL_SIZE;
      const y0 = Math.floor(cell / cellsWide) * CELL_SIZE;
      const x1 = Math.min(x0 + CELL_SIZE, surface.width);
      const y1 = Math.min(y0 + CELL_SIZE, surface.height);
      const area = pending.fullRefresh ? [x0, y0, x1, y1] : changedArea(surface, x0, y0, x1, y1);
      if (area === undefined) continue;
      const [left, top, right, bottom] = area as [number, number, number, number];
      const op: DraftOp = {
        type: 'img',
        left,
        top,
        right,
        bottom,
        dirtySize: (right - left) * (bottom - top),
        lastFrame: this.#lastFrame[cell] as number,
        color: 0,
      };
      const color = solidColor(surface.words, surface.width, op);
      if (color !== undefined) {
        op.type = 'rect';
        op.color = color;
      }
      this.#lastFrame[cell] = now;
      cellOps[cell] = op;
      ops.push(op);
      surface.commit({ x: left, y: top, width: right - left, height: bottom - top });
    }
    this.#combine(cellOps, cellsWide, surface.cellsHigh);
    const rects: RectPlanOp[] = [];
    const images: ImagePlanOp[] = [];
    for (const op of ops) {
      const rect = { x: op.left, y: op.top, width: op.right - op.left, height: op.bottom - op.top };
      if (op.type === 'rect') rects.push({ rect, color: toColor(op.color) });
      else if (op.type === 'img') {
        const framerate = now > op.lastFrame ? Math.trunc(1000 / (now - op.lastFrame)) : Infinity;
        images.push({ rect, framerate });
      }
    }
    const size = pending.sizeChanged ? { width: surface.width, height: surface.height } : undefined;
    if (size === undefined && pending.copies.length === 0 && ops.length === 0) return undefined;
    return { size, copies: pending.copies, rects, images };
  }

  /**
   * guacd's two combining passes: left to right within rows, then top to bottom within columns.
   * @param cellOps the operation covering each cell, row-major
   * @param cellsWide cells per row
   * @param cellsHigh rows of cells
   */
  #combine(cellOps: (DraftOp | undefined)[], cellsWide: number, cellsHigh: number): void {
    for (let cy = 0; cy < cellsHigh; cy++) {
      for (let cx = 1; cx < cellsWide; cx++) {
        const previous = cellOps[cy * cellsWide + cx - 1];
        const current = cellOps[cy * cellsWide + cx];
        if (previous && current && combineIfImproved(previous, current)) {
          cellOps[cy * cellsWide + cx] = previous;
        }
      }
    }
    for (let cx = 0; cx < cellsWide; cx++) {
      for (let cy = 1; cy < cellsHigh; cy++) {
        const previous = cellOps[(cy - 1) * cellsWide + cx];
        const current = cellOps[cy * cellsWide + cx];
        if (previous && current && hasCommonEdge(previous, current)) {
          if (combineIfImproved(previous, current)) cellOps[cy * cellsWide + cx] = previous;
        }
      }
    }
  }
}
