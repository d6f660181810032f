/**
 * @module An in-memory, connected pair of Duplex streams: what one end writes, the other reads. It stands in
 * for a socket wherever a test (or the bundled proxy) needs a byte stream without the network.
 */
import { Duplex } from 'node:stream';

/** One end of a {@link duplexPair}. */
class PairEnd extends Duplex {
  /** The other end, set right after both are built. */
  peer: PairEnd | undefined;
  #pendingCallback: ((error?: Error | null) => void) | undefined;

  override _read(): void {
    // The peer's pending write resumes when this end wants more (backpressure across the pair).
    const peer = this.peer;
    if (peer === undefined) return;
    const callback = peer.#pendingCallback;
    peer.#pendingCallback = undefined;
    callback?.();
  }

  override _write(
    chunk: Buffer,
    _encoding: BufferEncoding,
    callback: (error?: Error | null) => void,
  ): void {
    const peer = this.peer;
    if (peer === undefined || peer.destroyed) {
      callback(Object.assign(new Error('The other end is closed.'), { code: 'EPIPE' }));
      return;
    }
    if (peer.push(chunk)) callback();
    else this.#pendingCallback = callback;
  }

  override _final(callback: (error?: Error | null) => void): void {
    this.peer?.push(null);
    callback();
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    const peer = this.peer;
    const pending = this.#pendingCallback;
    this.#pendingCallback = undefined;
    pending?.(error ?? new Error('Destroyed.'));
    // Like a TCP peer, the other end sees the stream end (a FIN) when this one goes away.
    if (peer !== undefined && !peer.destroyed && !peer.readableEnded) peer.push(null);
    callback(error);
  }
}

/**
 * Creates two connected Duplex ends.
 * @param options stream options for both ends (e.g. `highWaterMark`, `allowHalfOpen`)
 * @returns the two ends; bytes written to one are read from the other
 */
export function duplexPair(
  options: { readonly highWaterMark?: number; readonly allowHalfOpen?: boolean } = {},
): [Duplex, Duplex] {
  const a = new PairEnd(options);
  const b = new PairEnd(options);
  a.peer = b;
  b.peer = a;
  return [a, b];
}
