/**
 * @module UserChannel: one user's byte stream seen by the proxy, as guacd's user socket: whole instructions
 * read with a timeout under the client limits, writes with a keep-alive `nop`, and a bounded output queue.
 */
import type { Duplex } from 'node:stream';
import {
  ByteParser,
  CLIENT_LIMITS,
  ClientTimeoutError,
  decodeInstruction,
  encodeInstruction,
  type Instruction,
} from '../protocol/index.js';

/** Options of {@link UserChannel}. */
export interface UserChannelOptions {
  /** Silence on output, in ms, after which `nop` is sent (GUAC_SOCKET_KEEP_ALIVE_INTERVAL). */
  readonly keepAliveMs: number;
  /** Output bytes queued for a user that is not reading before it is dropped. */
  readonly maxBufferedBytes: number;
  /** Longest wait, in ms, for queued output to drain once the channel is closing. */
  readonly closeGraceMs: number;
}

/** Input bytes buffered before the stream is paused. */
const PAUSE_BYTES = 1 << 16;

/** Reads instructions from, and writes them to, one user's stream. */
export class UserChannel {
  readonly #duplex: Duplex;
  readonly #options: UserChannelOptions;
  readonly #parser = new ByteParser(CLIENT_LIMITS);
  readonly #closeListeners: (() => void)[] = [];
  #wake: (() => void) | undefined;
  #ended = false;
  #closed = false;
  #fullyClosed = false;
  #keepAlive: NodeJS.Timeout | undefined;
  #grace: NodeJS.Timeout | undefined;

  /**
   * Takes ownership of the stream and starts reading it.
   * @param duplex the user's connection
   * @param options keep-alive interval and output limit
   */
  constructor(duplex: Duplex, options: UserChannelOptions) {
    this.#duplex = duplex;
    this.#options = options;
    duplex.on('data', (chunk: Buffer | string) => {
      this.#parser.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      if (this.#parser.buffered >= PAUSE_BYTES) duplex.pause();
      this.#notify();
    });
    duplex.on('end', () => {
      this.#ended = true;
      this.#notify();
    });
    // Errors (resets, broken pipes) end the user like a close; 'close' follows.
    duplex.on('error', () => undefined);
    duplex.on('close', () => {
      this.#onClosed();
    });
    if (duplex.destroyed) this.#onClosed();
  }

  /** True once the stream has closed or is closing. */
  get closed(): boolean {
    return this.#closed || this.#duplex.destroyed;
  }

  /**
   * Reads the next instruction, waiting at most `timeoutMs` for data.
   * @param timeoutMs the longest silence allowed
   * @returns the instruction, or null at end of stream or once closed
   * @throws {ClientTimeoutError} when no instruction arrives in time
   * @throws {ClientError} when the user sends malformed or oversized data
   */
  async read(timeoutMs: number): Promise<Instruction | null> {
    for (;;) {
      if (this.closed) return null;
      const raw = this.#parser.takeOne();
      if (raw !== undefined) {
        if (this.#duplex.isPaused() && this.#parser.buffered < PAUSE_BYTES) this.#duplex.resume();
        return decodeInstruction(raw);
      }
      if (this.#ended) return null;
      if (this.#duplex.isPaused()) this.#duplex.resume();
      await this.#waitForData(timeoutMs);
    }
  }

  /**
   * Sends one instruction, unless the channel is closed.
   * @param opcode the opcode
   * @param args its arguments
   */
  send(opcode: string, ...args: readonly string[]): void {
    this.sendRaw(encodeInstruction(opcode, ...args));
  }

  /**
   * Sends whole instructions as text; a user whose unsent output exceeds the limit is dropped.
   * @param text one or more whole instructions
   */
  sendRaw(text: string): void {
    if (this.closed) return;
    this.#keepAlive?.refresh();
    this.#duplex.write(text);
    if (this.#duplex.writableLength > this.#options.maxBufferedBytes) this.destroy();
  }

  /** Starts sending `nop` after every keep-alive interval without output. */
  startKeepAlive(): void {
    if (this.closed || this.#keepAlive !== undefined) return;
    this.#keepAlive = setTimeout(() => {
      this.send('nop');
      this.#keepAlive?.refresh();
    }, this.#options.keepAliveMs);
    this.#keepAlive.unref();
  }

  /** Ends the stream after queued output is sent (bounded by the grace period). */
  close(): void {
    if (this.closed) return;
    this.#closed = true;
    this.#stopTimers();
    this.#notify();
    const duplex = this.#duplex;
    duplex.once('finish', () => duplex.destroy());
    this.#grace = setTimeout(() => duplex.destroy(), this.#options.closeGraceMs);
    this.#grace.unref();
    duplex.end();
  }

  /** Closes the stream at once, dropping queued output. */
  destroy(): void {
    this.#closed = true;
    this.#stopTimers();
    this.#duplex.destroy();
    this.#notify();
  }

  /**
   * Registers a listener called once when the stream has fully closed.
   * @param listener the listener
   */
  onClose(listener: () => void): void {
    if (this.#fullyClosed) {
      queueMicrotask(listener);
      return;
    }
    this.#closeListeners.push(listener);
  }

  async #waitForData(timeoutMs: number): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.#wake = undefined;
        reject(new ClientTimeoutError('User is not responding.'));
      }, timeoutMs);
      timer.unref();
      this.#wake = () => {
        clearTimeout(timer);
        resolve();
      };
    });
  }

  #notify(): void {
    const wake = this.#wake;
    this.#wake = undefined;
    wake?.();
  }

  #stopTimers(): void {
    if (this.#keepAlive !== undefined) clearTimeout(this.#keepAlive);
    this.#keepAlive = undefined;
  }

  #onClosed(): void {
    if (this.#fullyClosed) return;
    this.#fullyClosed = true;
    this.#closed = true;
    this.#stopTimers();
    if (this.#grace !== undefined) clearTimeout(this.#grace);
    this.#grace = undefined;
    this.#notify();
    for (const listener of this.#closeListeners.splice(0)) listener();
  }
}
