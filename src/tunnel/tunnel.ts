/**
 * @module Tunnel (GuacamoleTunnel): a random UUID plus a GuacdSocket, with the reader and writer locks the
 * HTTP and WebSocket transports use. The UUID is the only identifier a client ever sees.
 */
import { randomUUID } from 'node:crypto';
import type { GuacdSocket } from '../guacd/index.js';
import type { GuacamoleError } from '../protocol/index.js';
import { Lock, type Release } from './lock.js';
import { StreamInterceptor } from './stream-interceptor.js';

/** Returned by {@link Tunnel.readUnlessQueued} when a newer reader is waiting. */
export const HANDED_OFF: unique symbol = Symbol('handed off');

/** A connection to guacd as the tunnel transports see it. */
export class Tunnel {
  /** A random UUID, fixed at construction (never guacd's connection id). */
  readonly uuid: string = randomUUID();
  /** The guacd connection. */
  readonly socket: GuacdSocket;
  readonly #readerLock = new Lock();
  readonly #writerLock = new Lock();
  #closed = false;
  /** guacd's side closed with whole instructions still unread: open until the reader drains them. */
  #draining: { readonly error: GuacamoleError | undefined } | undefined;
  /** A read from guacd that an HTTP response gave up on; the next reader takes its result. */
  #pendingRead: Promise<Buffer | null> | undefined;
  readonly #listeners = new Set<(error?: GuacamoleError) => void>();
  /** Downloads and uploads the server itself runs over this tunnel (REST `streams/…`). */
  readonly streams: StreamInterceptor = new StreamInterceptor(this);

  /** @param socket an open, configured guacd connection */
  constructor(socket: GuacdSocket) {
    this.socket = socket;
    socket.onClose((error) => {
      // As in Java, a tunnel closes when its reader meets the end of guacd's stream, not when the TCP
      // connection ends: what guacd sent last (often the `error` saying why) must still reach the client.
      if (!this.#closed && hasWholeInstruction(socket)) this.#draining = { error };
      else this.#finish(error);
    });
  }

  /** @returns true until the tunnel closes, or guacd's connection ends and everything it sent was read */
  isOpen(): boolean {
    return !this.#closed && (this.socket.isOpen || this.#draining !== undefined);
  }

  /**
   * Waits for exclusive use of the reader. The HTTP tunnel holds it for one response, the WebSocket tunnel
   * for the whole session.
   * @returns the release function
   */
  async acquireReader(): Promise<Release> {
    return await this.#readerLock.acquire();
  }

  /** True when another caller waits for the reader: the active HTTP response must hand over. */
  hasQueuedReaders(): boolean {
    return this.#readerLock.hasQueued;
  }

  /**
   * Reads the next whole instructions from guacd, or gives up as soon as a newer reader queues. A read given
   * up on is not lost: it stays pending and the next caller receives its result, so nothing is dropped,
   * duplicated or reordered across HTTP responses. Only the reader-lock holder may call this.
   * @param maxBytes soft limit on the bytes returned
   * @returns the bytes, null at end of stream, or HANDED_OFF
   */
  async readUnlessQueued(maxBytes?: number): Promise<Buffer | null | typeof HANDED_OFF> {
    const pending = (this.#pendingRead ??= this.#readSocket(maxBytes));
    try {
      const result = await Promise.race([
        pending,
        this.#readerLock.whenQueued().then((): typeof HANDED_OFF => HANDED_OFF),
      ]);
      if (result !== HANDED_OFF) this.#pendingRead = undefined;
      return result;
    } catch (error) {
      this.#pendingRead = undefined;
      throw error;
    }
  }

  /**
   * Reads the next whole instructions from guacd (taking over a read an HTTP response gave up on).
   * @param maxBytes soft limit on the bytes returned
   * @returns the bytes, or null at end of stream
   */
  async read(maxBytes?: number): Promise<Buffer | null> {
    const pending = this.#pendingRead ?? this.#readSocket(maxBytes);
    this.#pendingRead = undefined;
    return await pending;
  }

  /** Reads from guacd; once a drained connection's stream ends (or fails), the tunnel closes. */
  async #readSocket(maxBytes?: number): Promise<Buffer | null> {
    try {
      for (;;) {
        const result = await this.socket.reader.read(maxBytes);
        if (result === null && this.#draining) this.#finish(this.#draining.error);
        if (result === null) return result;
        // Intercepted stream data never reaches the client; a burst of nothing else is not a read.
        const filtered = this.streams.filter(result);
        if (filtered.length > 0) return filtered;
      }
    } catch (error) {
      if (this.#draining) this.#finish(this.#draining.error);
      throw error;
    }
  }

  /**
   * Waits for exclusive use of the writer (one HTTP write request, or one WebSocket message).
   * @returns the release function
   */
  async acquireWriter(): Promise<Release> {
    return await this.#writerLock.acquire();
  }

  /**
   * Registers a listener called once when the tunnel closes.
   * @param listener receives the error that closed it, if any
   * @returns a function that removes the listener
   */
  onClose(listener: (error?: GuacamoleError) => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }

  /** Closes the guacd connection; idempotent. */
  close(): void {
    if (this.#closed) return;
    this.socket.close();
    this.#finish(this.#draining?.error);
  }

  #finish(error?: GuacamoleError): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#draining = undefined;
    this.#notify(error);
  }

  #notify(error?: GuacamoleError): void {
    this.streams.closeAll();
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) listener(error);
  }
}

/** Whether guacd's reader still holds a whole instruction (malformed leftovers count as none). */
function hasWholeInstruction(socket: GuacdSocket): boolean {
  try {
    return socket.reader.available();
  } catch {
    return false;
  }
}
