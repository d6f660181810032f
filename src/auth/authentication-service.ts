/**
 * @module AuthenticationService (webapp `rest/auth/AuthenticationService`): combines every provider as spec
 * §3.9 prescribes — credential updates, first-match authentication with Insufficient-over-Invalid
 * precedence, contexts from every provider, decoration by every other provider, re-authentication
 * with a token, and the request/success/failure events with their vetoes.
 */
import {
  AuthenticationFailureEvent,
  AuthenticationRequestReceivedEvent,
  AuthenticationSuccessEvent,
  CredentialsError,
  InsufficientCredentialsError,
  InvalidCredentialsError,
  SecurityError,
  SILENT_EXTENSION_LOGGER,
  UnauthorizedError,
  type AuthenticatedUser,
  type AuthenticationProvider,
  type Credentials,
  type ExtensionLogger,
  type Listener,
} from '../extensions/api.js';
import { AuthenticationProcessError } from './authentication-process-error.js';
import { DecoratedUserContext } from './decorated-user-context.js';
import { GuacamoleSession } from './guacamole-session.js';
import { describeError, ListenerService } from './listener-service.js';
import { AuthenticationProviderFacade, type ProviderLike } from './provider-facade.js';
import type { SessionRegistry } from './session-registry.js';

/** Options of {@link AuthenticationService}. */
export interface AuthenticationServiceOptions {
  /** Event listeners, in order. Default: none. */
  readonly listeners?: ListenerService | readonly Listener[];
  /** Where problems are logged. Default: silent. */
  readonly logger?: ExtensionLogger;
  /**
   * Providers in authentication order (the file provider last). Plain ones are wrapped in facades;
   * the loader's inert placeholders become inert facades.
   */
  readonly providers: readonly ProviderLike[];
  /** The session store. */
  readonly sessions: SessionRegistry;
  /** `skip-if-unavailable`, for providers this service wraps itself. Default: none. */
  readonly skipIfUnavailable?: ReadonlySet<string>;
}

/** The outcome of a successful {@link AuthenticationService.authenticate} (the REST success body). */
export interface AuthenticationResult {
  /** The user. */
  readonly authenticatedUser: AuthenticatedUser;
  /** Identifiers of the providers with a context in the session, in provider order. */
  readonly availableDataSources: readonly string[];
  /** The identifier of the provider that authenticated the user. */
  readonly dataSource: string;
  /** True when an existing session was refreshed (its token is returned unchanged). */
  readonly existingSession: boolean;
  /** The session. */
  readonly session: GuacamoleSession;
  /** The session's auth token. */
  readonly token: string;
}

/** Logs users in and keeps their sessions. */
export class AuthenticationService {
  /** Every provider's facade, in authentication order. */
  readonly providers: readonly AuthenticationProviderFacade[];
  /** The listeners events go to. */
  readonly listeners: ListenerService;
  /** The session store. */
  readonly sessions: SessionRegistry;
  readonly #logger: ExtensionLogger;
  #shutdown: Promise<void> | undefined;

  /** @param options providers, sessions, listeners, skip list and logger */
  constructor(options: AuthenticationServiceOptions) {
    this.#logger = options.logger ?? SILENT_EXTENSION_LOGGER;
    const facadeOptions = {
      skipIfUnavailable: options.skipIfUnavailable ?? new Set<string>(),
      logger: this.#logger,
    };
    this.providers = Object.freeze(
      options.providers.map((provider) =>
        AuthenticationProviderFacade.wrap(provider, facadeOptions),
      ),
    );
    const listeners = options.listeners ?? [];
    this.listeners =
      listeners instanceof ListenerService
        ? listeners
        : new ListenerService(listeners, this.#logger);
    this.sessions = options.sessions;
  }

  /**
   * Authenticates a login, or refreshes the session named by `token` (spec §3.9).
   * @param credentials the request's credentials
   * @param token an existing session's token (`token` form field), if any
   * @returns the token, session and data sources
   * @throws {InvalidCredentialsError} when no provider recognises the user (or one says so)
   * @throws {InsufficientCredentialsError} when a provider needs more fields
   * @throws {SecurityError} "User re-authentication failed." when the original provider rejects a refresh
   * @throws {GuacamoleError} any provider or listener error that aborts the login
   */
  async authenticate(credentials: Credentials, token?: string): Promise<AuthenticationResult> {
    let current = credentials;
    try {
      for (const provider of this.providers) {
        current = await this.#step(provider, 'during credential update/revision', () =>
          provider.updateCredentials(current),
        );
      }
      // A listener error here (a ban, say) aborts without a failure event, as in Java.
      await this.listeners.handleEvent(new AuthenticationRequestReceivedEvent(current));
      return await this.#authenticate(current, token);
    } catch (error) {
      if (!(error instanceof AuthenticationProcessError)) throw error;
      await this.listeners.handleEvent(
        new AuthenticationFailureEvent(current, error.provider, error.failure),
      );
      throw error.toClientFailure();
    }
  }

  /**
   * @param token an auth token
   * @returns its session
   * @throws {UnauthorizedError} "Permission Denied." when the token names no session
   */
  getSession(token: string | undefined): GuacamoleSession {
    const session = this.sessions.get(token);
    if (session === undefined) throw new UnauthorizedError('Permission Denied.');
    return session;
  }

  /**
   * Logs out.
   * @param token an auth token
   * @returns whether a session was destroyed
   */
  async destroySession(token: string | undefined): Promise<boolean> {
    return await this.sessions.destroy(token);
  }

