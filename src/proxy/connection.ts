/**
 * @module ProxyConnection: one running connection (guacd's client process): the plugin's session, its joined
 * users, broadcast output, and a single, idempotent end on every path.
 */
import {
  GuacamoleError,
  GuacamoleStatus,
  ServerError,
  encodeInstruction,
} from '../protocol/index.js';
import type {
  ConnectionContext,
  ProtocolPlugin,
  ProtocolSession,
  ProxyLogLevel,
  ProxyLogger,
} from './plugin.js';
import type { ProxyUserImpl } from './user.js';

/** guacd's prefix of connection IDs (GUAC_CLIENT_ID_PREFIX). */
export const CONNECTION_ID_PREFIX = '$';

/** A running connection of one plugin. */
export class ProxyConnection implements ConnectionContext {
  readonly connectionId: string;
  readonly owner: ProxyUserImpl;
  readonly plugin: ProtocolPlugin;
  readonly #users = new Set<ProxyUserImpl>();
  readonly #abort = new AbortController();
  readonly #logger: ProxyLogger;
  readonly #onEnd: (connection: ProxyConnection) => void;
  #session: ProtocolSession | undefined;
  #ended = false;

  /**
   * @param connectionId the ID already sent in `ready`
   * @param plugin the protocol
   * @param owner the user whose handshake creates the connection
   * @param logger the proxy's logger
   * @param onEnd called once when the connection has ended
   */
  constructor(
    connectionId: string,
    plugin: ProtocolPlugin,
    owner: ProxyUserImpl,
    logger: ProxyLogger,
    onEnd: (connection: ProxyConnection) => void,
  ) {
    this.connectionId = connectionId;
    this.plugin = plugin;
    this.owner = owner;
    this.#logger = logger;
    this.#onEnd = onEnd;
    this.#users.add(owner);
  }

  get users(): readonly ProxyUserImpl[] {
    return [...this.#users];
  }

  get signal(): AbortSignal {
    return this.#abort.signal;
  }

  /** True once the connection has ended. */
  get ended(): boolean {
    return this.#ended;
  }

  /** Calls the plugin; once it resolves, every user present (owner first) joins the session. */
  async start(): Promise<void> {
    let session: ProtocolSession;
    try {
      session = await this.plugin.connect(this);
    } catch (error) {
      this.abort(
        error instanceof GuacamoleError
          ? error
          : new ServerError(`Internal error in protocol "${this.plugin.name}".`, { cause: error }),
      );
      return;
    }
    if (this.#ended) {
      closeQuietly(session, this.#logger);
      return;
    }
    this.#session = session;
    for (const user of this.#users) this.#join(user);
  }

  /**
   * Adds a joining user; it joins the session now, or when `connect` resolves.
   * @param user the user
   */
  addUser(user: ProxyUserImpl): void {
    if (this.#ended) {
      user.abort('Connection closed.', GuacamoleStatus.RESOURCE_CLOSED);
      return;
    }
    this.#users.add(user);
    if (this.#session !== undefined) this.#join(user);
  }

  /**
   * Removes a user that left; the connection ends with its last user.
   * @param user the user
   */
  removeUser(user: ProxyUserImpl): void {
    if (!this.#users.delete(user) || this.#ended) return;
    try {
      this.#session?.leave?.(user);
    } catch (error) {
      this.log('warning', `Protocol "${this.plugin.name}" failed on leave: ${String(error)}`);
    }
    if (this.#users.size === 0) this.#finish();
  }

  broadcast(opcode: string, ...args: readonly string[]): void {
    const text = encodeInstruction(opcode, ...args);
    for (const user of this.#users) user.sendRaw(text);
  }

  sync(timestamp = Date.now()): void {
    this.broadcast('sync', String(timestamp));
  }

  abort(error: GuacamoleError): void {
    if (this.#ended) return;
    this.log('error', `Connection "${this.connectionId}" failed: ${error.message}`);
    const users = this.users;
    this.#finish();
    for (const user of users) user.abort(error.message, error.status);
  }

  end(): void {
    if (this.#ended) return;
    const users = this.users;
    this.#finish();
    for (const user of users) user.stop();
  }

  log(level: ProxyLogLevel, message: string): void {
    this.#logger(level, message);
  }

  /** Joins a user to the session; a plugin that throws drops that user (guacd: "could NOT join"). */
  #join(user: ProxyUserImpl): void {
    try {
      this.#session?.join?.(user);
    } catch (error) {
      this.log(
        'error',
        `User "${user.id}" could NOT join "${this.connectionId}": ${String(error)}`,
      );
      const failure = error instanceof GuacamoleError ? error : new ServerError('Unable to join.');
      user.abort(failure.message, failure.status);
    }
  }

  #finish(): void {
    this.#ended = true;
    this.#abort.abort();
    const session = this.#session;
    this.#session = undefined;
    if (session !== undefined) closeQuietly(session, this.#logger);
    this.#onEnd(this);
  }
}

function closeQuietly(session: ProtocolSession, logger: ProxyLogger): void {
  try {
    session.close();
  } catch (error) {
    logger('warning', `A protocol session failed to close: ${String(error)}`);
  }
}
