/**
 * @module Stream pool: output stream indices for images the display broadcasts. Like guacd's
 * client-level streams they are even (`2 × n`); the lowest free index is always reused first.
 */

/** guacd's `GUAC_CLIENT_MAX_STREAMS`: at most 64 client-level streams are open at once. */
export const MAX_STREAMS = 64;

/** Allocates and frees even stream indices, lowest first. */
export class StreamPool {
  readonly #used = new Set<number>();

  /** How many streams are open. */
  get size(): number {
    return this.#used.size;
  }

  /**
   * Opens a stream.
   * @returns the lowest free even index
   */
  allocate(): number {
    for (let n = 0; n < MAX_STREAMS; n++) {
      if (!this.#used.has(n)) {
        this.#used.add(n);
        return n * 2;
      }
    }
    throw new RangeError(`all ${MAX_STREAMS} display streams are in use`);
  }

  /**
   * Closes a stream.
   * @param index an index from {@link allocate}
   */
  free(index: number): void {
    if (!this.#used.delete(index / 2)) throw new RangeError(`stream ${index} is not open`);
  }
}
