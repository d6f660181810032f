/**
 * @module StallingGuacd: a minimal guacd that completes the handshake and then counts and hashes what it
 * receives, and whose reading a test can pause and resume: a slow guacd, which the scripted FakeGuacd cannot
 * play (it always reads). While paused, the kernel's buffers fill and the tunnel's writes to guacd block.
 */
import { createHash, type Hash } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import { ByteParser, decodeInstruction, encodeInstruction } from '../../src/protocol/index.js';

/** One connection, after the handshake. */
export class StallingConnection {
  /** Bytes received after `connect`. */
  received = 0;
  readonly closed: Promise<void>;
  readonly #socket: net.Socket;
  readonly #hash: Hash = createHash('sha256');
  #waiters: (() => void)[] = [];

  constructor(socket: net.Socket, leftover: Buffer) {
    this.#socket = socket;
    this.closed = once(socket, 'close').then(() => undefined);
    this.#take(leftover);
    socket.on('data', (chunk: Buffer) => {
      this.#take(chunk);
    });
  }

  /** Stops reading: guacd is too busy to take more. */
  pause(): void {
    this.#socket.pause();
  }

  /** Reads again. */
  resume(): void {
    this.#socket.resume();
  }

  /** @returns the SHA-256 (hex) of everything received after the handshake so far */
  digest(): string {
    return this.#hash.copy().digest('hex');
  }

  /**
   * Waits until at least `bytes` arrived after the handshake.
   * @param bytes the count
   */
  async waitForBytes(bytes: number): Promise<void> {
    while (this.received < bytes) {
      await Promise.race([
        new Promise<void>((resolve) => this.#waiters.push(resolve)),
        this.closed.then(() => {
          throw new Error(`Closed after ${this.received} of ${bytes} bytes.`);
        }),
      ]);
    }
  }

  #take(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.received += chunk.length;
    this.#hash.update(chunk);
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** The server. */
export class StallingGuacd {
  readonly host = '127.0.0.1';
  readonly connections: StallingConnection[] = [];
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();
  #waiters: (() => void)[] = [];

  private constructor() {
    this.#server = net.createServer((socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => this.#sockets.delete(socket));
      socket.on('error', () => undefined);
      this.#handshake(socket);
    });
  }

  /** @returns a listening server on 127.0.0.1, port 0 */
  static async start(): Promise<StallingGuacd> {
    const guacd = new StallingGuacd();
    guacd.#server.listen(0, '127.0.0.1');
    await once(guacd.#server, 'listening');
    return guacd;
  }

  get port(): number {
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('Not listening.');
    return address.port;
  }

  /**
   * @param index 0 for the first connection
   * @returns that connection once its handshake completed
   */
  async connection(index = 0): Promise<StallingConnection> {
    while (this.connections.length <= index) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
    return this.connections[index] as StallingConnection;
  }

  /** Destroys every connection and stops listening. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    const closed = once(this.#server, 'close');
    this.#server.close();
    await closed;
  }

  /** select → args (version 1.5.0, one parameter) → … → connect → ready; then the connection counts. */
  #handshake(socket: net.Socket): void {
    const parser = new ByteParser();
    let consumed = 0;
    const chunks: Buffer[] = [];
    const onData = (chunk: Buffer): void => {
      chunks.push(chunk);
      parser.push(chunk);
      for (let raw = parser.takeOne(); raw; raw = parser.takeOne()) {
        consumed += raw.length;
        const { opcode } = decodeInstruction(raw);
        if (opcode === 'select')
          socket.write(encodeInstruction('args', 'VERSION_1_5_0', 'hostname'));
        if (opcode !== 'connect') continue;
        socket.off('data', onData);
        socket.write(encodeInstruction('ready', '$stalling'));
        const connection = new StallingConnection(socket, Buffer.concat(chunks).subarray(consumed));
        this.connections.push(connection);
        const waiters = this.#waiters;
        this.#waiters = [];
        for (const resolve of waiters) resolve();
        return;
      }
    };
    socket.on('data', onData);
  }
}
