/**
 * @module Copy search: finds dirty 64×64 cells whose new content the client already shows somewhere
 * else (a scrolled terminal, a dragged window), so that the frame sends `copy` instead of an image,
 * like guacd 1.6's display plan search. Each candidate cell's new pixels are hashed; a rolling hash
 * then slides a 64×64 window over the client model within the frame's dirty area, and every hash hit
 * is confirmed pixel by pixel. Unlike guacd, which searches every offset but only in frames where the
 * VNC server sent a CopyRect, this searches every frame but only pure vertical moves (each candidate's
 * column) and pure horizontal moves (each candidate's row): x11vnc sends no CopyRect for output it did
 * not see caused by input, and the full 2-D search cost about 20 % of a core while scrolling. The
 * copies are ordered so that none reads pixels an earlier copy of the same frame has overwritten
 * (guacd copies from a hidden last-frame buffer instead).
 */
import { CELL_SIZE } from './geometry.js';
import type { CopyOp, Rect } from './geometry.js';

/** A full, aligned cell whose content should be looked for. */
export interface CopyCandidate {
  /** The cell's left and top edges (multiples of 64; the cell lies inside the surface). */
  readonly x: number;
  readonly y: number;
}

/** Multiplier of the horizontal (per-row) hash. */
const ROW_BASE = 0x01000193;
/** Multiplier of the vertical (per-column-of-row-hashes) hash. */
const COLUMN_BASE = 0x5bd1e995;
/** How many recent copy offsets are tried before searching. */
const RECENT_OFFSETS = 4;
/** Hash-table slots: a power of two well above the number of cells of an 8192×8192 surface. */
const SLOTS = 1 << 16;

/**
 * base^n mod 2^32.
 * @param base the base
 * @param n the exponent
 * @returns the power as a signed 32-bit integer
 */
function power(base: number, n: number): number {
  let result = 1;
  for (let i = 0; i < n; i++) result = Math.imul(result, base);
  return result;
}

/** The weight of the pixel that leaves a row window: base^63 (the window is 64 pixels wide). */
const ROW_OUT = power(ROW_BASE, CELL_SIZE - 1);
/** The weight of the row hash that leaves a column window after the multiply: base^64. */
const COLUMN_OUT = power(COLUMN_BASE, CELL_SIZE);

/**
 * The hash of the 64×64 block at (x, y): the same value the rolling search computes there.
 * @param words the pixels
 * @param width the row length in pixels
 * @param x the block's left edge
 * @param y the block's top edge
 * @returns the hash
 */
export function blockHash(words: Uint32Array, width: number, x: number, y: number): number {
  let hash = 0;
  for (let row = 0; row < CELL_SIZE; row++) {
    let rowHash = 0;
    for (let i = (y + row) * width + x, end = i + CELL_SIZE; i < end; i++) {
      rowHash = (Math.imul(rowHash, ROW_BASE) + (words[i] as number)) | 0;
    }
    hash = (Math.imul(hash, COLUMN_BASE) + rowHash) | 0;
  }
  return hash;
}

/**
 * Whether two 64×64 blocks hold the same pixels.
 * @param a the first buffer
 * @param ax the first block's left edge
 * @param ay its top edge
 * @param b the second buffer (same row length)
 * @param bx the second block's left edge
 * @param by its top edge
 * @param width the row length in pixels
 * @returns true when identical
 */
function sameBlock(
  a: Uint32Array,
  ax: number,
  ay: number,
  b: Uint32Array,
  bx: number,
  by: number,
  width: number,
): boolean {
  for (let row = 0; row < CELL_SIZE; row++) {
    const i = (ay + row) * width + ax;
    const j = (by + row) * width + bx;
    for (let k = 0; k < CELL_SIZE; k++) if (a[i + k] !== b[j + k]) return false;
  }
  return true;
}

/**
 * Whether two rectangles overlap.
 * @param a one rectangle
 * @param b the other
 * @returns true when they share a pixel
 */
