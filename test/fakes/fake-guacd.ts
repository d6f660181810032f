/**
 * @module FakeGuacd: a scripted guacd on 127.0.0.1, port 0, speaking the guacd side of the handshake
 * (select → args → size/audio/video/image/timezone/name → connect → ready), then running a test's script.
 * Everything each connection receives is recorded; misbehaviours are selectable per connection. Nothing in
 * here sleeps: every wait is on an event.
 *
 * Like guacd, it hangs up when the first instruction is not a one-argument `select`, lets a `select` of a
 * `$`-ID it issued join (answering `ready` with that same ID), and answers any other `$`-ID with
 * `5.error,19.No such connection.,3.516;` before closing.
 *
 * ```ts
 * const guacd = await FakeGuacd.start({ version: 'VERSION_1_3_0' });
 * // … connect to guacd.port …
 * const conn = await guacd.connection(0);
 * const handshake = await conn.waitForHandshake();
 * await guacd.close();
 * ```
 */
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { FakeGuacdConnection } from './fake-guacd-connection.js';
import { seededRandom, type SplitOptions } from './split-writes.js';

export { FakeGuacdConnection, type HandshakeRecord } from './fake-guacd-connection.js';
export type { SplitOptions } from './split-writes.js';

/** Where a misbehaviour replaces the normal flow: on accept, instead of `args`, or instead of `ready`. */
export type HandshakeStep = 'accept' | 'args' | 'ready';

/**
 * Something a broken or unusual guacd does at one step. After `silent`, `disconnect`, `error` and `send`
 * the fake keeps the connection open (recording what arrives), so tests can check that the client closes it.
 * - `silent`: sends nothing more.
 * - `end`: closes gracefully (the client reads end of stream).
 * - `reset`: drops the connection abruptly (a TCP reset; a plain destroy over TLS).
 * - `disconnect`: sends `10.disconnect;`.
 * - `error`: sends `error,<message>,<code>`; without `code` only the message, without `message` no
 *   arguments at all (to test guacd's defaults).
 * - `send`: sends `data` verbatim: a wrong opcode (`4.sync,1.0;`), `5.ready;`, malformed bytes…
 */
export type Misbehaviour =
  | { readonly at: HandshakeStep; readonly action: 'silent' | 'end' | 'reset' | 'disconnect' }
  | {
      readonly at: HandshakeStep;
      readonly action: 'error';
      readonly message?: string;
      readonly code?: string;
    }
  | { readonly at: HandshakeStep; readonly action: 'send'; readonly data: string | Uint8Array };

/** Options of {@link FakeGuacd.start}; all optional. */
export interface FakeGuacdOptions {
  /** Parameter names sent in `args` after the version, or a function of the `select` argument. */
  readonly args?: readonly string[] | ((selected: string) => readonly string[]);
  /** Sends `3.nop;` after the handshake whenever nothing was sent for this many ms. Default: off. */
  readonly keepAliveMs?: number;
  /** A misbehaviour for every connection, or chosen per connection index. Default: none. */
  readonly misbehave?: Misbehaviour | ((index: number) => Misbehaviour | undefined);
  /** Runs after `ready` was sent; when it throws, the error is recorded and the connection reset. */
  readonly script?: (connection: FakeGuacdConnection) => void | Promise<void>;
  /** Cuts everything sent at arbitrary byte boundaries (seeded, per connection). Default: off. */
  readonly split?: SplitOptions;
  /** Serve TLS with this PEM key and certificate. Default: plain TCP. */
  readonly tls?: { readonly cert: string | Buffer; readonly key: string | Buffer };
  /** The version element of `args`; null sends none, as guacd 1.0.0. Default: `VERSION_1_5_0`. */
  readonly version?: string | null;
}

const DEFAULT_ARGS = ['hostname', 'port', 'password'] as const;

/** The scripted fake guacd server. */
export class FakeGuacd {
  /** Failures inside the fake (script errors, unexpected exceptions); tests may assert it stays empty. */
  readonly errors: unknown[] = [];
  readonly #server: net.Server;
  readonly #options: FakeGuacdOptions;
  readonly #connections: FakeGuacdConnection[] = [];
  readonly #sockets = new Set<net.Socket>();
  readonly #issuedIds = new Set<string>();
  #listeners: (() => void)[] = [];

