/**
 * @module One connection accepted by the fake guacd: it records every instruction received, and lets a
 * test send data (optionally cut into tiny pieces), wait for instructions, and close or reset.
 */
import type { Socket } from 'node:net';
import {
  ByteParser,
  CLIENT_LIMITS,
  decodeInstruction,
  encodeInstruction,
  type Instruction,
} from '../../src/protocol/index.js';
import { writeAndWait, writeSplit } from './split-writes.js';

/** What the client sent during the handshake (guacd's handshake handlers). */
export interface HandshakeRecord {
  /** The `select` argument: a protocol name, or a `$`-prefixed connection ID to join. */
  readonly selected: string;
  /** The arguments of `size`, `audio`, `video`, `image`, `timezone` and `name`, by opcode. */
  readonly instructions: ReadonlyMap<string, readonly string[]>;
  /** The `connect` values by the names the fake announced in `args` (the version slot included). */
  readonly parameters: ReadonlyMap<string, string>;
  /** The raw `connect` arguments, in order. */
  readonly connectArgs: readonly string[];
}

/** Options fixed by the server for each connection. */
export interface ConnectionSetup {
  /** The connection's position among all accepted connections, from 0. */
  readonly index: number;
  /** Whether the transport is TLS (a TLS socket cannot send a TCP reset). */
  readonly tls: boolean;
  /** Cuts outgoing data when set. */
  readonly split?: { readonly random: () => number; readonly maxPiece: number } | undefined;
}

/** One accepted connection, as seen from guacd's side. */
export class FakeGuacdConnection {
  /** The connection's position among all accepted connections, from 0. */
  readonly index: number;
  /** Every instruction received, in order, the handshake included. */
  readonly received: Instruction[] = [];
  /** The handshake record, once `connect` arrived. */
  handshake: HandshakeRecord | undefined;
  /** The ID sent in `ready`, once sent. */
  connectionId: string | undefined;
  /** Resolves when the connection has closed, for whatever reason. */
  readonly closed: Promise<void>;
  readonly #socket: Socket;
  readonly #setup: ConnectionSetup;
  readonly #parser = new ByteParser(CLIENT_LIMITS);
  readonly #bytes: Buffer[] = [];
  #listeners: (() => void)[] = [];
  #sendQueue: Promise<void> = Promise.resolve();
  readonly #cursors = new Map<string, number>();
  #lastWrite = 0;
  #isClosed = false;
  #parseError: unknown;

  /**
   * @param socket the accepted (and, for TLS, secured) socket
   * @param setup index, transport and splitting
   */
  constructor(socket: Socket, setup: ConnectionSetup) {
    this.#socket = socket;
    this.#setup = setup;
    this.index = setup.index;
    socket.on('data', (chunk: Buffer) => {
      this.#receive(chunk);
    });
    // Client resets are expected in tests; they only end the connection.
    socket.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      socket.once('close', () => {
        this.#isClosed = true;
        this.#notify();
        resolve();
      });
    });
  }

  /** True until the connection has closed. */
  get isOpen(): boolean {
    return !this.#isClosed;
  }

  /** The parse error that ended the connection, if the client sent malformed data. */
  get parseError(): unknown {
    return this.#parseError;
  }

  /** @returns every byte received, in order */
  receivedBytes(): Buffer {
    return Buffer.concat(this.#bytes);
  }

  /** @returns every byte received, decoded as UTF-8 */
  receivedText(): string {
    return this.receivedBytes().toString('utf8');
  }

  /** Milliseconds since the epoch of the last write, for keep-alive decisions. */
  get lastWrite(): number {
    return this.#lastWrite;
  }

  /**
   * Sends raw protocol text or bytes, after everything sent before; cut into pieces when splitting is on.
   * @param data the data, usually whole instructions (but anything, for malformed-data tests)
   * @returns resolves when the last piece was handed to the kernel; rejects if the connection is gone
   */
  async send(data: string | Uint8Array): Promise<void> {
    const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
    const split = this.#setup.split;
    const queued = this.#sendQueue.then(async () => {
      this.#lastWrite = Date.now();
      if (split === undefined) await writeAndWait(this.#socket, bytes);
      else await writeSplit(this.#socket, bytes, split.random, split.maxPiece);
    });
    this.#sendQueue = queued.catch(() => undefined);
    await queued;
  }

  /**
   * Encodes and sends one instruction.
   * @param opcode the opcode
   * @param args the arguments
   */
  async sendInstruction(opcode: string, ...args: readonly string[]): Promise<void> {
    await this.send(encodeInstruction(opcode, ...args));
  }

  /**
   * Records the handshake and wakes whoever waits for it; FakeGuacd calls this when `connect` arrived.
   * @param record what the client sent during the handshake
   */
  recordHandshake(record: HandshakeRecord): void {
    this.handshake = record;
    this.#notify();
  }

  /**
   * Resolves with the handshake record once FakeGuacd has processed `connect`. Prefer this to
   * `waitFor('connect')` followed by reading `handshake`: the two wake-ups race.
   * @returns the record
   * @throws {Error} when the connection closes first
   */
  async waitForHandshake(): Promise<HandshakeRecord> {
    return await this.#until(() => this.handshake, 'the handshake');
  }

  /**
   * Resolves with the next instruction with this opcode. Each opcode has its own cursor that moves past
   * each match, so successive calls for one opcode return successive matches; instructions received
   * before the call count.
   * @param opcode the opcode to wait for
   * @returns the instruction
   * @throws {Error} when the connection closes first
   */
  async waitFor(opcode: string): Promise<Instruction> {
    return await this.#until(() => {
      const from = this.#cursors.get(opcode) ?? 0;
      const index = this.received.findIndex((i, n) => n >= from && i.opcode === opcode);
      if (index < 0) return undefined;
      this.#cursors.set(opcode, index + 1);
      return this.received[index];
    }, `"${opcode}"`);
  }

  /**
   * Resolves with the instruction at `position` (0 = first received), waiting for it if needed.
   * @param position the position
   * @returns the instruction, or null when the connection closes first
   */
  async instructionAt(position: number): Promise<Instruction | null> {
    try {
      return await this.#until(() => this.received[position], `instruction #${position}`);
    } catch {
      return null;
    }
  }

  /** Ends the connection gracefully (FIN) after everything queued was sent; the client reads EOF. */
  async close(): Promise<void> {
    await this.#sendQueue;
    this.#socket.end();
    await this.closed;
  }

  /** Drops the connection abruptly: a TCP reset (ECONNRESET at the client); plain destroy over TLS. */
  reset(): void {
    if (this.#setup.tls || this.#socket.destroyed) this.#socket.destroy();
    else this.#socket.resetAndDestroy();
  }

  /** Destroys the connection at once without a reset (used by the server's close). */
  destroy(): void {
    this.#socket.destroy();
  }

  #receive(chunk: Buffer): void {
    this.#bytes.push(chunk);
    this.#parser.push(chunk);
    try {
      for (let raw = this.#parser.takeOne(); raw; raw = this.#parser.takeOne()) {
        this.received.push(decodeInstruction(raw));
      }
    } catch (error) {
      // guacd closes the connection on a protocol violation.
      this.#parseError = error;
      this.#socket.destroy();
    }
    this.#notify();
  }

  async #until<T>(check: () => T | undefined, what: string): Promise<T> {
    for (;;) {
      const value = check();
      if (value !== undefined) return value;
      if (this.#isClosed) {
        throw new Error(`Connection ${this.index} closed while waiting for ${what}.`);
      }
      await new Promise<void>((resolve) => this.#listeners.push(resolve));
    }
  }

  #notify(): void {
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }
}
