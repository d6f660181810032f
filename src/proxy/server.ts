/**
 * @module ProxyServer: the daemon side of the Guacamole protocol, like guacd 1.6. It serves any Duplex (a TCP
 * or TLS socket, or one end of an in-memory pair): select → args → handshake → ready, then runs the user
 * against a registered protocol plugin, or joins it to a running connection by `$id`.
 */
import { randomUUID } from 'node:crypto';
import type { Duplex } from 'node:stream';
import {
  ClientError,
  GuacamoleError,
  ProtocolVersion,
  ResourceNotFoundError,
  ServerError,
  UnsupportedError,
} from '../protocol/index.js';
import { CONNECTION_ID_PREFIX, ProxyConnection } from './connection.js';
import { negotiatedVersion, quote, readConnect, readSelect } from './handshake.js';
import type { ProtocolPlugin, ProxyLogger } from './plugin.js';
import { UserChannel } from './user-channel.js';
import { ProxyUserImpl } from './user.js';

/** The proxy's timeouts, in ms. */
export interface ProxyTimeouts {
  /** Longest wait for `select` (GUACD_TIMEOUT). */
  readonly selectMs: number;
  /** Longest silence of a user, in the handshake and after it (the user timeout). */
  readonly userMs: number;
  /** Output silence after which `nop` is sent (GUAC_SOCKET_KEEP_ALIVE_INTERVAL). */
  readonly keepAliveMs: number;
  /** Longest wait for a closing user's queued output to drain. */
  readonly closeGraceMs: number;
}

/** guacd's timeouts: 15 s for `select` and for users, `nop` after 5 s of silence. */
export const DEFAULT_PROXY_TIMEOUTS: ProxyTimeouts = Object.freeze({
  selectMs: 15_000,
  userMs: 15_000,
  keepAliveMs: 5_000,
  closeGraceMs: 5_000,
});

/** Options of {@link ProxyServer}. */
export interface ProxyServerOptions {
  /** Plugins registered at once. Default: none. */
  readonly plugins?: readonly ProtocolPlugin[];
  /** Overrides of {@link DEFAULT_PROXY_TIMEOUTS}. */
  readonly timeouts?: Partial<ProxyTimeouts>;
  /** Receives log lines. Default: silent. */
  readonly logger?: ProxyLogger;
  /** Unsent output bytes after which a user that does not read is dropped. Default: 16 MiB. */
  readonly maxBufferedBytes?: number;
}

/** The version advertised in `args`, as guacd 1.5+ does. */
export const ADVERTISED_VERSION = ProtocolVersion.LATEST.toString();

const SILENT: ProxyLogger = () => undefined;

/** A guacd-compatible proxy over any byte streams. */
export class ProxyServer {
  readonly #plugins = new Map<string, ProtocolPlugin>();
  readonly #connections = new Map<string, ProxyConnection>();
  readonly #channels = new Set<UserChannel>();
  readonly #timeouts: ProxyTimeouts;
  readonly #log: ProxyLogger;
  readonly #maxBufferedBytes: number;
  #idleWaiters: (() => void)[] = [];
  #closed = false;

  /** @param options plugins, timeouts, logger and output limit */
  constructor(options: ProxyServerOptions = {}) {
    this.#timeouts = { ...DEFAULT_PROXY_TIMEOUTS, ...options.timeouts };
    this.#log = options.logger ?? SILENT;
    this.#maxBufferedBytes = options.maxBufferedBytes ?? 16 << 20;
    for (const plugin of options.plugins ?? []) this.register(plugin);
  }

  /**
   * Registers a protocol plugin under its name.
   * @param plugin the plugin
   * @throws {TypeError} when the name is empty, starts with `$`, or is taken
   */
  register(plugin: ProtocolPlugin): void {
    const { name } = plugin;
    if (name === '' || name.startsWith(CONNECTION_ID_PREFIX) || this.#plugins.has(name)) {
      throw new TypeError(`Cannot register a protocol named ${quote(name)}.`);
    }
    this.#plugins.set(name, plugin);
  }

