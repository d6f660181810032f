/**
 * @module The REST API calls the UI makes (spec §6.2–6.5), with relative URLs so the app works under
 * any base path, and the auth token kept in localStorage as the official frontend keeps it.
 */

/** The localStorage key of the auth token (JSON-encoded), shared with the official frontend. */
export const TOKEN_STORAGE_KEY = 'GUAC_AUTH_TOKEN';

/**
 * @typedef {object} Field a credential field the server expects (spec §3.11)
 * @property {string} name the parameter name
 * @property {string} type USERNAME, PASSWORD, TEXT, … or an extension's own type
 * @property {string[]} [options] ENUM choices; BOOLEAN's truth value
 * @property {string} [redirectUrl] REDIRECT: where to go
 */

/**
 * @typedef {object} AuthResult a successful `POST api/tokens`
 * @property {string} authToken the session token
 * @property {string} username the user's identifier ("" when anonymous)
 * @property {string} dataSource the primary data source
 * @property {string[]} availableDataSources every data source of the session
 */

/** A failed request, with the server's error body (spec §6.1) when it sent one. */
export class ApiError extends Error {
  /**
   * @param {number} status the HTTP status (0 when the server could not be reached)
   * @param {string} message the server's message, or a description of the failure
   * @param {object} [body] the parsed error body
   */
  constructor(status, message, body = {}) {
    super(message);
    this.name = 'ApiError';
    /** @type {number} */
    this.status = status;
    /** @type {string | null} INVALID_CREDENTIALS, INSUFFICIENT_CREDENTIALS, PERMISSION_DENIED, … */
    this.type = typeof body.type === 'string' ? body.type : null;
    /** @type {Field[] | null} the fields to present, for credential errors */
    this.expected = Array.isArray(body.expected) ? body.expected : null;
  }

  /** @returns {boolean} whether the session is gone (403 outside of a login attempt) */
  get unauthorized() {
    return this.status === 403;
  }
}

/** @returns {string | null} the stored token, if any */
export function storedToken() {
  try {
    const value = JSON.parse(localStorage.getItem(TOKEN_STORAGE_KEY) ?? 'null');
    return typeof value === 'string' && value !== '' ? value : null;
  } catch {
    return null;
  }
}

/** @param {string} token the token to remember across page loads */
export function storeToken(token) {
  localStorage.setItem(TOKEN_STORAGE_KEY, JSON.stringify(token));
}

/** Forgets the stored token. */
export function forgetToken() {
  localStorage.removeItem(TOKEN_STORAGE_KEY);
}

/**
 * Sends a request and fails with an {@link ApiError} unless it succeeds.
 * @param {string} method the HTTP method
 * @param {string} path relative to the base path, e.g. `api/session`
 * @param {{ token?: string | null, body?: URLSearchParams }} [options] the token and a form body
 * @returns {Promise<Response>} the successful response
 */
async function send(method, path, options = {}) {
  /** @type {Record<string, string>} */
  const headers = {};
  if (options.token) headers['Guacamole-Token'] = options.token;
  let response;
  try {
    response = await fetch(path, { method, headers, body: options.body, cache: 'no-store' });
  } catch {
    throw new ApiError(0, 'The server could not be reached.');
  }
  if (response.ok) return response;
  let body = {};
  try {
    body = await response.json();
  } catch {
    // Not every error has a JSON body (unknown routes, proxies).
  }
  const message =
    typeof body.message === 'string' && body.message
      ? body.message
      : `The server answered ${response.status} ${response.statusText}.`.replace(' .', '.');
  throw new ApiError(response.status, message, body);
}

/**
 * Logs in or refreshes a session: `POST api/tokens` with the page's query parameters (for SSO and
 * share links) plus the given parameters.
 * @param {Record<string, string>} parameters credentials (`username`, `password`, …) and/or `token`
 * @returns {Promise<AuthResult>} the session
 */
export async function authenticate(parameters) {
  const body = new URLSearchParams(location.search);
  for (const [name, value] of Object.entries(parameters)) body.set(name, value);
  return await (await send('POST', 'api/tokens', { body })).json();
}

/**
 * Revokes a token that a new login replaced (`DELETE api/tokens/<token>`); failures are ignored.
 * @param {string} token the old token
 */
export async function revokeToken(token) {
  await send('DELETE', `api/tokens/${encodeURIComponent(token)}`).catch(() => undefined);
}

/**
 * Logs out: `DELETE api/session`.
 * @param {string} token the session token
 */
export async function logout(token) {
  await send('DELETE', 'api/session', { token });
}

/**
 * Checks that a session is still valid: `HEAD api/session`.
 * @param {string} token the session token
 * @returns {Promise<boolean>} false once the server no longer knows the token
 */
export async function sessionValid(token) {
  try {
    await send('HEAD', 'api/session', { token });
    return true;
  } catch (error) {
    if (error instanceof ApiError && error.unauthorized) return false;
    return true;
  }
}

/**
 * @param {string} dataSource the data source
 * @returns {string} the path of its objects
 */
const data = (dataSource) => `api/session/data/${encodeURIComponent(dataSource)}`;

/**
 * Fetches every connection and group a data source shows the user.
 * @param {string} token the session token
 * @param {string} dataSource the data source
 * @returns {Promise<object>} the root APIConnectionGroup with its descendants
 */
export async function connectionTree(token, dataSource) {
  return await (
    await send('GET', `${data(dataSource)}/connectionGroups/ROOT/tree`, { token })
  ).json();
}

/**
 * Fetches one connection or connection group, for its name.
 * @param {string} token the session token
 * @param {string} dataSource the data source
 * @param {'c' | 'g'} type connection or group
 * @param {string} id its identifier
 * @returns {Promise<{ name?: string }>} the object
 */
export async function connectable(token, dataSource, type, id) {
  const kind = type === 'g' ? 'connectionGroups' : 'connections';
  const path = `${data(dataSource)}/${kind}/${encodeURIComponent(id)}`;
  return await (await send('GET', path, { token })).json();
}
