/**
 * @module InstructionReader (GuacamoleReader): whole instructions from a byte stream, with backpressure.
 * The stream is paused while enough unread data is buffered, so a slow consumer never grows memory.
 */
import type { Readable } from 'node:stream';
import { ByteParser } from './byte-parser.js';
import { decodeInstruction } from './decode.js';
import {
  ClientOverrunError,
  ConnectionClosedError,
  GuacamoleError,
  ServerError,
} from './errors.js';
import type { Instruction } from './instruction.js';
import { UPSTREAM_LIMITS, type ParserLimits } from './limits.js';

/** Reads whole instructions; the TypeScript face of Java's GuacamoleReader. */
export interface GuacamoleReader {
  /**
   * Reads one or more whole instructions, as raw bytes, waiting until at least one is available.
   * @param maxBytes soft limit: reading stops after the instruction that reaches it
   * @returns the bytes, or null at end of stream (a partial instruction there is dropped)
   */
  read(maxBytes?: number): Promise<Buffer | null>;
  /** @returns the next instruction, decoded, or null at end of stream */
  readInstruction(): Promise<Instruction | null>;
  /** @returns true when a whole instruction can be read without waiting */
  available(): boolean;
}

/** Options of {@link InstructionReader}. */
export interface InstructionReaderOptions {
  /** Parser limits. Default: {@link UPSTREAM_LIMITS}. */
  readonly limits?: ParserLimits;
  /**
   * Bytes buffered before the stream is paused; also the largest single instruction accepted.
   * Default: 1 MiB.
   */
  readonly highWaterMark?: number;
  /** Turns stream and parse errors into the error the caller reports. Default: keeps GuacamoleErrors. */
  readonly mapError?: (error: unknown) => GuacamoleError;
  /** Told when a read starts and stops waiting for data (for read timeouts). */
  readonly onWait?: (waiting: boolean) => void;
}

const DEFAULT_HIGH_WATER_MARK = 1 << 20;

function defaultMapError(error: unknown): GuacamoleError {
  if (error instanceof GuacamoleError) return error;
  return new ServerError(error instanceof Error ? error.message : String(error), { cause: error });
}

/** A GuacamoleReader over a Node Readable of UTF-8 bytes. */
export class InstructionReader implements GuacamoleReader {
  readonly #stream: Readable;
  readonly #parser: ByteParser;
  readonly #highWaterMark: number;
  readonly #mapError: (error: unknown) => GuacamoleError;
  readonly #onWait: ((waiting: boolean) => void) | undefined;
  #waiters: (() => void)[] = [];
  #ended = false;
  #error: GuacamoleError | undefined;
  #pausedByUs = false;
  /** Bytes of a partial instruction dropped at end of stream, for the caller's debug log. */
  droppedAtEnd = 0;

  /**
   * @param stream the byte stream; the reader attaches its listeners at once (the stream starts flowing)
   * @param options limits, buffering and hooks
   */
  constructor(stream: Readable, options: InstructionReaderOptions = {}) {
    this.#stream = stream;
    this.#parser = new ByteParser(options.limits ?? UPSTREAM_LIMITS);
    this.#highWaterMark = options.highWaterMark ?? DEFAULT_HIGH_WATER_MARK;
    this.#mapError = options.mapError ?? defaultMapError;
    this.#onWait = options.onWait;
    stream.on('data', (chunk: Buffer | string) => {
      this.#parser.push(typeof chunk === 'string' ? Buffer.from(chunk) : chunk);
      if (this.#parser.buffered >= this.#highWaterMark && !this.#pausedByUs) {
        this.#pausedByUs = true;
        stream.pause();
      }
      this.#wake();
    });
    stream.on('end', () => {
      this.#ended = true;
      this.#wake();
    });
    stream.on('error', (error: unknown) => {
      this.#error ??= this.#mapError(error);
      this.#wake();
    });
    stream.on('close', () => {
      if (!this.#ended) this.#error ??= new ConnectionClosedError('The connection is closed.');
      this.#wake();
    });
  }

  /** Bytes buffered and not yet read. */
  get buffered(): number {
    return this.#parser.buffered;
  }

  available(): boolean {
    try {
      return this.#parser.available();
    } catch (error) {
      throw this.#fail(error);
    }
  }

  async read(maxBytes = Infinity): Promise<Buffer | null> {
    for (;;) {
      let burst: Buffer | undefined;
      try {
        burst = this.#parser.take(maxBytes);
      } catch (error) {
        throw this.#fail(error);
      }
      if (burst) {
        this.#maybeResume();
        return burst;
      }
      if (this.#error) throw this.#error;
      if (this.#ended) {
        this.droppedAtEnd += this.#parser.discardPartial();
        return null;
      }
      if (this.#parser.buffered >= this.#highWaterMark) {
        throw this.#fail(
          new ClientOverrunError(
            `An instruction larger than ${this.#highWaterMark} bytes was received.`,
            { code: 'GUAC_ERR_INSTRUCTION_TOO_LONG' },
          ),
        );
      }
      await this.#waitForData();
    }
  }

  async readInstruction(): Promise<Instruction | null> {
    const raw = await this.read(1);
    if (raw === null) return null;
    try {
      return decodeInstruction(raw);
    } catch (error) {
      throw this.#fail(error);
    }
  }

  #fail(error: unknown): GuacamoleError {
    this.#error ??= this.#mapError(error);
    return this.#error;
  }

  async #waitForData(): Promise<void> {
    this.#maybeResume();
    this.#onWait?.(true);
    try {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    } finally {
      this.#onWait?.(false);
    }
  }

  #maybeResume(): void {
    if (this.#pausedByUs && this.#parser.buffered < this.#highWaterMark) {
      this.#pausedByUs = false;
      this.#stream.resume();
    }
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}
