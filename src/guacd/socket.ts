/**
 * @module GuacdSocket (Java's GuacamoleSocket): the one seam between tunnels and any guacd, external over
 * TCP/TLS or in-process, plus StreamGuacdSocket, which implements it over any Node Duplex.
 */
import type { Duplex } from 'node:stream';
import {
  ConnectionClosedError,
  GuacamoleError,
  InstructionReader,
  InstructionWriter,
  UpstreamTimeoutError,
  type GuacamoleReader,
  type GuacamoleWriter,
  type Instruction,
} from '../protocol/index.js';
import {
  CLOSED_MESSAGE,
  READ_TIMEOUT_MESSAGE,
  malformedDataError,
  mapGuacdIoError,
} from './errors.js';

/** A connection to guacd: an instruction reader and writer plus lifecycle. */
export interface GuacdSocket {
  /** Reads what guacd sends. */
  readonly reader: GuacamoleReader;
  /** Writes to guacd; every write is sent at once (Java flushes each write). */
  readonly writer: GuacamoleWriter;
  /** False once the socket is closed, by {@link GuacdSocket.close} or by the connection ending. */
  readonly isOpen: boolean;
  /** Closes the connection; idempotent. */
  close(): void;
  /**
   * Registers a listener called once when the socket closes (for any reason); returns a disposer.
   * @param listener receives the error that closed the socket, or undefined for a normal close
   * @returns a function that unregisters the listener
   */
  onClose(listener: (error?: GuacamoleError) => void): () => void;
}

/** Default read timeout, as Java's `SOCKET_TIMEOUT` (and guacd's own `GUACD_TIMEOUT`). */
export const DEFAULT_READ_TIMEOUT_MS = 15_000;

/** Options of {@link StreamGuacdSocket}. */
export interface StreamGuacdSocketOptions {
  /** Unread bytes at which the stream is paused (backpressure). Default: the reader's (1 MiB). */
  readonly highWaterMark?: number;
  /** Maps stream I/O errors (not parse errors). Default: {@link mapGuacdIoError}. */
  readonly mapError?: (error: unknown) => GuacamoleError;
  /** Longest wait for data while a read is pending, in ms; 0 disables it. Default: 15000. */
  readonly readTimeoutMs?: number;
}

type CloseListener = (error?: GuacamoleError) => void;

/** A GuacdSocket over a Node Duplex carrying guacd's UTF-8 byte stream (a net/tls socket or in-memory). */
export class StreamGuacdSocket implements GuacdSocket {
  readonly reader: GuacamoleReader;
  readonly writer: GuacamoleWriter;
  readonly #duplex: Duplex;
  readonly #mapIoError: (error: unknown) => GuacamoleError;
  readonly #readTimeoutMs: number;
  readonly #listeners = new Set<CloseListener>();
  #closed = false;
  #closeEmitted = false;
  /** The raw error that brought the connection down and the GuacamoleError it became. */
  #failureSource: unknown;
  #failure: GuacamoleError | undefined;
  #waiting = 0;
  #timer: NodeJS.Timeout | undefined;

