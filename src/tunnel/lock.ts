/**
 * @module Lock: a FIFO async mutex that can tell whether anyone is queued, the Node equivalent of the
 * ReentrantLock + hasQueuedThreads pair that Java's tunnels use for their reader and writer.
 */

/** Releases a held lock; calling it twice is harmless. */
export type Release = () => void;

/** A first-come, first-served async lock. */
export class Lock {
  #held = false;
  #queue: (() => void)[] = [];
  #queued: { promise: Promise<void>; resolve: () => void } | undefined;

  /** True when at least one caller is waiting for the lock. */
  get hasQueued(): boolean {
    return this.#queue.length > 0;
  }

  /** True while someone holds the lock. */
  get isHeld(): boolean {
    return this.#held;
  }

  /**
   * Resolves as soon as someone is waiting for the lock (at once if someone already is). One shared promise
   * serves every caller until then, so repeated calls accumulate nothing.
   * @returns a promise resolved when the lock has a queue
   */
  whenQueued(): Promise<void> {
    if (this.#queue.length > 0) return Promise.resolve();
    if (!this.#queued) {
      let resolve: () => void = () => undefined;
      const promise = new Promise<void>((r) => (resolve = r));
      this.#queued = { promise, resolve };
    }
    return this.#queued.promise;
  }

  /**
   * Waits for the lock.
   * @returns the function that releases it
   */
  async acquire(): Promise<Release> {
    if (this.#held) {
      const waiting = new Promise<void>((resolve) => this.#queue.push(resolve));
      this.#queued?.resolve();
      this.#queued = undefined;
      await waiting;
    }
    this.#held = true;
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = this.#queue.shift();
      if (next) next();
      else this.#held = false;
    };
  }
}
