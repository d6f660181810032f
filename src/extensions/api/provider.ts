/**
 * @module AuthenticationProvider (guacamole-ext `AuthenticationProvider`, `AbstractAuthenticationProvider`):
 * the interface every auth extension implements, and a base class with Java's defaults.
 */
import type { AuthenticatedUser } from './authenticated-user.js';
import type { Credentials } from './credentials.js';
import type { Environment } from './environment.js';
import type { MaybePromise } from './types.js';
import type { UserContext } from './user-context.js';

/**
 * An authentication provider. Methods may return values or promises; returning null or undefined means
 * "not mine" (authenticate/getUserContext) or "unchanged" (decorate). Throw a CredentialsError to ask
 * for credentials; any other error aborts the login unless the provider's identifier is listed in
 * `skip-if-unavailable`.
 * @example
 * ```ts
 * export default class HeaderProvider extends AbstractAuthenticationProvider {
 *   getIdentifier(): string { return 'header'; }
 *   override authenticateUser(credentials: Credentials): AuthenticatedUser {
 *     const name = credentials.getHeader('REMOTE_USER');
 *     if (name === undefined)
 *       throw new InvalidCredentialsError('Invalid login.', CredentialsInfo.USERNAME_PASSWORD);
 *     credentials.username = name;
 *     return new SimpleAuthenticatedUser({ identifier: name, authenticationProvider: this, credentials });
 *   }
 * }
 * ```
 */
export interface AuthenticationProvider {
  /** @returns the unique, stable identifier: the REST data source name and `GUAC_DATA_SOURCE` */
  getIdentifier(): string;
  /**
   * @returns a public (unauthenticated) REST resource mounted at `/api/ext/<identifier>/` (an Express
   *   Router or Connect-style middleware), or null/undefined for none
   */
  getResource(): MaybePromise<unknown>;
  /**
   * Called on every provider, in order, before authentication.
   * @param credentials the credentials so far
   * @returns the credentials the next provider sees (the same object, changed, or another one)
   */
  updateCredentials(credentials: Credentials): MaybePromise<Credentials>;
  /**
   * @param credentials the login's credentials
   * @returns the user, or null/undefined if this provider does not know them
   * @throws {InvalidCredentialsError} for wrong or missing credentials
   * @throws {InsufficientCredentialsError} when more fields are needed
   */
  authenticateUser(credentials: Credentials): MaybePromise<AuthenticatedUser | null | undefined>;
  /**
   * Called on re-authentication with an existing token, only on the provider that authenticated the user.
   * @param authenticatedUser the session's user
   * @param credentials the new request's credentials
   * @returns the (possibly new) user, or null/undefined to fail the re-authentication
   */
  updateAuthenticatedUser(
    authenticatedUser: AuthenticatedUser,
    credentials: Credentials,
  ): MaybePromise<AuthenticatedUser | null | undefined>;
  /**
   * Called on every provider after a successful first login, whoever authenticated the user.
   * @param authenticatedUser the user
   * @returns this provider's data for the user, or null/undefined for none
   */
  getUserContext(
    authenticatedUser: AuthenticatedUser,
  ): MaybePromise<UserContext | null | undefined>;
  /**
   * Called on re-authentication for each context this provider created.
   * @param context the current context
   * @param authenticatedUser the (updated) user
   * @param credentials the new request's credentials
   * @returns the context to keep, or null/undefined to drop it
   */
  updateUserContext(
    context: UserContext,
    authenticatedUser: AuthenticatedUser,
    credentials: Credentials,
  ): MaybePromise<UserContext | null | undefined>;
  /**
   * Wraps another provider's context (never this provider's own). Throwing aborts the login.
   * @param context the context, possibly already decorated by earlier providers
   * @param authenticatedUser the user
   * @param credentials the login's credentials
   * @returns the wrapper, or null/undefined to leave the context unchanged
   */
  decorate(
    context: UserContext,
    authenticatedUser: AuthenticatedUser,
    credentials: Credentials,
  ): MaybePromise<UserContext | null | undefined>;
  /**
   * Re-wraps after `updateUserContext`.
   * @param decorated what this provider's previous `decorate`/`redecorate` returned (or the context
   *   it was given, if it declined)
   * @param context the updated context to wrap
   * @param authenticatedUser the user
   * @param credentials the new request's credentials
   * @returns the wrapper, or null/undefined to leave the context unchanged
   */
  redecorate(
    decorated: UserContext,
    context: UserContext,
    authenticatedUser: AuthenticatedUser,
    credentials: Credentials,
  ): MaybePromise<UserContext | null | undefined>;
  /** Releases resources at application shutdown. */
  shutdown(): MaybePromise<void>;
}

/** A provider class as an extension module exports it; the loader passes the environment. */
export type AuthenticationProviderClass = new (environment: Environment) => AuthenticationProvider;

/**
 * An AuthenticationProvider with Java's defaults (`AbstractAuthenticationProvider`): no resource,
 * credentials unchanged, nobody authenticated, updates keep what they are given, decoration leaves
 * contexts unchanged, nothing to shut down. Implement `getIdentifier()` and override what you need.
 */
export abstract class AbstractAuthenticationProvider implements AuthenticationProvider {
  /** The environment the provider was created with. */
  protected readonly environment: Environment;

  /** @param environment the server environment (the loader passes it) */
  constructor(environment: Environment) {
    this.environment = environment;
  }

  abstract getIdentifier(): string;

  getResource(): MaybePromise<unknown> {
    return undefined;
  }

  updateCredentials(credentials: Credentials): MaybePromise<Credentials> {
    return credentials;
  }

  authenticateUser(_credentials: Credentials): MaybePromise<AuthenticatedUser | null | undefined> {
    return null;
  }

  updateAuthenticatedUser(
    authenticatedUser: AuthenticatedUser,
    _credentials: Credentials,
  ): MaybePromise<AuthenticatedUser | null | undefined> {
    return authenticatedUser;
  }

  getUserContext(
    _authenticatedUser: AuthenticatedUser,
  ): MaybePromise<UserContext | null | undefined> {
    return null;
  }

  updateUserContext(
    context: UserContext,
    _authenticatedUser: AuthenticatedUser,
    _credentials: Credentials,
  ): MaybePromise<UserContext | null | undefined> {
    return context;
  }

  decorate(
    context: UserContext,
    _authenticatedUser: AuthenticatedUser,
    _credentials: Credentials,
  ): MaybePromise<UserContext | null | undefined> {
    return context;
  }

  redecorate(
    _decorated: UserContext,
    context: UserContext,
    authenticatedUser: AuthenticatedUser,
    credentials: Credentials,
  ): MaybePromise<UserContext | null | undefined> {
    return this.decorate(context, authenticatedUser, credentials);
  }

  shutdown(): MaybePromise<void> {
    return undefined;
  }
}
