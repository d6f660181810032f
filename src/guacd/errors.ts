/**
 * @module How I/O failures on a guacd connection become GuacamoleErrors, exactly as InetGuacamoleSocket,
 * SSLGuacamoleSocket and ReaderGuacamoleReader/WriterGuacamoleWriter map Java's IOExceptions.
 */
import {
  ConnectionClosedError,
  GuacamoleError,
  ServerError,
  UpstreamTimeoutError,
} from '../protocol/index.js';

/** The message of a read that waited longer than the read timeout (`SocketTimeoutException`). */
export const READ_TIMEOUT_MESSAGE = 'Connection to guacd timed out.';
/** The message of every read or write on a reset, broken or closed connection (`SocketException`). */
export const CLOSED_MESSAGE = 'Connection to guacd is closed.';
/** The message of a TCP connect that took longer than the connect timeout (InetGuacamoleSocket). */
export const CONNECT_TIMEOUT_MESSAGE = 'Connection timed out.';

/**
 * Node error codes that Java reports as a `SocketException` (the connection is gone), which
 * ReaderGuacamoleReader and WriterGuacamoleWriter turn into GuacamoleConnectionClosedException.
 */
const CLOSED_CODES: ReadonlySet<string> = new Set([
  'ECONNRESET',
  'ECONNABORTED',
  'EPIPE',
  'ENOTCONN',
  'ETIMEDOUT',
  'EHOSTUNREACH',
  'ENETUNREACH',
  'ENETDOWN',
  'ERR_SOCKET_CLOSED',
  'ERR_STREAM_DESTROYED',
  'ERR_STREAM_PREMATURE_CLOSE',
  'ERR_STREAM_WRITE_AFTER_END',
]);

/** Where a connection attempt was going, for error messages. */
export interface GuacdAddress {
  /** The guacd host name or address. */
  readonly hostname: string;
  /** The guacd port. */
  readonly port: number;
  /** Whether the connection uses TLS. */
  readonly ssl: boolean;
}

/** Thrown inside connect to mark that the connect timeout elapsed; never escapes this module's callers. */
export class ConnectTimeout extends Error {
  /** @param ms the timeout that elapsed, in milliseconds */
  constructor(ms: number) {
    super(`connect timed out after ${ms} ms`);
    this.name = 'ConnectTimeout';
  }
}

function codeOf(error: unknown): string | undefined {
  if (typeof error !== 'object' || error === null || !('code' in error)) return undefined;
  return typeof error.code === 'string' ? error.code : undefined;
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

/**
 * Formats `host:port`, bracketing IPv6 literals.
 * @param address the destination
 * @returns e.g. `localhost:4822` or `[::1]:4822`
 */
export function formatAddress(address: Pick<GuacdAddress, 'hostname' | 'port'>): string {
  const host = address.hostname.includes(':') ? `[${address.hostname}]` : address.hostname;
  return `${host}:${address.port}`;
}

/**
 * Maps a failure on an established connection (read or write), as ReaderGuacamoleReader does for both TCP
 * and TLS sockets; GuacamoleErrors pass through unchanged.
 * @param error the stream error
 * @returns ConnectionClosedError for resets, broken pipes and closed sockets; ServerError otherwise
 */
export function mapGuacdIoError(error: unknown): GuacamoleError {
  if (error instanceof GuacamoleError) return error;
  const code = codeOf(error);
  if (code !== undefined && CLOSED_CODES.has(code)) {
    return new ConnectionClosedError(CLOSED_MESSAGE, { cause: error });
  }
  return new ServerError(`I/O error on the connection to guacd: ${messageOf(error)}`, {
    cause: error,
  });
}

/**
 * Maps a failure while connecting (TCP connect and, for TLS, the TLS handshake).
 * Plain TCP follows InetGuacamoleSocket: a timeout is UpstreamTimeoutError("Connection timed out."), any
 * other failure a ServerError. TLS follows SSLGuacamoleSocket, whose constructor wraps every IOException,
 * the connect timeout included, in a GuacamoleServerException.
 * @param error the failure; a {@link ConnectTimeout} marks the connect timeout
 * @param address where the connection was going, named in ServerError messages
 * @returns the error to report
 */
export function mapConnectError(error: unknown, address: GuacdAddress): GuacamoleError {
  if (error instanceof GuacamoleError) return error;
  const timedOut = error instanceof ConnectTimeout;
  if (timedOut && !address.ssl) {
    return new UpstreamTimeoutError(CONNECT_TIMEOUT_MESSAGE, { cause: error });
  }
  const via = address.ssl ? ' over SSL/TLS' : '';
  const reason = timedOut ? CONNECT_TIMEOUT_MESSAGE : messageOf(error);
  return new ServerError(
    `Unable to connect to guacd at ${formatAddress(address)}${via}: ${reason}`,
    {
      cause: error,
    },
  );
}

/**
 * Wraps a parser failure on data received from guacd: guacd never sends malformed data, so this is a
 * server-side fault (512), never the client's.
 * @param error the parser's error
 * @returns a ServerError quoting the parser's message
 */
export function malformedDataError(error: GuacamoleError): ServerError {
  return new ServerError(`guacd sent malformed data: ${error.message}`, {
    cause: error,
    ...(error.code === undefined ? {} : { code: error.code }),
  });
}
