/**
 * @module The errors an RFB connection ends with. A misbehaving server ends only its own connection, with
 * an UpstreamError whose `code` names the problem.
 */
import { GuacamoleError, UpstreamError } from '../../protocol/index.js';

/** The VNC server sent something RFB forbids (bad rect, bad length, truncated or oversized data). */
export class RfbProtocolError extends UpstreamError {}

/** The VNC server rejected the credentials (SecurityResult failed during authentication). */
export class RfbAuthenticationError extends UpstreamError {}

/**
 * Builds an RfbProtocolError with a stable code.
 * @param code a stable code such as `RFB_RECT_OUT_OF_BOUNDS`
 * @param message what the server did wrong
 * @returns the error
 */
export function protocolError(code: string, message: string): RfbProtocolError {
  return new RfbProtocolError(`VNC server error: ${message}`, { code });
}

/**
 * The error a connection ends with when something failed.
 * @param error what was thrown or reported
 * @returns the error itself when it carries a Guacamole status, else an `RFB_INTERNAL` RfbProtocolError
 */
export function internalError(error: unknown): GuacamoleError {
  return error instanceof GuacamoleError
    ? error
    : protocolError('RFB_INTERNAL', `unexpected failure (${String(error)}).`);
}
