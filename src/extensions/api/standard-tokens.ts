/**
 * @module The standard parameter tokens (webapp `StandardTokenMap`): `GUAC_USERNAME`, `GUAC_PASSWORD`,
 * `GUAC_CLIENT_HOSTNAME`, `GUAC_CLIENT_ADDRESS`, `GUAC_DATE` and `GUAC_TIME`.
 */
import type { AuthenticatedUser } from './authenticated-user.js';

/** The standard token names. */
export const StandardToken = Object.freeze({
  USERNAME: 'GUAC_USERNAME',
  PASSWORD: 'GUAC_PASSWORD',
  CLIENT_HOSTNAME: 'GUAC_CLIENT_HOSTNAME',
  CLIENT_ADDRESS: 'GUAC_CLIENT_ADDRESS',
  DATE: 'GUAC_DATE',
  TIME: 'GUAC_TIME',
} as const);

const pad = (value: number, width = 2): string => String(value).padStart(width, '0');

/**
 * Builds the tokens every connection gets: the login's username (or, without one, the user's
 * identifier), password, client host name and address when known, and the server's local date
 * (`yyyyMMdd`) and time (`HHmmss`).
 * @param user the session's user; its credentials are those of the original login
 * @param now the moment to use for GUAC_DATE and GUAC_TIME; default now
 * @returns a fresh token map
 * @example
 * ```ts
 * const tunnel = await connection.connect(info, standardTokens(session.getAuthenticatedUser()));
 * ```
 */
export function standardTokens(
  user: AuthenticatedUser,
  now: Date = new Date(),
): Map<string, string> {
  const tokens = new Map<string, string>();
  tokens.set(
    StandardToken.DATE,
    `${pad(now.getFullYear(), 4)}${pad(now.getMonth() + 1)}${pad(now.getDate())}`,
  );
  tokens.set(
    StandardToken.TIME,
    `${pad(now.getHours())}${pad(now.getMinutes())}${pad(now.getSeconds())}`,
  );
  const credentials = user.getCredentials();
  tokens.set(StandardToken.USERNAME, credentials.username ?? user.identifier);
  if (credentials.password !== undefined) tokens.set(StandardToken.PASSWORD, credentials.password);
  const hostname = credentials.getRemoteHostname();
  if (hostname !== undefined) tokens.set(StandardToken.CLIENT_HOSTNAME, hostname);
  const address = credentials.getRemoteAddress();
  if (address !== undefined) tokens.set(StandardToken.CLIENT_ADDRESS, address);
  return tokens;
}
