/**
 * @module The error tree. Every failure carries a Guacamole status; the class hierarchy mirrors
 * guacamole-common's exceptions because it decides which messages reach a client (only ClientError's).
 */
import {
  GuacamoleStatus,
  statusFromGuacCode,
  type StatusEntry,
  type StatusName,
} from './status.js';

/** Options accepted by every GuacamoleError constructor. */
export interface GuacamoleErrorOptions {
  /** The underlying failure (ES2022 `cause`). */
  readonly cause?: unknown;
  /** A stable machine-readable code such as `GUAC_ERR_INSTRUCTION_TOO_LONG`. */
  readonly code?: string;
}

/** Base of every Guacamole error; a plain one means SERVER_ERROR, as in Java. */
export class GuacamoleError extends Error {
  /** The status every instance of this class reports; subclasses override it. */
  static readonly status: StatusEntry = GuacamoleStatus.SERVER_ERROR;
  /** The status this error reports at every edge (HTTP, tunnel headers, WebSocket close). */
  readonly status: StatusEntry;
  /** A stable code for low-level failures, or undefined. */
  readonly code: string | undefined;

  /**
   * @param message what went wrong, in words a person can act on
   * @param options cause and stable code
   */
  constructor(message: string, options: GuacamoleErrorOptions = {}) {
    super(message, options.cause === undefined ? undefined : { cause: options.cause });
    this.name = new.target.name;
    this.status = new.target.status;
    this.code = options.code;
  }
}

// Client errors: their message is safe to show the client (GuacamoleClientException and subclasses).
export class ClientError extends GuacamoleError {
  static override readonly status: StatusEntry = GuacamoleStatus.CLIENT_BAD_REQUEST;
}
export class ClientBadTypeError extends ClientError {
  static override readonly status: StatusEntry = GuacamoleStatus.CLIENT_BAD_TYPE;
}
export class ClientOverrunError extends ClientError {
  static override readonly status: StatusEntry = GuacamoleStatus.CLIENT_OVERRUN;
}
export class ClientTimeoutError extends ClientError {
  static override readonly status: StatusEntry = GuacamoleStatus.CLIENT_TIMEOUT;
}
export class ClientTooManyError extends ClientError {
  static override readonly status: StatusEntry = GuacamoleStatus.CLIENT_TOO_MANY;
}
export class ResourceClosedError extends ClientError {
  static override readonly status: StatusEntry = GuacamoleStatus.RESOURCE_CLOSED;
}
export class ResourceConflictError extends ClientError {
  static override readonly status: StatusEntry = GuacamoleStatus.RESOURCE_CONFLICT;
}
export class ResourceNotFoundError extends ClientError {
  static override readonly status: StatusEntry = GuacamoleStatus.RESOURCE_NOT_FOUND;
}
export class SecurityError extends ClientError {
  static override readonly status: StatusEntry = GuacamoleStatus.CLIENT_FORBIDDEN;
}
export class UnauthorizedError extends SecurityError {
  static override readonly status: StatusEntry = GuacamoleStatus.CLIENT_UNAUTHORIZED;
}

// Server errors (GuacamoleServerException and subclasses).
export class ServerError extends GuacamoleError {
  static override readonly status: StatusEntry = GuacamoleStatus.SERVER_ERROR;
}
/** The connection to guacd or to the client closed; a normal end, not a fault. */
export class ConnectionClosedError extends ServerError {
  static override readonly status: StatusEntry = GuacamoleStatus.SERVER_ERROR;
}
export class ServerBusyError extends ServerError {
  static override readonly status: StatusEntry = GuacamoleStatus.SERVER_BUSY;
}
export class UnsupportedError extends ServerError {
  static override readonly status: StatusEntry = GuacamoleStatus.UNSUPPORTED;
}

