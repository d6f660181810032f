/**
 * @module Plan combining: guacd 1.6's cost model for joining neighbouring draft operations of a frame
 * plan (`guac_display_plan_should_combine` and friends), used by the frame planner.
 */

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

/** A draft operation in guacd's edge form (right and bottom exclusive). */
export interface DraftOp {
  type: 'img' | 'rect' | 'copy' | 'nop';
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
export function hasCommonEdge(a: DraftOp, b: DraftOp): boolean {
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
export function combineIfImproved(a: DraftOp, b: DraftOp): boolean {
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
