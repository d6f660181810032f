/**
 * @module InstructionWriter (GuacamoleWriter): writes instructions or raw protocol data to a byte stream and
 * honours backpressure: a write resolves only once the stream can take more.
 */
import type { Writable } from 'node:stream';
import { ConnectionClosedError, GuacamoleError, ServerError } from './errors.js';
import type { Instruction } from './instruction.js';

/** Writes protocol data; the TypeScript face of Java's GuacamoleWriter. */
export interface GuacamoleWriter {
  /**
   * Writes raw protocol data, which must consist of whole instructions once all writes are joined.
   * @param data text or UTF-8 bytes
   */
  write(data: string | Uint8Array): Promise<void>;
  /** @param instruction the instruction to write, in its raw form when it was parsed */
  writeInstruction(instruction: Instruction): Promise<void>;
}

/** Options of {@link InstructionWriter}. */
export interface InstructionWriterOptions {
  /** Turns stream errors into the error the caller reports. Default: keeps GuacamoleErrors. */
  readonly mapError?: (error: unknown) => GuacamoleError;
}

function defaultMapError(error: unknown): GuacamoleError {
  if (error instanceof GuacamoleError) return error;
  return new ServerError(error instanceof Error ? error.message : String(error), { cause: error });
}

/** A GuacamoleWriter over a Node Writable. */
export class InstructionWriter implements GuacamoleWriter {
  readonly #stream: Writable;
  readonly #mapError: (error: unknown) => GuacamoleError;

  /**
   * @param stream the byte stream
   * @param options error mapping
   */
  constructor(stream: Writable, options: InstructionWriterOptions = {}) {
    this.#stream = stream;
    this.#mapError = options.mapError ?? defaultMapError;
  }

  /**
   * @throws {ConnectionClosedError} when the stream is already closed or closes before draining
   */
  async write(data: string | Uint8Array): Promise<void> {
    const stream = this.#stream;
    if (stream.destroyed || stream.writableEnded) {
      throw new ConnectionClosedError('The connection is closed.');
    }
    if (stream.write(data)) return;
    await this.#drain();
  }

  async writeInstruction(instruction: Instruction): Promise<void> {
    await this.write(instruction.toString());
  }

  /** Waits for 'drain'; rejects if the stream errors or closes first. */
  async #drain(): Promise<void> {
    const stream = this.#stream;
    await new Promise<void>((resolve, reject) => {
      const cleanup = (): void => {
        stream.off('drain', onDrain);
        stream.off('error', onError);
        stream.off('close', onClose);
      };
      const onDrain = (): void => {
        cleanup();
        resolve();
      };
      const onError = (error: unknown): void => {
        cleanup();
        reject(this.#mapError(error));
      };
      const onClose = (): void => {
        cleanup();
        reject(new ConnectionClosedError('The connection closed before the data was sent.'));
      };
      stream.on('drain', onDrain);
      stream.on('error', onError);
      stream.on('close', onClose);
    });
  }
}
