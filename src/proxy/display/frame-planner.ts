/**
 * @module Frame planner: turns a surface's pending frame into drawing operations as guacd 1.6's
 * `guac_display_plan` does. Dirty 64×64 cells are refined against the client model, single-colour
 * cells become `rect` + `cfill`, recorded CopyRects become `copy`, cells whose new content the client
 * already shows elsewhere become `copy` too (copy-search.ts), and the rest are combined
 * horizontally then vertically with guacd's cost model (at most 512×512 per combined update).
 */
export {
  BASE_COST,
  DATA_FACTOR,
  MAX_COMBINED_SIZE_EXPONENT,
  NEGLIGIBLE_INCREASE,
  NEGLIGIBLE_SIZE,
} from './plan-combine.js';
import { CopySearch, type CopyCandidate } from './copy-search.js';
import { combineIfImproved, hasCommonEdge, type DraftOp } from './plan-combine.js';
import { CELL_SIZE } from './surface.js';
import type { Color, CopyOp, Rect, Surface } from './surface.js';

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

/** Options of {@link FramePlanner}. */
export interface FramePlannerOptions {
  /**
   * Look for dirty cells whose new content the client already shows elsewhere and send them as
   * `copy` (see copy-search.ts). Default: true.
   */
  readonly copySearch?: boolean;
}

/** Plans frames for one surface, remembering when each cell was last sent (for update rates). */
export class FramePlanner {
  #lastFrame = new Float64Array(0);
  readonly #search: CopySearch | undefined;

  /** @param options whether to search for copies */
  constructor(options: FramePlannerOptions = {}) {
    this.#search = options.copySearch === false ? undefined : new CopySearch();
  }

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
    const candidates: CopyCandidate[] = [];
    const dirtyArea = { left: Infinity, top: Infinity, right: 0, bottom: 0 };
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
      } else if (x1 - x0 === CELL_SIZE && y1 - y0 === CELL_SIZE) {
        candidates.push({ x: x0, y: y0 });
      }
      dirtyArea.left = Math.min(dirtyArea.left, x0);
      dirtyArea.top = Math.min(dirtyArea.top, y0);
      dirtyArea.right = Math.max(dirtyArea.right, x1);
      dirtyArea.bottom = Math.max(dirtyArea.bottom, y1);
      this.#lastFrame[cell] = now;
      cellOps[cell] = op;
      ops.push(op);
    }
    const found =
      this.#search === undefined || pending.fullRefresh
        ? []
        : this.#search.find(
            surface.words,
            surface.clientWords,
            surface.width,
            {
              x: dirtyArea.left,
              y: dirtyArea.top,
              width: dirtyArea.right - dirtyArea.left,
              height: dirtyArea.bottom - dirtyArea.top,
            },
            candidates,
          );
    // Each copy covers whole candidate cells (neighbours with the same offset are joined).
    for (const copy of found) {
      for (let y = copy.dstY; y < copy.dstY + copy.src.height; y += CELL_SIZE) {
        for (let x = copy.dstX; x < copy.dstX + copy.src.width; x += CELL_SIZE) {
          const cell = (y / CELL_SIZE) * cellsWide + x / CELL_SIZE;
          const op = cellOps[cell] as DraftOp;
          op.type = 'copy';
          op.left = x;
          op.top = y;
          op.right = x + CELL_SIZE;
          op.bottom = y + CELL_SIZE;
          // A copy is never combined with its neighbours.
          cellOps[cell] = undefined;
        }
      }
    }
    // The search compared against the client model as it was; only now does it take the new pixels.
    for (const op of ops) {
      surface.commit({
        x: op.left,
        y: op.top,
        width: op.right - op.left,
        height: op.bottom - op.top,
      });
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
    const copies = found.length === 0 ? pending.copies : [...pending.copies, ...found];
    return { size, copies, rects, images };
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