  private constructor(options: FakeGuacdOptions) {
    this.#options = options;
    const server =
      options.tls === undefined
        ? net.createServer((socket) => {
            this.#accept(socket);
          })
        : tls.createServer({ cert: options.tls.cert, key: options.tls.key }, (socket) => {
            this.#accept(socket);
          });
    // Every raw TCP connection, TLS handshakes in progress included, so close() and idle() see them all.
    server.on('connection', (socket: net.Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => {
        this.#sockets.delete(socket);
        this.#notify();
      });
    });
    server.on('tlsClientError', () => undefined);
    this.#server = server;
  }

  /**
   * Starts a fake guacd on 127.0.0.1 on a free port.
   * @param options versions, args, misbehaviours, splitting, TLS, script
   * @returns the listening fake
   */
  static async start(options: FakeGuacdOptions = {}): Promise<FakeGuacd> {
    const guacd = new FakeGuacd(options);
    guacd.#server.listen(0, '127.0.0.1');
    await once(guacd.#server, 'listening');
    return guacd;
  }

  /** The address the fake listens on. */
  readonly host = '127.0.0.1';

  /** The port the fake listens on. */
  get port(): number {
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('Not listening.');
    return address.port;
  }

  /** Every connection accepted so far (for TLS: every one whose TLS handshake completed). */
  get connections(): readonly FakeGuacdConnection[] {
    return this.#connections;
  }

  /** Raw TCP connections still open, TLS handshakes in progress included. */
  get openSockets(): number {
    return this.#sockets.size;
  }

  /**
   * Waits until the connection with this index has been accepted.
   * @param index 0 for the first connection
   * @returns the connection
   */
  async connection(index = 0): Promise<FakeGuacdConnection> {
    await this.#until(() => this.#connections.length > index);
    return this.#connections[index] as FakeGuacdConnection;
  }

  /** Resolves once no TCP connection is open (to assert that nothing leaked). */
  async idle(): Promise<void> {
    await this.#until(() => this.#sockets.size === 0);
  }

  /** Destroys every connection and stops listening. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    const closed = once(this.#server, 'close');
    this.#server.close();
    await closed;
    await this.idle();
  }

  #accept(socket: net.Socket): void {
    const index = this.#connections.length;
    const split = this.#options.split;
    const connection = new FakeGuacdConnection(socket, {
      index,
      tls: this.#options.tls !== undefined,
      split:
        split === undefined
          ? undefined
          : { random: seededRandom(split.seed + index), maxPiece: split.maxPiece ?? 7 },
    });
    this.#connections.push(connection);
    this.#notify();
    this.#serve(connection).catch((error: unknown) => {
      // Failures caused by the client going away are normal; anything else is the fake's own bug.
      if (connection.isOpen) {
        this.errors.push(error);
        connection.reset();
      }
    });
  }

  async #serve(conn: FakeGuacdConnection): Promise<void> {
    const misbehave = this.#options.misbehave;
    const bad = typeof misbehave === 'function' ? misbehave(conn.index) : misbehave;
    if (bad?.at === 'accept') {
      await this.#misbehave(conn, bad);
      return;
    }
    const select = await conn.instructionAt(0);
    // guacd hangs up without a word when the first instruction is not a one-argument `select`.
    if (select?.opcode !== 'select' || select.args.length !== 1) {
      await conn.close();
      return;
    }
    const selected = select.args[0] as string;
    if (bad?.at === 'args') {
      await this.#misbehave(conn, bad);
      return;
    }
    const joining = selected.startsWith('$');
    if (joining && !this.#issuedIds.has(selected)) {
      await conn.sendInstruction('error', 'No such connection.', '516');
      await conn.close();
      return;
    }
    if (!(await this.#negotiate(conn, selected))) return;
    if (bad?.at === 'ready') {
      await this.#misbehave(conn, bad);
      return;
    }
    const id = joining ? selected : `$${randomUUID()}`;
    this.#issuedIds.add(id);
    conn.connectionId = id;
    await conn.sendInstruction('ready', id);
    this.#keepAlive(conn);
    await this.#options.script?.(conn);
  }

  /** Sends `args`, then records instructions until `connect`; false when the client went away. */
  async #negotiate(conn: FakeGuacdConnection, selected: string): Promise<boolean> {
    const names = this.#argNames(selected);
    const version = this.#options.version === undefined ? 'VERSION_1_5_0' : this.#options.version;
    const announced = version === null ? names : [version, ...names];
    await conn.sendInstruction('args', ...announced);
    const instructions = new Map<string, readonly string[]>();
    for (let position = 1; ; position++) {
      const next = await conn.instructionAt(position);
      if (next === null) return false;
      if (next.opcode === 'connect') {
        const parameters = new Map(announced.map((name, i) => [name, next.args[i] ?? '']));
        conn.recordHandshake({ selected, instructions, parameters, connectArgs: next.args });
        return true;
      }
      instructions.set(next.opcode, next.args);
    }
  }

  #argNames(selected: string): readonly string[] {
    const args = this.#options.args ?? DEFAULT_ARGS;
    return typeof args === 'function' ? args(selected) : args;
  }

  async #misbehave(conn: FakeGuacdConnection, bad: Misbehaviour): Promise<void> {
    switch (bad.action) {
      case 'silent':
        break;
      case 'end':
        await conn.close();
        break;
      case 'reset':
        conn.reset();
        break;
      case 'disconnect':
        await conn.sendInstruction('disconnect');
        break;
      case 'error': {
        const { message, code } = bad;
        const args = message === undefined ? [] : code === undefined ? [message] : [message, code];
        await conn.sendInstruction('error', ...args);
        break;
      }
      case 'send':
        await conn.send(bad.data);
        break;
    }
  }

  /** guacd's keep-alive: `nop` whenever nothing was written for a while (GUAC_SOCKET_KEEP_ALIVE_INTERVAL). */
  #keepAlive(conn: FakeGuacdConnection): void {
    const interval = this.#options.keepAliveMs;
    if (interval === undefined) return;
    const timer = setInterval(() => {
      if (Date.now() - conn.lastWrite >= interval) conn.send('3.nop;').catch(() => undefined);
    }, interval);
    timer.unref();
    void conn.closed.then(() => {
      clearInterval(timer);
    });
  }

  async #until(check: () => boolean): Promise<void> {
    while (!check()) await new Promise<void>((resolve) => this.#listeners.push(resolve));
  }

  #notify(): void {
    const listeners = this.#listeners;
    this.#listeners = [];
    for (const listener of listeners) listener();
  }
}
