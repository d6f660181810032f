/**
 * @module Copy order: joins the copies a frame's copy search found into larger ones, and orders them
 * so that none reads pixels an earlier copy of the same frame has overwritten.
 */
import type { CopyOp, Rect } from './geometry.js';

/**
 * Whether two rectangles overlap.
 * @param a one rectangle
 * @param b the other
 * @returns true when they share a pixel
 */
export function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/**
 * Joins copies that move neighbouring areas by the same offset: runs along rows first, then runs of
 * equally wide row runs down columns (a scrolled terminal becomes a handful of copies, not one per
 * cell).
 * @param copies the copies, each of one cell
 * @returns fewer, larger copies covering the same destinations
 */
export function mergeCopies(copies: readonly CopyOp[]): CopyOp[] {
  const offset = (c: CopyOp): string => `${c.src.x - c.dstX},${c.src.y - c.dstY}`;
  const joined = (a: CopyOp, b: CopyOp, horizontal: boolean): CopyOp | undefined => {
    if (offset(a) !== offset(b)) return undefined;
    if (horizontal) {
      if (a.dstY !== b.dstY || a.src.height !== b.src.height || a.dstX + a.src.width !== b.dstX)
        return undefined;
      return { ...a, src: { ...a.src, width: a.src.width + b.src.width } };
    }
    if (a.dstX !== b.dstX || a.src.width !== b.src.width || a.dstY + a.src.height !== b.dstY)
      return undefined;
    return { ...a, src: { ...a.src, height: a.src.height + b.src.height } };
  };
  const pass = (list: CopyOp[], horizontal: boolean): CopyOp[] => {
    const sorted = [...list].sort((a, b) =>
      horizontal ? a.dstY - b.dstY || a.dstX - b.dstX : a.dstX - b.dstX || a.dstY - b.dstY,
    );
    const out: CopyOp[] = [];
    for (const copy of sorted) {
      const last = out[out.length - 1];
      const merged = last === undefined ? undefined : joined(last, copy, horizontal);
      if (merged === undefined) out.push(copy);
      else out[out.length - 1] = merged;
    }
    return out;
  };
  return pass(pass([...copies], true), false);
}

/** Above this many copies, ordering falls back to one greedy pass (the full ordering is cubic). */
const MAX_ORDERED = 48;

/**
 * Orders copies so that none reads pixels an earlier one wrote: a copy is sent only once every
 * remaining copy that reads its destination has been sent. Copies caught in a cycle (a swap) are
 * dropped, the fewest possible one at a time; their cells go out as images.
 * @param copies the copies found
 * @returns the copies to send, in order
 */
export function orderCopies(copies: readonly CopyOp[]): CopyOp[] {
  const destination = (copy: CopyOp): Rect => ({ ...copy.src, x: copy.dstX, y: copy.dstY });
  const remaining = [...copies].sort((a, b) => a.dstY - b.dstY || a.dstX - b.dstX);
  const ordered: CopyOp[] = [];
  if (remaining.length > MAX_ORDERED) {
    // Too many to order well cheaply: top to bottom, dropping any copy that reads an earlier one's
    // destination.
    const written: Rect[] = [];
    for (const copy of remaining) {
      if (written.some((rect) => intersects(rect, copy.src))) continue;
      ordered.push(copy);
      written.push(destination(copy));
    }
    return ordered;
  }
  // Index loops without allocation: this runs every frame.
  const count = remaining.length;
  const dests = remaining.map(destination);
  const alive = new Uint8Array(count).fill(1);
  for (let left = count; left > 0; left--) {
    let free = -1;
    let busiest = -1;
    let mostReaders = -1;
    for (let i = 0; i < count && free < 0; i++) {
      if (alive[i] === 0) continue;
      // How many other remaining copies read this copy's destination.
      let readers = 0;
      for (let j = 0; j < count; j++) {
        const other = remaining[j] as CopyOp;
        if (j !== i && alive[j] === 1 && intersects(other.src, dests[i] as Rect)) readers++;
      }
      if (readers === 0) free = i;
      else if (readers > mostReaders) {
        mostReaders = readers;
        busiest = i;
      }
    }
    // Send a copy nobody still needs the destination of; in a cycle, drop the busiest one.
    if (free >= 0) ordered.push(remaining[free] as CopyOp);
    alive[free >= 0 ? free : busiest] = 0;
  }
  return ordered;
}
