/**
 * @module GuacamoleSession (webapp `GuacamoleSession`): one login — the authenticated user, the decorated
 * user contexts by data source, and the open tunnels by UUID — plus its last-access time.
 */
import {
  ResourceNotFoundError,
  SILENT_EXTENSION_LOGGER,
  UserSessionInvalidatedEvent,
  type AuthenticatedUser,
  type ExtensionLogger,
} from '../extensions/api.js';
import type { DecoratedUserContext } from './decorated-user-context.js';
import { describeError, type ListenerService } from './listener-service.js';

/** What a session needs of a tunnel; the tunnel layer's `Tunnel` satisfies it. */
export interface SessionTunnel {
  /** The tunnel's UUID. */
  readonly uuid: string;
  /** Closes the tunnel; idempotent. */
  close(): void;
  /**
   * @param listener called once when the tunnel closes
   * @returns a function that removes the listener
   */
  onClose(listener: () => void): () => void;
}

/** What a {@link GuacamoleSession} is built from. */
export interface GuacamoleSessionInit {
  /** The user. */
  readonly authenticatedUser: AuthenticatedUser;
  /** Milliseconds since the epoch; injected so tests control expiry. Default: `Date.now`. */
  readonly clock?: () => number;
  /** Receives UserSessionInvalidatedEvent. */
  readonly listeners?: ListenerService;
  /** Where invalidation problems are logged. Default: silent. */
  readonly logger?: ExtensionLogger;
  /** The decorated contexts, in provider order. */
  readonly userContexts: readonly DecoratedUserContext[];
}

/** One logged-in session. Reading the user, contexts or tunnels counts as activity, as in Java. */
export class GuacamoleSession {
  readonly #clock: () => number;
  readonly #listeners: ListenerService | undefined;
  readonly #logger: ExtensionLogger;
  readonly #tunnels = new Map<string, { tunnel: SessionTunnel; dispose: () => void }>();
  #authenticatedUser: AuthenticatedUser;
  #userContexts: readonly DecoratedUserContext[];
  #lastAccessedTime: number;
  #invalidated: Promise<void> | undefined;

  /** @param init user, contexts, listeners, clock and logger */
  constructor(init: GuacamoleSessionInit) {
    this.#clock = init.clock ?? Date.now;
    this.#listeners = init.listeners;
    this.#logger = init.logger ?? SILENT_EXTENSION_LOGGER;
    this.#authenticatedUser = init.authenticatedUser;
    this.#userContexts = Object.freeze([...init.userContexts]);
    this.#lastAccessedTime = this.#clock();
  }

  /** When the session was last used, in ms since the epoch. */
  get lastAccessedTime(): number {
    return this.#lastAccessedTime;
  }

  /** Marks the session as used now. */
  access(): void {
    this.#lastAccessedTime = this.#clock();
  }

  /** @returns the user (counts as activity) */
  getAuthenticatedUser(): AuthenticatedUser {
    this.access();
    return this.#authenticatedUser;
  }

  /** @param authenticatedUser the user after re-authentication */
  setAuthenticatedUser(authenticatedUser: AuthenticatedUser): void {
    this.access();
    this.#authenticatedUser = authenticatedUser;
  }

  /** @returns the decorated contexts in provider order (counts as activity) */
  getUserContexts(): readonly DecoratedUserContext[] {
    this.access();
    return this.#userContexts;
  }

  /** @param userContexts the contexts after re-authentication */
  setUserContexts(userContexts: readonly DecoratedUserContext[]): void {
    this.access();
    this.#userContexts = Object.freeze([...userContexts]);
  }

  /**
   * @param dataSource a provider identifier
   * @returns that provider's (decorated) context
   * @throws {ResourceNotFoundError} if the session has none from that provider
   */
  getUserContext(dataSource: string): DecoratedUserContext {
    const found = this.getUserContexts().find(
      (context) => context.getAuthenticationProvider().getIdentifier() === dataSource,
    );
    if (found !== undefined) return found;
    throw new ResourceNotFoundError(
      `Session not associated with authentication provider "${dataSource}".`,
    );
  }

  /** @returns the identifiers of the providers with a context here (`availableDataSources`) */
  getDataSources(): string[] {
    return this.#userContexts.map((context) =>
      context.undecorated.getAuthenticationProvider().getIdentifier(),
    );
  }

  /** @returns false once any context reports itself invalid */
  isValid(): boolean {
    return this.#userContexts.every((context) => context.isValid());
  }

  /** @returns whether any tunnel is open (such sessions never time out) */
  hasTunnels(): boolean {
    return this.#tunnels.size > 0;
  }

  /** @returns the open tunnels by UUID (counts as activity) */
  getTunnels(): ReadonlyMap<string, SessionTunnel> {
    this.access();
    return new Map([...this.#tunnels].map(([uuid, entry]) => [uuid, entry.tunnel]));
  }

  /**
   * Registers an open tunnel; it is removed again when it closes.
   * @param tunnel the tunnel
   */
  addTunnel(tunnel: SessionTunnel): void {
    this.access();
    this.#tunnels.get(tunnel.uuid)?.dispose();
    const dispose = tunnel.onClose(() => {
      if (this.#tunnels.get(tunnel.uuid)?.tunnel === tunnel) this.#tunnels.delete(tunnel.uuid);
    });
    this.#tunnels.set(tunnel.uuid, { tunnel, dispose });
  }

  /**
   * Forgets a tunnel without closing it.
   * @param uuid the tunnel's UUID
   * @returns whether it was registered
   */
  removeTunnel(uuid: string): boolean {
    this.access();
    const entry = this.#tunnels.get(uuid);
    if (entry === undefined) return false;
    entry.dispose();
    this.#tunnels.delete(uuid);
    return true;
  }

  /**
   * Ends the session: closes its tunnels, invalidates its contexts and user, and fires
   * UserSessionInvalidatedEvent. Errors are logged, never thrown; calling it again has no effect.
   * @returns when everything has been invalidated
   */
  async invalidate(): Promise<void> {
    this.#invalidated ??= this.#invalidateOnce();
    await this.#invalidated;
  }

  async #invalidateOnce(): Promise<void> {
    for (const { tunnel } of [...this.#tunnels.values()]) {
      try {
        tunnel.close();
      } catch (error) {
        this.#logger.debug(`Unable to close tunnel: ${describeError(error)}`);
      }
    }
    for (const context of this.#userContexts) {
      try {
        await context.invalidate();
      } catch (error) {
        this.#logger.warn(`Unable to invalidate a user context: ${describeError(error)}`);
      }
    }
    try {
      await this.#authenticatedUser.invalidate();
    } catch (error) {
      this.#logger.warn(`Unable to invalidate the authenticated user: ${describeError(error)}`);
    }
    await this.#listeners?.notify(new UserSessionInvalidatedEvent(this.#authenticatedUser));
  }
}
