/**
 * @module An in-memory, connected pair of Duplex streams with backpressure, so the proxy can serve an
 * in-process client exactly as a TCP one (Node 20 has no `stream.duplexPair`).
 */
import { Duplex } from 'node:stream';

/** One end of a pair. */
class PairEnd extends Duplex {
  peer: PairEnd | undefined;
  #pendingCallback: ((error?: Error | null) => void) | undefined;

  override _read(): void {
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
    // Like a TCP peer, the other end sees end of stream when this one goes away.
    if (peer !== undefined && !peer.destroyed && !peer.readableEnded) peer.push(null);
    callback(error);
  }
}

/**
 * Creates two connected Duplex ends; each closes once both directions have ended.
 * @returns the two ends; bytes written to one are read from the other
 */
export function createDuplexPair(): [Duplex, Duplex] {
  const a = new PairEnd({ allowHalfOpen: false });
  const b = new PairEnd({ allowHalfOpen: false });
  a.peer = b;
  b.peer = a;
  return [a, b];
}