  /** The registered protocol names. */
  get protocols(): string[] {
    return [...this.#plugins.keys()];
  }

  /** Running connections. */
  get connectionCount(): number {
    return this.#connections.size;
  }

  /** Open user streams, in the handshake or joined. */
  get userCount(): number {
    return this.#channels.size;
  }

  /**
   * @param connectionId a `$`-prefixed ID from `ready`
   * @returns true while that connection runs
   */
  hasConnection(connectionId: string): boolean {
    return this.#connections.has(connectionId);
  }

  /**
   * Serves one user's stream until it ends; never rejects.
   * @param duplex a connected byte stream; the server owns it from now on
   * @returns resolves once the user is gone and its stream has closed
   */
  async handle(duplex: Duplex): Promise<void> {
    if (this.#closed) {
      duplex.destroy();
      return;
    }
    const channel = new UserChannel(duplex, {
      keepAliveMs: this.#timeouts.keepAliveMs,
      maxBufferedBytes: this.#maxBufferedBytes,
      closeGraceMs: this.#timeouts.closeGraceMs,
    });
    this.#channels.add(channel);
    channel.onClose(() => {
      this.#channels.delete(channel);
      if (this.#channels.size === 0) for (const wake of this.#idleWaiters.splice(0)) wake();
    });
    await this.#serve(channel);
    await new Promise<void>((resolve) => {
      channel.onClose(resolve);
    });
  }

  /**
   * Ends every connection (users get `disconnect`) and refuses new streams.
   * @returns resolves once every user stream has closed
   */
  async close(): Promise<void> {
    this.#closed = true;
    for (const connection of [...this.#connections.values()]) connection.end();
    for (const channel of this.#channels) channel.close();
    if (this.#channels.size === 0) return;
    await new Promise<void>((resolve) => this.#idleWaiters.push(resolve));
  }

  async #serve(channel: UserChannel): Promise<void> {
    const { selectMs, userMs } = this.#timeouts;
    let user: ProxyUserImpl | undefined;
    let connection: ProxyConnection | undefined;
    try {
      const selected = await readSelect(channel, selectMs);
      if (selected === undefined) return;
      const joining = this.#lookupConnection(selected);
      const plugin = joining?.plugin ?? this.#lookupPlugin(selected);
      channel.send('args', ADVERTISED_VERSION, ...plugin.args);
      channel.startKeepAlive();
      const request = await readConnect(channel, userMs, this.#log);
      if (request === undefined) return;
      if (joining?.ended === true) throw new ResourceNotFoundError('No such connection.');
      const connectionId = joining?.connectionId ?? `${CONNECTION_ID_PREFIX}${randomUUID()}`;
      channel.send('ready', connectionId);
      const { info, values } = request;
      // guacd checks the count after `ready`, in the plugin's join handler.
      if (values.length !== plugin.args.length + 1) {
        const message =
          `Incorrect number of connection parameters provided: ` +
          `expected ${plugin.args.length}, got ${values.length - 1}.`;
        this.#log('warning', message);
        throw new ClientError(message);
      }
      user = new ProxyUserImpl({
        id: `@${randomUUID()}`,
        owner: joining === undefined,
        info,
        protocolVersion: negotiatedVersion(values[0]),
        parameters: new Map(plugin.args.map((name, i) => [name, values[i + 1] ?? ''])),
        channel,
        log: this.#log,
      });
      if (joining === undefined) {
        connection = new ProxyConnection(connectionId, plugin, user, this.#log, (ended) => {
          this.#connections.delete(ended.connectionId);
        });
        this.#connections.set(connectionId, connection);
        this.#log('info', `Connection "${connectionId}" created (protocol ${quote(plugin.name)}).`);
        void connection.start();
      } else {
        connection = joining;
        joining.addUser(user);
      }
      await user.run(userMs);
    } catch (error) {
      const failure =
        error instanceof GuacamoleError
          ? error
          : new ServerError('Internal error in the proxy.', { cause: error });
      this.#log('info', `Handshake failed: ${failure.message}`);
      channel.send('error', failure.message, String(failure.status.guac));
    } finally {
      if (user !== undefined) connection?.removeUser(user);
      channel.close();
    }
  }

  /** `$id` → the running connection; unknown IDs get guacd's "No such connection." (516). */
  #lookupConnection(selected: string): ProxyConnection | undefined {
    if (!selected.startsWith(CONNECTION_ID_PREFIX)) return undefined;
    const connection = this.#connections.get(selected);
    if (connection === undefined) {
      this.#log('info', `Connection ${quote(selected)} does not exist.`);
      throw new ResourceNotFoundError('No such connection.');
    }
    this.#log('info', `Joining existing connection ${quote(selected)}.`);
    return connection;
  }

  /** A protocol name → its plugin; guacd would log and close, this says why (UNSUPPORTED, 256). */
  #lookupPlugin(selected: string): ProtocolPlugin {
    const plugin = this.#plugins.get(selected);
    if (plugin === undefined) {
      this.#log('error', `Protocol ${quote(selected)} is not supported.`);
      throw new UnsupportedError(`Protocol ${quote(selected)} is not supported.`);
    }
    this.#log('info', `Creating new client for protocol ${quote(selected)}.`);
    return plugin;
  }
}