// Upstream errors (GuacamoleUpstreamException and subclasses).
export class UpstreamError extends GuacamoleError {
  static override readonly status: StatusEntry = GuacamoleStatus.UPSTREAM_ERROR;
}
export class UpstreamNotFoundError extends UpstreamError {
  static override readonly status: StatusEntry = GuacamoleStatus.UPSTREAM_NOT_FOUND;
}
export class UpstreamTimeoutError extends UpstreamError {
  static override readonly status: StatusEntry = GuacamoleStatus.UPSTREAM_TIMEOUT;
}
export class UpstreamUnavailableError extends UpstreamError {
  static override readonly status: StatusEntry = GuacamoleStatus.UPSTREAM_UNAVAILABLE;
}
export class SessionClosedError extends UpstreamError {
  static override readonly status: StatusEntry = GuacamoleStatus.SESSION_CLOSED;
}
export class SessionConflictError extends UpstreamError {
  static override readonly status: StatusEntry = GuacamoleStatus.SESSION_CONFLICT;
}
export class SessionTimeoutError extends UpstreamError {
  static override readonly status: StatusEntry = GuacamoleStatus.SESSION_TIMEOUT;
}

type ErrorClass = new (message: string, options?: GuacamoleErrorOptions) => GuacamoleError;

const CLASS_BY_STATUS: Readonly<Record<Exclude<StatusName, 'SUCCESS'>, ErrorClass>> = {
  UNSUPPORTED: UnsupportedError,
  SERVER_ERROR: ServerError,
  SERVER_BUSY: ServerBusyError,
  UPSTREAM_TIMEOUT: UpstreamTimeoutError,
  UPSTREAM_ERROR: UpstreamError,
  RESOURCE_NOT_FOUND: ResourceNotFoundError,
  RESOURCE_CONFLICT: ResourceConflictError,
  RESOURCE_CLOSED: ResourceClosedError,
  UPSTREAM_NOT_FOUND: UpstreamNotFoundError,
  UPSTREAM_UNAVAILABLE: UpstreamUnavailableError,
  SESSION_CONFLICT: SessionConflictError,
  SESSION_TIMEOUT: SessionTimeoutError,
  SESSION_CLOSED: SessionClosedError,
  CLIENT_BAD_REQUEST: ClientError,
  CLIENT_UNAUTHORIZED: UnauthorizedError,
  CLIENT_FORBIDDEN: SecurityError,
  CLIENT_TIMEOUT: ClientTimeoutError,
  CLIENT_OVERRUN: ClientOverrunError,
  CLIENT_BAD_TYPE: ClientBadTypeError,
  CLIENT_TOO_MANY: ClientTooManyError,
};

/**
 * Builds the error a status stands for, like Java's `GuacamoleStatus.toException`.
 * @param status the status; SUCCESS is not an error
 * @param message the error message
 * @returns an error of the matching class whose `status` is `status`
 * @throws {RangeError} for SUCCESS, which has no error (Java throws IllegalStateException)
 */
export function errorFromStatus(status: StatusEntry, message: string): GuacamoleError {
  if (status.name === 'SUCCESS') throw new RangeError('SUCCESS is not an error status.');
  return new CLASS_BY_STATUS[status.name](message);
}

/**
 * Builds the error for a Guacamole status code received on the wire (guacd's `error` instruction).
 * Unknown, missing or non-numeric codes mean SERVER_ERROR, as in ConfiguredGuacamoleSocket.
 * @param code the code as received, possibly undefined or not a number
 * @param message the message as received
 * @returns the matching error
 */
export function errorFromWireCode(code: string | undefined, message: string): GuacamoleError {
  // Java's Integer.parseInt: an optional sign and ASCII digits.
  const parsed = code !== undefined && /^[+-]?\d+$/.test(code) ? Number(code) : NaN;
  const status = statusFromGuacCode(parsed);
  // A `SUCCESS` code inside an `error` is nonsense; Java would crash, we report a server error instead.
  if (status === undefined || status.name === 'SUCCESS') return new ServerError(message);
  return errorFromStatus(status, message);
}

/**
 * Tells whether an error's message may be shown to the client (the HTTP tunnel's rule).
 * @param error any thrown value
 * @returns true for ClientError and its subclasses
 */
export function isClientError(error: unknown): boolean {
  return error instanceof ClientError;
}
