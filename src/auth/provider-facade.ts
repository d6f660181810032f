/**
 * @module AuthenticationProviderFacade (webapp `AuthenticationProviderFacade`): wraps every provider with
 * the failure policy of spec §2.6 — a provider that failed to start is inert, and at runtime a non-client
 * error aborts the login unless the provider's identifier is listed in `skip-if-unavailable`.
 */
import { randomUUID } from 'node:crypto';
import {
  ClientError,
  SILENT_EXTENSION_LOGGER,
  type AuthenticatedUser,
  type AuthenticationProvider,
  type Credentials,
  type ExtensionLogger,
  type MaybePromise,
  type UserContext,
} from '../extensions/api.js';
import { describeError } from './listener-service.js';

/**
 * A provider as an extension module may supply it: `getIdentifier` at least; missing methods get the
 * defaults of AbstractAuthenticationProvider. An object with `inert: true` (the loader's placeholder for
 * a provider that failed to start) makes the facade inert.
 */
export type ProviderLike = Pick<AuthenticationProvider, 'getIdentifier'> &
  Partial<AuthenticationProvider> & { readonly inert?: boolean };

/** Options of {@link AuthenticationProviderFacade}. */
export interface ProviderFacadeOptions {
  /** Where failures and skips are logged. Default: silent. */
  readonly logger?: ExtensionLogger;
  /** Provider identifiers whose internal errors skip the provider (`skip-if-unavailable`). Default: none. */
  readonly skipIfUnavailable?: ReadonlySet<string>;
}

/**
 * The policy wrapper around one provider; the AuthenticationService only ever calls facades.
 * @example
 * ```ts
 * const facade = await AuthenticationProviderFacade.create(() => new Provider(environment), {
 *   skipIfUnavailable: configuration.get(SKIP_IF_UNAVAILABLE) ?? new Set(),
 *   logger,
 * });
 * ```
 */
export class AuthenticationProviderFacade implements AuthenticationProvider {
  readonly #provider: ProviderLike | undefined;
  readonly #skip: ReadonlySet<string>;
  readonly #logger: ExtensionLogger;
  readonly #inertIdentifier = randomUUID();

  /**
   * @param provider the provider, or undefined (or the loader's inert placeholder) for one that failed
   *   to start
   * @param options skip list and logger
   */
  constructor(provider: ProviderLike | undefined, options: ProviderFacadeOptions = {}) {
    this.#provider = provider?.inert === true ? undefined : provider;
    this.#skip = options.skipIfUnavailable ?? new Set();
    this.#logger = options.logger ?? SILENT_EXTENSION_LOGGER;
  }

  /**
   * Instantiates a provider, turning a failing constructor (or factory) into an inert facade, as Java's
   * `ProviderFactory` does; startup continues either way.
   * @param factory creates the provider, e.g. `() => new Provider(environment)`
   * @param options skip list and logger
   * @returns the facade, inert if the factory threw
   */
  static async create(
    factory: () => MaybePromise<ProviderLike>,
    options: ProviderFacadeOptions = {},
  ): Promise<AuthenticationProviderFacade> {
    try {
      return new AuthenticationProviderFacade(await factory(), options);
    } catch (error) {
      const logger = options.logger ?? SILENT_EXTENSION_LOGGER;
      logger.error(`An authentication provider extension failed to start: ${describeError(error)}`);
      return new AuthenticationProviderFacade(undefined, options);
    }
  }

  /**
   * Wraps a provider unless it already is a facade.
   * @param provider a provider or facade
   * @param options skip list and logger for a new facade
   * @returns a facade
   */
  static wrap(
    provider: ProviderLike,
    options: ProviderFacadeOptions = {},
  ): AuthenticationProviderFacade {
    return provider instanceof AuthenticationProviderFacade
      ? provider
      : new AuthenticationProviderFacade(provider, options);
  }

  /** The wrapped provider, or undefined when it failed to start. */
  get provider(): ProviderLike | undefined {
    return this.#provider;
  }