  /**
   * Takes ownership of a connected duplex; the socket starts reading at once.
   * @param duplex the byte stream to and from guacd
   * @param options timeout, backpressure and error mapping
   */
  constructor(duplex: Duplex, options: StreamGuacdSocketOptions = {}) {
    this.#duplex = duplex;
    this.#mapIoError = options.mapError ?? mapGuacdIoError;
    this.#readTimeoutMs = options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS;
    // Registered before the reader's listeners so the reader sees the failure already mapped.
    duplex.on('error', (error: unknown) => {
      this.#recordFailure(error, () => this.#mapIoError(error));
    });
    duplex.on('close', () => {
      this.#onClosed();
    });
    const mapError = (error: unknown): GuacamoleError => this.#mapError(error);
    const inner = new InstructionReader(duplex, {
      mapError,
      onWait: (waiting) => {
        this.#onWait(waiting);
      },
      ...(options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark }),
    });
    this.reader = new SocketReader(inner, (error) => this.#normalize(error));
    const writer = new InstructionWriter(duplex, { mapError });
    this.writer = new SocketWriter(writer, (error) => this.#normalize(error));
    if (duplex.destroyed) this.#onClosed();
  }

  get isOpen(): boolean {
    return !this.#closed && !this.#duplex.destroyed;
  }

  close(): void {
    if (this.#closed) return;
    this.#closed = true;
    this.#stopTimer();
    this.#duplex.destroy();
  }

  /** A listener added after the socket closed is still called, on the next microtask. */
  onClose(listener: CloseListener): () => void {
    if (this.#closeEmitted) {
      queueMicrotask(() => {
        listener(this.#failure);
      });
      return () => undefined;
    }
    // Wrapped so the same function may be registered twice and disposed independently.
    const entry: CloseListener = (error) => {
      listener(error);
    };
    this.#listeners.add(entry);
    return () => {
      this.#listeners.delete(entry);
    };
  }

  /** Maps every error the reader or writer reports; parse errors mean guacd sent garbage. */
  #mapError(error: unknown): GuacamoleError {
    if (this.#failure !== undefined && (error === this.#failureSource || error === this.#failure)) {
      return this.#failure;
    }
    if (error instanceof GuacamoleError) {
      // The reader's own failures are all parse errors: bad framing, limits, undecodable instructions.
      const malformed = malformedDataError(error);
      this.#abort(malformed);
      return malformed;
    }
    return this.#mapIoError(error);
  }

  /** Gives closed-connection errors Java's wording and reports the failure that closed the socket. */
  #normalize(error: unknown): unknown {
    if (!(error instanceof ConnectionClosedError) || error.message === CLOSED_MESSAGE) return error;
    if (this.#failure !== undefined) return this.#failure;
    return new ConnectionClosedError(CLOSED_MESSAGE, { cause: error });
  }

  /** Like SO_TIMEOUT, the timeout runs only while a read waits for data: backpressure never trips it. */
  #onWait(waiting: boolean): void {
    this.#waiting += waiting ? 1 : -1;
    this.#stopTimer();
    if (this.#waiting > 0 && this.#readTimeoutMs > 0 && !this.#closed) {
      // Ref'd on purpose: a pending read is work in flight (over an in-memory duplex nothing else may
      // keep the process alive), and the timer exists only while a read waits; close() clears it.
      this.#timer = setTimeout(() => {
        this.#abort(new UpstreamTimeoutError(READ_TIMEOUT_MESSAGE));
      }, this.#readTimeoutMs);
    }
  }

  #stopTimer(): void {
    if (this.#timer !== undefined) clearTimeout(this.#timer);
    this.#timer = undefined;
  }

  #recordFailure(source: unknown, map: () => GuacamoleError): void {
    if (this.#failure !== undefined) return;
    this.#failureSource = source;
    this.#failure = map();
  }

  /** Closes the socket because of `error`, which pending reads and close listeners receive. */
  #abort(error: GuacamoleError): void {
    this.#recordFailure(error, () => error);
    if (this.#closed) return;
    this.#closed = true;
    this.#stopTimer();
    this.#duplex.destroy(error);
  }

  #onClosed(): void {
    if (this.#closeEmitted) return;
    this.#closed = true;
    this.#closeEmitted = true;
    this.#stopTimer();
    const listeners = [...this.#listeners];
    this.#listeners.clear();
    for (const listener of listeners) listener(this.#failure);
  }
}

/** Delegates to the InstructionReader, giving its errors the socket's final form. */
class SocketReader implements GuacamoleReader {
  readonly #inner: GuacamoleReader;
  readonly #normalize: (error: unknown) => unknown;

  constructor(inner: GuacamoleReader, normalize: (error: unknown) => unknown) {
    this.#inner = inner;
    this.#normalize = normalize;
  }

  async read(maxBytes?: number): Promise<Buffer | null> {
    try {
      return await this.#inner.read(maxBytes);
    } catch (error) {
      throw this.#normalize(error);
    }
  }

  async readInstruction(): Promise<Instruction | null> {
    try {
      return await this.#inner.readInstruction();
    } catch (error) {
      throw this.#normalize(error);
    }
  }

  available(): boolean {
    try {
      return this.#inner.available();
    } catch (error) {
      throw this.#normalize(error);
    }
  }
}

/** Delegates to the InstructionWriter, giving its errors the socket's final form. */
class SocketWriter implements GuacamoleWriter {
  readonly #inner: GuacamoleWriter;
  readonly #normalize: (error: unknown) => unknown;

  constructor(inner: GuacamoleWriter, normalize: (error: unknown) => unknown) {
    this.#inner = inner;
    this.#normalize = normalize;
  }

  async write(data: string | Uint8Array): Promise<void> {
    try {
      await this.#inner.write(data);
    } catch (error) {
      throw this.#normalize(error);
    }
  }

  async writeInstruction(instruction: Instruction): Promise<void> {
    try {
      await this.#inner.writeInstruction(instruction);
    } catch (error) {
      throw this.#normalize(error);
    }
  }
}
