/**
 * @module Pixel arena: one buffer the display captures a frame's image pixels into, reused frame after
 * frame. The captures must outlive the task that makes them (sharp encodes them on the thread pool),
 * so short-lived Buffers would each be promoted to V8's old generation and counted as external
 * memory until the next mark-compact; at tens of MB/s that alone keeps the collector marking. One
 * long-lived buffer is handed out in slices instead, and handed out again once the frame is sent.
 */

/** The largest arena kept between frames; a larger frame gets one-off buffers beyond it. */
export const ARENA_KEEP_BYTES = 4 << 20;

/** Hands out slices of a reused buffer; {@link PixelArena.reset} makes all of it free again. */
export class PixelArena {
  readonly #keep: number;
  #buffer = Buffer.allocUnsafeSlow(0);
  #used = 0;
  /** The bytes asked for since the last reset, each slice rounded up to 4 (the next frame's need). */
  #wanted = 0;

  /**
   * @param keep the largest buffer kept for reuse, in bytes (default {@link ARENA_KEEP_BYTES})
   */
  constructor(keep = ARENA_KEEP_BYTES) {
    this.#keep = keep;
  }

  /** The size of the buffer currently reused, in bytes. */
  get capacity(): number {
    return this.#buffer.length;
  }

  /**
   * A slice of `bytes` that nothing else is handed until the next reset. Slices start on 4-byte
   * boundaries, so RGBA slices can be read as 32-bit words.
   * @param bytes the size, a non-negative integer
   * @returns the slice (its contents are whatever was there before)
   */
  take(bytes: number): Buffer {
    if (!Number.isSafeInteger(bytes) || bytes < 0) {
      throw new RangeError(`arena slice size must be a non-negative integer, got ${bytes}`);
    }
    const aligned = Math.ceil(bytes / 4) * 4;
    this.#wanted += aligned;
    const start = this.#used;
    if (start + bytes > this.#buffer.length) return Buffer.allocUnsafeSlow(bytes);
    this.#used = start + aligned;
    return this.#buffer.subarray(start, start + bytes);
  }

  /**
   * Frees every slice handed out (their users must be done with them) and, when they needed more
   * room than the buffer has, grows it (up to the keep limit) for the next frame.
   */
  reset(): void {
    const capacity = this.#buffer.length;
    if (this.#wanted > capacity && capacity < this.#keep) {
      // Doubling (from 64 KiB) keeps the number of regrowths small while frames vary in size.
      const size = Math.min(this.#keep, Math.max(this.#wanted, capacity * 2, 1 << 16));
      this.#buffer = Buffer.allocUnsafeSlow(size);
    }
    this.#used = 0;
    this.#wanted = 0;
  }
}