  /** True when the provider failed to start and the facade does nothing. */
  get isInert(): boolean {
    return this.#provider === undefined;
  }

  /**
   * Tells whether this facade (or its provider) is the given provider.
   * @param provider a provider, as a context or user reports it
   * @returns true when it is this one
   */
  is(provider: ProviderLike): boolean {
    return provider === this || (this.#provider !== undefined && provider === this.#provider);
  }

  getIdentifier(): string {
    if (this.#provider === undefined) {
      this.#logger.warn(
        'The authentication system could not be loaded. Please check for errors earlier in the logs.',
      );
      return this.#inertIdentifier;
    }
    return this.#provider.getIdentifier();
  }

  getResource(): MaybePromise<unknown> {
    return this.#provider?.getResource?.();
  }

  updateCredentials(credentials: Credentials): MaybePromise<Credentials> {
    return this.#provider?.updateCredentials?.(credentials) ?? credentials;
  }

  async authenticateUser(credentials: Credentials): Promise<AuthenticatedUser | null | undefined> {
    const provider = this.#provider;
    if (provider?.authenticateUser === undefined) return null;
    return await this.#guard(() => provider.authenticateUser?.(credentials));
  }

  updateAuthenticatedUser(
    authenticatedUser: AuthenticatedUser,
    credentials: Credentials,
  ): MaybePromise<AuthenticatedUser | null | undefined> {
    const provider = this.#provider;
    if (provider === undefined) return null;
    if (provider.updateAuthenticatedUser === undefined) return authenticatedUser;
    return provider.updateAuthenticatedUser(authenticatedUser, credentials);
  }

  async getUserContext(
    authenticatedUser: AuthenticatedUser,
  ): Promise<UserContext | null | undefined> {
    const provider = this.#provider;
    if (provider?.getUserContext === undefined) return null;
    return await this.#guard(() => provider.getUserContext?.(authenticatedUser));
  }

  updateUserContext(
    context: UserContext,
    authenticatedUser: AuthenticatedUser,
    credentials: Credentials,
  ): MaybePromise<UserContext | null | undefined> {
    const provider = this.#provider;
    if (provider === undefined) return null;
    if (provider.updateUserContext === undefined) return context;
    return provider.updateUserContext(context, authenticatedUser, credentials);
  }

  decorate(
    context: UserContext,
    authenticatedUser: AuthenticatedUser,
    credentials: Credentials,
  ): MaybePromise<UserContext | null | undefined> {
    return this.#provider?.decorate?.(context, authenticatedUser, credentials) ?? context;
  }

  redecorate(
    decorated: UserContext,
    context: UserContext,
    authenticatedUser: AuthenticatedUser,
    credentials: Credentials,
  ): MaybePromise<UserContext | null | undefined> {
    const provider = this.#provider;
    // AbstractAuthenticationProvider's default: decorate the new context afresh.
    if (provider?.redecorate === undefined)
      return this.decorate(context, authenticatedUser, credentials);
    return provider.redecorate(decorated, context, authenticatedUser, credentials);
  }

  async shutdown(): Promise<void> {
    await this.#provider?.shutdown?.();
  }

  /**
   * Client errors (credential errors included) pass through; anything else skips the provider when
   * tolerated, or aborts the login.
   */
  async #guard<T>(call: () => MaybePromise<T>): Promise<T | null> {
    try {
      return await call();
    } catch (error) {
      if (error instanceof ClientError) throw error;
      const identifier = this.getIdentifier();
      if (this.#skip.has(identifier)) {
        this.#logger.warn(
          `The "${identifier}" authentication provider has been skipped due to an internal error: ` +
            describeError(error),
        );
        return null;
      }
      this.#logger.warn(
        `The "${identifier}" authentication provider has encountered an internal error which will ` +
          'halt the authentication process. If this is expected and you wish to ignore such ' +
          `failures in the future, please set "skip-if-unavailable: ${identifier}" within your ` +
          'guacamole.properties.',
      );
      throw error;
    }
  }
}
