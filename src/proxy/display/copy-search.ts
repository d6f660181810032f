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
import { mergeCopies, orderCopies } from './copy-order.js';

export { mergeCopies, orderCopies };

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
/** How many cells are searched for when a frame has many candidates. */
const PROBES = 4;
/** How many recent copy offsets are tried before searching. */
const RECENT_OFFSETS = 4;
/**
 * Pixel steps one search may take (about 5 ms here, 3.5 ms per million): a few probes both ways
 * over a full screen, or a 1000×700 terminal's dozen cells both ways.
 */
const SEARCH_BUDGET = 1_500_000;
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
    let unresolved = candidates.filter(
      (cell) => !this.#tryRecent(pending, client, width, cell, found),
    );
    // When the last offsets explain most cells, the rest are new content (the lines scrolled in, a
    // dragged window's edges): searching for them costs more than it finds.
    if (found.length > 0 && unresolved.length <= found.length) return this.#finish(found);
    if (unresolved.length > PROBES * 2) {
      // Many cells: search for a few spread-out probes only, then try the offsets they reveal on
      // the rest. A frame that is not a move (a video, a new window) costs a few strips, not the
      // whole area.
      const probes = Array.from(
        { length: PROBES },
        (_, k) => unresolved[Math.floor(((k + 0.5) * unresolved.length) / PROBES)] as CopyCandidate,
      );
      const probed = this.#search(pending, client, width, area, probes);
      if (probed.length === 0) return this.#finish(found);
      found.push(...probed);
      this.#remember(probed);
      const searched = new Set(probes);
      unresolved = unresolved.filter(
        (cell) => !searched.has(cell) && !this.#tryRecent(pending, client, width, cell, found),
      );
      return this.#finish(found);
    }
    found.push(...this.#search(pending, client, width, area, unresolved));
    return this.#finish(found);
  }

  /**
   * Remembers the offsets used and puts the copies in sending order.
   * @param found the copies, each of one cell
   * @returns the joined copies in order
   */
  #finish(found: readonly CopyOp[]): CopyOp[] {
    this.#remember(found);
    return orderCopies(mergeCopies(found));
  }

  /**
   * Hash search for cells: vertical moves in each cell's column, horizontal moves in each cell's
   * row, within the area and the work budget.
   * @param pending the new frame
   * @param client the client model
   * @param width the row length
   * @param area where to look
   * @param unresolved the cells to look for
   * @returns a copy for each cell found
   */
  #search(
    pending: Uint32Array,
    client: Uint32Array,
    width: number,
    area: Rect,
    unresolved: readonly CopyCandidate[],
  ): CopyOp[] {
    const found: CopyOp[] = [];
    // Bound the work per frame (a full-screen change must not stall the event loop): hashing the
    // candidates, then each direction only while the pixel steps stay within the budget.
    const columnsToSearch = new Set(unresolved.map((cell) => cell.x));
    const rowsToSearch = new Set(unresolved.map((cell) => cell.y));
    let budget = SEARCH_BUDGET - unresolved.length * CELL_SIZE * CELL_SIZE;
    const verticalCost = columnsToSearch.size * area.height * CELL_SIZE;
    if (verticalCost > budget) columnsToSearch.clear();
    else budget -= verticalCost;
    if (rowsToSearch.size * CELL_SIZE * area.width > budget) rowsToSearch.clear();
    if (columnsToSearch.size === 0 && rowsToSearch.size === 0) return found;
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
    for (const x of columnsToSearch) {
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
    for (const y of rowsToSearch) {
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
    return found;
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
   * Keeps the offsets most copies of this frame used, then the previous ones, up to four.
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
    // This frame's offsets first, then the older ones (a scroll often alternates between a few).
    const older = this.#offsets.filter((offset) => !counts.has(offset.join()));
    this.#offsets = [...counts.values()]
      .sort((a, b) => b.count - a.count)
      .map((entry) => entry.offset)
      .concat(older)
      .slice(0, RECENT_OFFSETS);
  }
}
