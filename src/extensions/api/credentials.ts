/**
 * @module Credentials and RequestDetails (guacamole-ext's `Credentials` and `RequestDetails`): the
 * username and password of a login attempt plus an immutable snapshot of the HTTP request behind it.
 */

/** Header or parameter values as they may be supplied: one value, several, or none. */
export type MultiValue = string | readonly string[] | undefined;

/** The name of the header that carries an existing session's token (`Guacamole-Token`). */
export const TOKEN_HEADER_NAME = 'Guacamole-Token';

/** What a {@link RequestDetails} is built from; every field is optional. */
export interface RequestDetailsInit {
  /** Request cookies by name. Default: none. */
  readonly cookies?: Readonly<Record<string, string>> | ReadonlyMap<string, string>;
  /** Request headers; names are matched case-insensitively. Default: none. */
  readonly headers?: Readonly<Record<string, MultiValue>> | ReadonlyMap<string, MultiValue>;
  /**
   * Request parameters. For `POST /api/tokens` these are only the form-body fields (as in Java's
   * `APIRequest`), never the query string. Default: none.
   */
  readonly parameters?: Readonly<Record<string, MultiValue>> | ReadonlyMap<string, MultiValue>;
  /** The client's IP address (`getRemoteAddr()`). Default: undefined. */
  readonly remoteAddress?: string | undefined;
  /**
   * The client's host name (`getRemoteHost()`); Tomcat does no reverse lookups by default, so callers
   * normally pass the address here too. Default: undefined.
   */
  readonly remoteHostname?: string | undefined;
}

function toMultiMap(
  source: Readonly<Record<string, MultiValue>> | ReadonlyMap<string, MultiValue> | undefined,
  foldCase: boolean,
): Map<string, readonly string[]> {
  const result = new Map<string, readonly string[]>();
  if (source === undefined) return result;
  const entries = source instanceof Map ? [...source.entries()] : Object.entries(source);
  for (const [rawName, value] of entries as [string, MultiValue][]) {
    if (value === undefined) continue;
    const name = foldCase ? rawName.toLowerCase() : rawName;
    const values = typeof value === 'string' ? [value] : [...value];
    result.set(name, Object.freeze([...(result.get(name) ?? []), ...values]));
  }
  return result;
}

/**
 * An immutable snapshot of the HTTP request that carried a login attempt.
 * @example
 * ```ts
 * const details = new RequestDetails({
 *   headers: { 'X-Remote-User': 'alice' },
 *   parameters: { 'guac-totp': '123456' },
 *   remoteAddress: '10.0.0.5',
 * });
 * details.getHeader('x-remote-user'); // 'alice'
 * ```
 */
export class RequestDetails {
  /** The client's IP address, or undefined when unknown. */
  readonly remoteAddress: string | undefined;
  /** The client's host name, or undefined when unknown. */
  readonly remoteHostname: string | undefined;
  readonly #headers: Map<string, readonly string[]>;
  readonly #parameters: Map<string, readonly string[]>;
  readonly #cookies: Map<string, string>;

  /** @param init headers, parameters, cookies and the client's address */
  constructor(init: RequestDetailsInit = {}) {
    this.#headers = toMultiMap(init.headers, true);
    this.#parameters = toMultiMap(init.parameters, false);
    const cookies = init.cookies ?? {};
    this.#cookies = new Map<string, string>(
      cookies instanceof Map ? [...cookies.entries()] : Object.entries(cookies),
    );
    this.remoteAddress = init.remoteAddress;
    this.remoteHostname = init.remoteHostname;
  }

  /**
   * @param name a header name, in any case
   * @returns its first value, or undefined when absent
   */
  getHeader(name: string): string | undefined {
    return this.#headers.get(name.toLowerCase())?.[0];
  }

  /**
   * @param name a header name, in any case
   * @returns all of its values in order (empty when absent)
   */
  getHeaders(name: string): readonly string[] {
    return this.#headers.get(name.toLowerCase()) ?? [];
  }

  /** @returns every header name, lower-cased */
  getHeaderNames(): string[] {
    return [...this.#headers.keys()];
  }

  /**
   * @param name a parameter name (case-sensitive)
   * @returns its first value, or undefined when absent
   */
  getParameter(name: string): string | undefined {
    return this.#parameters.get(name)?.[0];
  }

  /**
   * @param name a parameter name (case-sensitive)
   * @returns all of its values in order (empty when absent)
   */
  getParameterValues(name: string): readonly string[] {
    return this.#parameters.get(name) ?? [];
  }

  /** @returns every parameter name */
  getParameterNames(): string[] {
    return [...this.#parameters.keys()];
  }

  /**
   * @param name a cookie name
   * @returns its value, or undefined when absent
   */
  getCookie(name: string): string | undefined {
    return this.#cookies.get(name);
  }

  /** @returns every cookie name */
  getCookieNames(): string[] {
    return [...this.#cookies.keys()];
  }
}

/** What {@link Credentials} are built from. */
export interface CredentialsInit {
  /** The password, or undefined when none was given. */
  readonly password?: string | undefined;
  /** The request behind the attempt, or the fields to build one from. Default: an empty request. */
  readonly request?: RequestDetails | RequestDetailsInit;
  /** The username, or undefined when none was given. */
  readonly username?: string | undefined;
}

/**
 * The credentials of one login attempt. Providers may change them in `updateCredentials` (for
 * example to set the username from a trusted header).
 * @example
 * ```ts
 * const credentials = new Credentials({
 *   username: 'alice',
 *   password: 'secret',
 *   request: { parameters: { 'guac-totp': '123456' }, remoteAddress: '10.0.0.5' },
 * });
 * credentials.getParameter('guac-totp'); // '123456'
 * ```
 */
export class Credentials {
  /** The username, or undefined when none was given (an empty string is a given, blank username). */
  username: string | undefined;
  /** The password, or undefined when none was given. */
  password: string | undefined;
  /** The request snapshot; replace it to change what providers further down the chain see. */
  requestDetails: RequestDetails;

  /** @param init username, password and request */
  constructor(init: CredentialsInit = {}) {
    this.username = init.username;
    this.password = init.password;
    const request = init.request ?? {};
    this.requestDetails = request instanceof RequestDetails ? request : new RequestDetails(request);
  }

  /**
   * Returns the request snapshot, the equivalent of Java's `getRequest()`/`getRequestDetails()` (there
   * is no live request object: it would be gone by the time a provider kept it).
   * @returns the request details
   */
  getRequest(): RequestDetails {
    return this.requestDetails;
  }

  /**
   * @param name a header name, in any case
   * @returns its first value, or undefined
   */
  getHeader(name: string): string | undefined {
    return this.requestDetails.getHeader(name);
  }

  /**
   * @param name a request parameter name
   * @returns its first value, or undefined
   */
  getParameter(name: string): string | undefined {
    return this.requestDetails.getParameter(name);
  }

  /** @returns the client's IP address, or undefined */
  getRemoteAddress(): string | undefined {
    return this.requestDetails.remoteAddress;
  }

  /** @returns the client's host name, or undefined */
  getRemoteHostname(): string | undefined {
    return this.requestDetails.remoteHostname;
  }

  /**
   * Tells whether the attempt carries nothing at all: no username, no password, no request parameters
   * and no `Guacamole-Token` header (the ban extension ignores such requests).
   * @returns true when empty
   */
  isEmpty(): boolean {
    if (this.username !== undefined || this.password !== undefined) return false;
    return (
      this.requestDetails.getParameterNames().length === 0 &&
      this.getHeader(TOKEN_HEADER_NAME) === undefined
    );
  }
}
