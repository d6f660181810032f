/**
 * @module What the user reads when a connection fails: human text per Guacamole status code
 * (tunnel-protocol.md §4), and which failures are worth retrying by themselves.
 */

/** Guacamole.Status.Code.CLIENT_UNAUTHORIZED: the session is gone; log in again. */
export const UNAUTHORIZED = 0x0301;

/** Status code → message. */
const MESSAGES = new Map([
  [0x0100, 'The remote desktop server does not support the requested operation.'],
  [0x0200, 'The Guacamole server encountered an internal error and closed the connection.'],
  [0x0201, 'The Guacamole server is too busy to accept the connection. Please try again later.'],
  [0x0202, 'The remote desktop server is taking too long to respond.'],
  [0x0203, 'The remote desktop server encountered an error and closed the connection.'],
  [0x0204, 'The requested connection does not exist.'],
  [0x0205, 'The connection is in use, and cannot be shared.'],
  [0x0206, 'The connection has been closed.'],
  [0x0207, 'The remote desktop server is unreachable.'],
  [0x0208, 'The remote desktop server is unavailable.'],
  [0x0209, 'The remote desktop server closed the connection because it conflicts with another.'],
  [0x020a, 'The remote desktop server closed the connection because it appeared inactive.'],
  [0x020b, 'The remote desktop server closed the connection.'],
  [0x0300, 'The connection request was invalid.'],
  [UNAUTHORIZED, 'Your session has expired. Please log in again.'],
  [0x0303, 'You do not have permission to access this connection.'],
  [0x0308, 'The connection was closed because this browser stopped responding.'],
  [0x030d, 'The browser sent more data than the server accepts.'],
  [0x030f, 'The server does not accept the kind of data the browser sent.'],
  [0x031d, 'You are already using this connection as many times as you are allowed.'],
]);

/**
 * Failures that may well go away on their own: the Guacamole server or the remote desktop was
 * busy, slow or briefly unreachable, or the network dropped.
 */
const TRANSIENT = new Set([0x0200, 0x0201, 0x0202, 0x0203, 0x0207, 0x0208, 0x0308]);

/**
 * Describes a status code.
 * @param {number} code a Guacamole status code
 * @returns {string} one or two sentences for the user
 */
export function describeStatus(code) {
  return MESSAGES.get(code) ?? `The connection failed (error ${code}).`;
}

/**
 * Whether to reconnect automatically after this failure.
 * @param {number} code a Guacamole status code
 * @returns {boolean} true for transient failures
 */
export function isTransient(code) {
  return TRANSIENT.has(code);
}
