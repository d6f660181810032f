/**
 * @module AuthenticatedUser (guacamole-ext `AuthenticatedUser`, `AbstractAuthenticatedUser`): who logged
 * in, through which provider, with which credentials.
 */
import type { Credentials } from './credentials.js';
import type { Identifiable } from './objects.js';
import type { AuthenticationProvider } from './provider.js';
import type { MaybePromise } from './types.js';

/** The identifier of anonymous users, such as those joining through a sharing link. */
export const ANONYMOUS_IDENTIFIER = '';

/**
 * A user a provider has authenticated. Its identifier is the username the REST API reports.
 * @example
 * ```ts
 * const user = await provider.authenticateUser(credentials);
 * if (user) console.log(user.identifier, user.getAuthenticationProvider().getIdentifier());
 * ```
 */
export interface AuthenticatedUser extends Identifiable {
  /** @returns the provider that authenticated the user (the session's `dataSource`) */
  getAuthenticationProvider(): AuthenticationProvider;
  /** @returns the credentials of the original login */
  getCredentials(): Credentials;
  /** @returns group names known to the authentication source (LDAP, SSO claims…) */
  getEffectiveUserGroups(): ReadonlySet<string>;
  /** Releases resources at logout or session expiry. */
  invalidate(): MaybePromise<void>;
}

/**
 * Canonicalizes an identifier like `CaseSensitivity.canonicalize`: unchanged when case-sensitive,
 * lower-cased (locale-independently) otherwise.
 * @param identifier the identifier
 * @param caseSensitive whether identifiers are case-sensitive
 * @returns the canonical identifier
 */
export function canonicalizeIdentifier(identifier: string, caseSensitive: boolean): string {
  return caseSensitive ? identifier : identifier.toLowerCase();
}

/** Options of {@link AbstractAuthenticatedUser}. */
export interface AbstractAuthenticatedUserOptions {
  /** Whether usernames are case-sensitive (`case-sensitivity`); when false they are lower-cased. Default: true. */
  readonly caseSensitive?: boolean;
  /** The initial identifier. Default: the anonymous identifier `""`. */
  readonly identifier?: string;
}

/**
 * An AuthenticatedUser with Java's defaults: no effective groups, nothing to invalidate, and an
 * identifier canonicalized by case sensitivity.
 */
export abstract class AbstractAuthenticatedUser implements AuthenticatedUser {
  readonly #caseSensitive: boolean;
  #identifier: string;

  /** @param options case sensitivity and the initial identifier */
  constructor(options: AbstractAuthenticatedUserOptions = {}) {
    this.#caseSensitive = options.caseSensitive ?? true;
    this.#identifier = canonicalizeIdentifier(
      options.identifier ?? ANONYMOUS_IDENTIFIER,
      this.#caseSensitive,
    );
  }

  /** The username, canonicalized when usernames are case-insensitive. */
  get identifier(): string {
    return this.#identifier;
  }

  set identifier(identifier: string) {
    this.#identifier = canonicalizeIdentifier(identifier, this.#caseSensitive);
  }

  abstract getAuthenticationProvider(): AuthenticationProvider;

  abstract getCredentials(): Credentials;

  getEffectiveUserGroups(): ReadonlySet<string> {
    return new Set<string>();
  }

  invalidate(): MaybePromise<void> {
    return undefined;
  }
}

/** What a {@link SimpleAuthenticatedUser} is built from. */
export interface SimpleAuthenticatedUserInit extends AbstractAuthenticatedUserOptions {
  /** The provider that authenticated the user. */
  readonly authenticationProvider: AuthenticationProvider;
  /** The login's credentials. */
  readonly credentials: Credentials;
  /** Group names from the authentication source. Default: none. */
  readonly effectiveUserGroups?: Iterable<string>;
  /** The username. */
  readonly identifier: string;
}

/**
 * A ready-made AuthenticatedUser for providers that need nothing more.
 * @example
 * ```ts
 * return new SimpleAuthenticatedUser({ identifier: name, authenticationProvider: this, credentials });
 * ```
 */
export class SimpleAuthenticatedUser extends AbstractAuthenticatedUser {
  readonly #provider: AuthenticationProvider;
  readonly #credentials: Credentials;
  readonly #groups: ReadonlySet<string>;

  /** @param init identifier, provider, credentials and groups */
  constructor(init: SimpleAuthenticatedUserInit) {
    super(init);
    this.#provider = init.authenticationProvider;
    this.#credentials = init.credentials;
    this.#groups = new Set(init.effectiveUserGroups ?? []);
  }

  getAuthenticationProvider(): AuthenticationProvider {
    return this.#provider;
  }

  getCredentials(): Credentials {
    return this.#credentials;
  }

  override getEffectiveUserGroups(): ReadonlySet<string> {
    return this.#groups;
  }
}
