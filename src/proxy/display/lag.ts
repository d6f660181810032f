/**
 * @module Processing lag: how far behind a client's rendering is, from its `sync` echoes, computed
 * exactly as guacd's `__guac_user_handle_sync` does (frame duration minus the previous frame's
 * duration without lag, as an estimate of the round trip).
 */

/** One user's processing-lag estimate, fed by the timestamps of the `sync`s it echoes. */
export class ProcessingLag {
  #lastReceived = 0;
  #lastFrameDuration = 0;
  #lag = 0;

  /** The current estimate in milliseconds (0 until two frames have been acknowledged). */
  get value(): number {
    return this.#lag;
  }

  /** The newest timestamp the user has acknowledged. */
  get lastReceived(): number {
    return this.#lastReceived;
  }

  /**
   * Records a `sync` echo.
   * @param timestamp the echoed timestamp
   * @param now the current time in milliseconds
   * @param lastSent the newest timestamp sent to the user
   * @returns false (and no change) when the timestamp is not an integer or was never sent
   */
  acknowledge(timestamp: number, now: number, lastSent: number): boolean {
    if (!Number.isSafeInteger(timestamp) || timestamp > lastSent) return false;
    if (timestamp >= this.#lastReceived) {
      this.#lastReceived = timestamp;
      const frameDuration = now - timestamp;
      if (this.#lastFrameDuration !== 0) {
        this.#lag = Math.max(0, frameDuration - this.#lastFrameDuration);
      }
      this.#lastFrameDuration = frameDuration - this.#lag;
    }
    return true;
  }
}