function intersects(a: Rect, b: Rect): boolean {
  return a.x < b.x + b.width && b.x < a.x + a.width && a.y < b.y + b.height && b.y < a.y + a.height;
}

/** Reusable search state: the hash table and the hash rows. */
export class CopySearch {
  readonly #slotHash = new Int32Array(SLOTS);
  /** Candidate index + 1 per slot; 0 = empty. */
  readonly #slotCandidate = new Int32Array(SLOTS);
  /** The offsets (source minus destination) of the previous frame's copies, most used first. */
  #offsets: [number, number][] = [];
  /** Row-segment hashes of one column strip, by row. */
  #rowHashes = new Int32Array(0);
  /** Window hashes of one row of cells, by source column. */
  #columnHashes = new Int32Array(0);

  /**
   * Finds copies for as many candidates as possible.
   * @param pending the new frame's pixels
   * @param client the pixels the client shows now (every earlier copy applied)
   * @param width the row length of both, in pixels
   * @param area where to look in `client` (the frame's dirty area; clipped to the surface)
   * @param candidates the cells to look for
   * @returns the copies found, in the order they must be sent, each for one candidate cell
   */
  find(
    pending: Uint32Array,
    client: Uint32Array,
    width: number,
    area: Rect,
    candidates: readonly CopyCandidate[],
  ): CopyOp[] {
    if (candidates.length === 0 || area.width < CELL_SIZE || area.height < CELL_SIZE) return [];
    const found: CopyOp[] = [];
    // Moves usually go on for several frames: try the offsets that worked last time first.
    const unresolved = candidates.filter(
      (cell) => !this.#tryRecent(pending, client, width, cell, found),
    );
    // When the last offsets explain most cells, the rest are new content (the lines scrolled in, a
    // dragged window's edges): searching for them costs more than it finds.
    if (found.length > 0 && unresolved.length <= found.length) {
      this.#remember(found);
      return orderCopies(mergeCopies(found));
    }
    const slotHash = this.#slotHash;
    const slotCandidate = this.#slotCandidate;
    slotCandidate.fill(0);
    unresolved.forEach((cell, index) => {
      const hash = blockHash(pending, width, cell.x, cell.y);
      const slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
      // First come, first served, as guacd's index: a colliding cell is simply not searched for.
      if (slotCandidate[slot] === 0) {
        slotHash[slot] = hash;
        slotCandidate[slot] = index + 1;
      }
    });
    const bottom = area.y + area.height;
    /** Turns a hash hit at (srcX, srcY) into a copy when the pixels really match. */
    const hit = (hash: number, srcX: number, srcY: number): void => {
      const slot = (hash ^ (hash >>> 16)) & (SLOTS - 1);
      const index = slotCandidate[slot] as number;
      if (index === 0 || slotHash[slot] !== hash) return;
      const cell = unresolved[index - 1] as CopyCandidate;
      if (srcX === cell.x && srcY === cell.y) return;
      if (!sameBlock(client, srcX, srcY, pending, cell.x, cell.y, width)) return;
      slotCandidate[slot] = 0;
      found.push({
        src: { x: srcX, y: srcY, width: CELL_SIZE, height: CELL_SIZE },
        dstX: cell.x,
        dstY: cell.y,
      });
    };
    if (this.#rowHashes.length < area.height) this.#rowHashes = new Int32Array(area.height);
    if (this.#columnHashes.length < area.width) this.#columnHashes = new Int32Array(area.width);
    const rows = this.#rowHashes;
    const columns = this.#columnHashes;
    // Vertical moves (scrolling): every source row for each candidate column.
    for (const x of new Set(unresolved.map((cell) => cell.x))) {
      let column = 0;
      for (let y = area.y; y < bottom; y++) {
        let rowHash = 0;
        for (let i = y * width + x, end = i + CELL_SIZE; i < end; i++) {
          rowHash = (Math.imul(rowHash, ROW_BASE) + (client[i] as number)) | 0;
        }
        const t = y - area.y;
        const old = t >= CELL_SIZE ? (rows[t - CELL_SIZE] as number) : 0;
        rows[t] = rowHash;
        column = (Math.imul(column, COLUMN_BASE) + rowHash - Math.imul(old, COLUMN_OUT)) | 0;
        if (t >= CELL_SIZE - 1) hit(column, x, y - CELL_SIZE + 1);
      }
    }
    // Horizontal moves: every source column for each candidate row.
    const windows = area.width - CELL_SIZE + 1;
    for (const y of new Set(unresolved.map((cell) => cell.y))) {
      columns.fill(0, 0, windows);
      for (let row = y; row < y + CELL_SIZE; row++) {
        const start = row * width + area.x;
        let rowHash = 0;
        for (let k = 0; k < CELL_SIZE - 1; k++) {
          rowHash = (Math.imul(rowHash, ROW_BASE) + (client[start + k] as number)) | 0;
        }
        for (let w = 0; w < windows; w++) {
          rowHash =
            (Math.imul(rowHash, ROW_BASE) + (client[start + w + CELL_SIZE - 1] as number)) | 0;
          columns[w] = (Math.imul(columns[w] as number, COLUMN_BASE) + rowHash) | 0;
          rowHash = (rowHash - Math.imul(client[start + w] as number, ROW_OUT)) | 0;
        }
      }
      for (let w = 0; w < windows; w++) hit(columns[w] as number, area.x + w, y);
    }
    this.#remember(found);
    return orderCopies(mergeCopies(found));
  }

  /**
   * Looks for a candidate's content at the recently used offsets; records a copy when found.
   * @param pending the new frame
   * @param client the client model
   * @param width the row length
   * @param cell the candidate
   * @param found receives the copy
   * @returns true when found
   */
  #tryRecent(
    pending: Uint32Array,
    client: Uint32Array,
    width: number,
    cell: CopyCandidate,
    found: CopyOp[],
  ): boolean {
    const height = client.length / width;
    const middle = (cell.y + CELL_SIZE / 2) * width + cell.x;
    for (const [dx, dy] of this.#offsets) {
      const x = cell.x + dx;
      const y = cell.y + dy;
      if (x < 0 || y < 0 || x + CELL_SIZE > width || y + CELL_SIZE > height) continue;
      // The middle row first: it rejects most misses after a few pixels.
      const from = (y + CELL_SIZE / 2) * width + x;
      let same = true;
      for (let k = 0; k < CELL_SIZE && same; k++) same = client[from + k] === pending[middle + k];
      if (!same || !sameBlock(client, x, y, pending, cell.x, cell.y, width)) continue;
      found.push({
        src: { x, y, width: CELL_SIZE, height: CELL_SIZE },
        dstX: cell.x,
        dstY: cell.y,
      });
      return true;
    }
    return false;
  }

  /**
   * Keeps the offsets most copies of this frame used (the previous ones when none were found).
   * @param found this frame's copies
   */
  #remember(found: readonly CopyOp[]): void {
    if (found.length === 0) return;
    const counts = new Map<string, { offset: [number, number]; count: number }>();
    for (const copy of found) {
      const offset: [number, number] = [copy.src.x - copy.dstX, copy.src.y - copy.dstY];
      const key = offset.join();
      const entry = counts.get(key) ?? { offset, count: 0 };
      entry.count++;
      counts.set(key, entry);
    }
    this.#offsets = [...counts.values()]
      .sort((a, b) => b.count - a.count)
      .slice(0, RECENT_OFFSETS)
      .map((entry) => entry.offset);
  }
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
  while (remaining.length > 0) {
    // How many other remaining copies read each copy's destination.
    const readers = remaining.map((copy) => {
      const dest = destination(copy);
      return remaining.filter((other) => other !== copy && intersects(other.src, dest)).length;
    });
    const free = readers.indexOf(0);
    if (free >= 0) {
      ordered.push(...remaining.splice(free, 1));
      continue;
    }
    // A cycle: drop the copy whose destination the most others read.
    remaining.splice(readers.indexOf(Math.max(...readers)), 1);
  }
  return ordered;
}