  /**
   * Invalidates every session, then shuts every provider down (errors are logged); idempotent.
   * @returns when done
   */
  async shutdown(): Promise<void> {
    this.#shutdown ??= this.#shutdownOnce();
    await this.#shutdown;
  }

  async #shutdownOnce(): Promise<void> {
    await this.sessions.shutdown();
    for (const provider of this.providers) {
      try {
        await provider.shutdown();
      } catch (error) {
        this.#logger.error(
          `An authentication provider failed to shut down: ${describeError(error)}`,
        );
      }
    }
  }

  async #authenticate(
    credentials: Credentials,
    token: string | undefined,
  ): Promise<AuthenticationResult> {
    const existing = this.sessions.get(token);
    const user =
      existing === undefined
        ? await this.#authenticateUser(credentials)
        : await this.#updateAuthenticatedUser(existing.getAuthenticatedUser(), credentials);
    const userContexts =
      existing === undefined
        ? await this.#createUserContexts(user, credentials)
        : await this.#updateUserContexts(existing, user, credentials);
    let session: GuacamoleSession;
    let authToken: string;
    if (existing !== undefined && token !== undefined) {
      existing.setAuthenticatedUser(user);
      existing.setUserContexts(userContexts);
      session = existing;
      authToken = token;
    } else {
      session = new GuacamoleSession({
        authenticatedUser: user,
        userContexts,
        listeners: this.listeners,
        logger: this.#logger,
        clock: this.sessions.now,
      });
      authToken = this.sessions.add(session);
    }
    try {
      await this.listeners.handleEvent(
        new AuthenticationSuccessEvent(user, existing !== undefined),
      );
    } catch (error) {
      // Java leaves a vetoed new session in its map until it times out; nobody has its token, so drop it.
      if (existing === undefined) await this.sessions.destroy(authToken);
      throw new AuthenticationProcessError(
        'User authentication aborted by event listener.',
        undefined,
        error,
      );
    }
    return {
      token: authToken,
      session,
      authenticatedUser: user,
      dataSource: user.getAuthenticationProvider().getIdentifier(),
      availableDataSources: session.getDataSources(),
      existingSession: existing !== undefined,
    };
  }

  /** First-match authentication; the first Insufficient beats any Invalid, otherwise the first wins. */
  async #authenticateUser(credentials: Credentials): Promise<AuthenticatedUser> {
    let failure: CredentialsError | undefined;
    let failedProvider: AuthenticationProvider | undefined;
    for (const provider of this.providers) {
      try {
        const user = await provider.authenticateUser(credentials);
        if (user !== null && user !== undefined) return user;
      } catch (error) {
        if (!(error instanceof CredentialsError)) {
          throw new AuthenticationProcessError('User authentication was aborted.', provider, error);
        }
        const remember =
          failure === undefined ||
          (error instanceof InsufficientCredentialsError &&
            failure instanceof InvalidCredentialsError);
        if (remember) {
          failure = error;
          failedProvider = provider;
        }
      }
    }
    throw new AuthenticationProcessError('User authentication failed.', failedProvider, failure);
  }

  async #updateAuthenticatedUser(
    user: AuthenticatedUser,
    credentials: Credentials,
  ): Promise<AuthenticatedUser> {
    const provider = this.#facadeOf(user.getAuthenticationProvider());
    return await this.#step(provider, 'during re-authentication', async () => {
      const updated = await provider.updateAuthenticatedUser(user, credentials);
      if (updated === null || updated === undefined) {
        throw new SecurityError('User re-authentication failed.');
      }
      return updated;
    });
  }

  async #createUserContexts(
    user: AuthenticatedUser,
    credentials: Credentials,
  ): Promise<DecoratedUserContext[]> {
    const contexts: DecoratedUserContext[] = [];
    for (const provider of this.providers) {
      const context = await this.#step(provider, 'during initial UserContext creation', () =>
        provider.getUserContext(user),
      );
      if (context === null || context === undefined) continue;
      const args = { authenticatedUser: user, credentials };
      contexts.push(await DecoratedUserContext.decorate(this.providers, context, args));
    }
    return contexts;
  }

  async #updateUserContexts(
    session: GuacamoleSession,
    user: AuthenticatedUser,
    credentials: Credentials,
  ): Promise<DecoratedUserContext[]> {
    const contexts: DecoratedUserContext[] = [];
    for (const decorated of session.getUserContexts()) {
      const old = decorated.undecorated;
      const provider = this.#facadeOf(old.getAuthenticationProvider());
      const updated = await this.#step(provider, 'during UserContext update', () =>
        provider.updateUserContext(old, user, credentials),
      );
      if (updated === null || updated === undefined) {
        this.#logger.debug(
          `Authentication provider "${provider.getIdentifier()}" retroactively destroyed its UserContext.`,
        );
        continue;
      }
      const args = { authenticatedUser: user, credentials };
      contexts.push(await DecoratedUserContext.redecorate(decorated, updated, args));
    }
    return contexts;
  }

  /** Runs one provider call, recording the provider if it fails. */
  async #step<T>(
    provider: AuthenticationProvider,
    stage: string,
    call: () => T | Promise<T>,
  ): Promise<T> {
    try {
      return await call();
    } catch (error) {
      throw new AuthenticationProcessError(
        `User authentication aborted ${stage}.`,
        provider,
        error,
      );
    }
  }

  /** The facade of a provider as a user or context reports it (the real provider, in Java). */
  #facadeOf(provider: AuthenticationProvider): AuthenticationProvider {
    return this.providers.find((facade) => facade.is(provider)) ?? provider;
  }
}
