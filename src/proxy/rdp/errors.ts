/**
 * @module The errors an RDP connection ends with. A misbehaving server ends only its own connection, with
 * an UpstreamError whose `code` names the problem (`RDP_TRUNCATED`, `RDP_RECT_OUT_OF_BOUNDS`, …).
 */
import { GuacamoleError, UnauthorizedError, UpstreamError } from '../../protocol/index.js';

/** The RDP server sent something the protocol forbids (bad length, bad rect, truncated data). */
export class RdpProtocolError extends UpstreamError {}

/**
 * The server refused the security negotiation (NLA required, TLS not allowed, …). guacd reports
 * FreeRDP's SECURITY_NEGO_CONNECT_FAILED as CLIENT_UNAUTHORIZED (769), and so does this.
 */
export class RdpNegotiationError extends UnauthorizedError {}

/**
 * NLA (CredSSP) authentication failed: wrong credentials, a refused account, or the server ending the
 * exchange. guacd reports FreeRDP's authentication failures as CLIENT_UNAUTHORIZED (769), and so does this.
 */
export class NlaAuthenticationError extends UnauthorizedError {}

/**
 * Builds an RdpProtocolError with a stable code.
 * @param code a stable code such as `RDP_TRUNCATED`
 * @param message what the server did wrong
 * @returns the error
 */
export function protocolError(code: string, message: string): RdpProtocolError {
  return new RdpProtocolError(`RDP server error: ${message}`, { code });
}

/**
 * The error a connection ends with when handling the server's data threw.
 * @param error what was thrown
 * @returns the error itself when it carries a Guacamole status, else an `RDP_INTERNAL` RdpProtocolError
 */
export function internalError(error: unknown): GuacamoleError {
  return error instanceof GuacamoleError
    ? error
    : protocolError('RDP_INTERNAL', `cannot handle the server's data: ${String(error)}`);
}
