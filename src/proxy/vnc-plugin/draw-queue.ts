/**
 * @module DrawQueue: keeps a VNC session's drawing in the server's order while a Tight image is being
 * decoded off the event loop. Steps run at once while nothing waits; once a decode is in flight,
 * every later step (updates, copies, frame ends) waits behind it.
 */

/** Orders drawing steps around asynchronous image decodes. */
export class DrawQueue {
  readonly #onError: (error: unknown) => void;
  #queued = 0;
  #chain: Promise<void> = Promise.resolve();

  /** @param onError receives a failed decode (the steps after it still run) */
  constructor(onError: (error: unknown) => void) {
    this.#onError = onError;
  }

  /** Whether steps are waiting for a decode (a step queued now will run later). */
  get waiting(): boolean {
    return this.#queued > 0;
  }

  /**
   * Runs a step now when nothing waits, otherwise after everything queued before it.
   * @param step the drawing step
   */
  run(step: () => void): void {
    if (this.#queued === 0) step();
    else {
      this.#enqueue(async () => {
        await Promise.resolve();
        step();
      });
    }
  }

  /**
   * Runs a step with a decode's result, after everything queued before it; later steps wait for it.
   * @param pending the decode, already started
   * @param step what to do with its result
   */
  after<T>(pending: Promise<T>, step: (value: T) => void): void {
    // Observed at once, so a decode that fails before its turn is not an unhandled rejection.
    pending.catch(() => undefined);
    this.#enqueue(async () => {
      step(await pending);
    });
  }

  #enqueue(task: () => Promise<void>): void {
    this.#queued++;
    this.#chain = this.#chain
      .then(task)
      .catch((error: unknown) => {
        this.#onError(error);
      })
      .finally(() => {
        this.#queued--;
      });
  }
}
