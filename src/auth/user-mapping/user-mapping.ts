/**
 * @module UserMapping and Authorization (webapp `auth/file/UserMapping`, `Authorization`): the parsed
 * user-mapping.xml — one authorization per username, each with a password check and its connections.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import type { GuacamoleConfiguration } from '../../extensions/api.js';

/** How an `<authorize>` password is stored (`encoding` attribute; Java's `Authorization.Encoding`). */
export type PasswordEncoding = 'plain' | 'md5' | 'sha256';

/** Compares in constant time whatever the lengths (both sides are hashed first). */
function safeEqual(a: string, b: string): boolean {
  const digest = (value: string): Buffer => createHash('sha256').update(value, 'utf8').digest();
  return timingSafeEqual(digest(a), digest(b));
}

/** Upper-case hex digest of the UTF-8 password, as Java's `getHexString`. */
function hexDigest(algorithm: 'md5' | 'sha256', password: string): string {
  return createHash(algorithm).update(password, 'utf8').digest('hex').toUpperCase();
}

/** One `<authorize>` element: a username, a password check and the authorized connections. */
export class Authorization {
  /** The username (compared exactly, case-sensitively), or undefined if the attribute is missing. */
  readonly username: string | undefined;
  /** The stored password or hash, or undefined if the attribute is missing. */
  readonly password: string | undefined;
  /** How {@link Authorization.password} is encoded. */
  readonly encoding: PasswordEncoding;
  readonly #configurations = new Map<string, GuacamoleConfiguration>();

  /**
   * @param username the `username` attribute
   * @param password the `password` attribute
   * @param encoding the `encoding` attribute; default plain
   */
  constructor(
    username: string | undefined,
    password: string | undefined,
    encoding: PasswordEncoding = 'plain',
  ) {
    this.username = username;
    this.password = password;
    this.encoding = encoding;
  }

  /**
   * Adds (or replaces) a connection.
   * @param name the connection's identifier and name
   * @param configuration its configuration (kept by reference: the parser fills it in afterwards)
   */
  addConfiguration(name: string, configuration: GuacamoleConfiguration): void {
    this.#configurations.set(name, configuration);
  }

  /** @returns the connections sorted by name (Java keeps them in a TreeMap) */
  getConfigurations(): Map<string, GuacamoleConfiguration> {
    const names = [...this.#configurations.keys()].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
    return new Map(
      names.map((name) => [name, this.#configurations.get(name) as GuacamoleConfiguration]),
    );
  }

  /**
   * Checks a login (`Authorization.validate`): the username must match exactly and, for md5/sha256,
   * the upper-case hex digest of the UTF-8 password must equal the stored hash in any case.
   * @param username the login's username
   * @param password the login's password
   * @returns true when both match
   */
  validate(username: string | undefined, password: string | undefined): boolean {
    if (username === undefined || password === undefined || username !== this.username)
      return false;
    // A hashed entry without a password attribute makes Java throw (a 500); it simply fails here.
    if (this.password === undefined) return false;
    switch (this.encoding) {
      case 'plain':
        return safeEqual(password, this.password);
      case 'md5':
      case 'sha256':
        return safeEqual(hexDigest(this.encoding, password), this.password.toUpperCase());
    }
  }
}

/** The whole file: authorizations by username (`UserMapping`). */
export class UserMapping {
  readonly #authorizations = new Map<string, Authorization>();

  /**
   * Adds an authorization; a later one with the same username replaces the earlier one. One without a
   * username can never validate and is not kept.
   * @param authorization the authorization
   */
  addAuthorization(authorization: Authorization): void {
    if (authorization.username !== undefined) {
      this.#authorizations.set(authorization.username, authorization);
    }
  }

  /**
   * @param username a username, exactly as typed
   * @returns its authorization, or undefined
   */
  getAuthorization(username: string | undefined): Authorization | undefined {
    return username === undefined ? undefined : this.#authorizations.get(username);
  }

  /** The number of distinct usernames. */
  get size(): number {
    return this.#authorizations.size;
  }
}
