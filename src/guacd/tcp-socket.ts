/**
 * @module Connections to an external guacd over TCP or TLS (Java's InetGuacamoleSocket and
 * SSLGuacamoleSocket): connect timeout, TCP_NODELAY, and Java's exact error mapping.
 */
import net from 'node:net';
import tls from 'node:tls';
import { ConnectionClosedError, type GuacamoleError } from '../protocol/index.js';
import { ConnectTimeout, mapConnectError, mapGuacdIoError, type GuacdAddress } from './errors.js';
import { DEFAULT_READ_TIMEOUT_MS, StreamGuacdSocket, type GuacdSocket } from './socket.js';

/** Default connect timeout, Java's `SOCKET_TIMEOUT`. */
export const DEFAULT_CONNECT_TIMEOUT_MS = 15_000;

/** Options of {@link connectGuacd}. */
export interface ConnectGuacdOptions {
  /** Longest time to establish the connection (and the TLS handshake), in ms. Default: 15000. */
  readonly connectTimeoutMs?: number;
  /** The guacd host name or address. */
  readonly hostname: string;
  /** The guacd port, usually 4822. */
  readonly port: number;
  /** Longest wait for data while a read is pending, in ms; 0 disables it. Default: 15000. */
  readonly readTimeoutMs?: number;
  /** Abandons the attempt: the connection is torn down and the promise rejects. */
  readonly signal?: AbortSignal;
  /** Connect with TLS (`guacd-ssl`). Default: false. */
  readonly ssl?: boolean;
  /**
   * Extra TLS options (CA, client certificate, `rejectUnauthorized`, `checkServerIdentity`). Node verifies
   * the certificate chain and the host name by default; Java verified the chain only.
   */
  readonly tls?: tls.ConnectionOptions;
}

/**
 * Connects to guacd and returns the socket, ready for the handshake.
 * @param options where and how to connect
 * @returns the open socket
 * @throws {UpstreamTimeoutError} "Connection timed out." when a TCP connect exceeds the connect timeout
 * @throws {ServerError} naming host:port and the OS error when the connection is refused or fails; for TLS,
 *   on every failure including the timeout (as SSLGuacamoleSocket)
 * @throws {ConnectionClosedError} when `signal` aborts the attempt
 */
export async function connectGuacd(options: ConnectGuacdOptions): Promise<GuacdSocket> {
  return await open(options, (duplex) => {
    return new StreamGuacdSocket(duplex, {
      readTimeoutMs: options.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
      mapError: mapGuacdIoError,
    });
  });
}

function createConnection(options: ConnectGuacdOptions): net.Socket {
  const { hostname: host, port } = options;
  if (options.ssl !== true) {
    const socket = net.connect({ host, port });
    // GUACAMOLE-377: guacd's small interactive messages must not wait for Nagle's algorithm.
    socket.setNoDelay(true);
    return socket;
  }
  // Java sets TCP_NODELAY on plain sockets only; SNI is sent for names, never for IP literals.
  const servername = net.isIP(host) === 0 ? { servername: host } : {};
  return tls.connect({ ...servername, ...options.tls, host, port });
}

/**
 * Opens the connection and wraps it in the same tick as 'connect', so no error event can go unheard. On
 * failure the promise rejects only after the socket has fully closed, so no socket, timer or listener
 * outlives a failed attempt.
 */
async function open(
  options: ConnectGuacdOptions,
  wrap: (socket: net.Socket) => GuacdSocket,
): Promise<GuacdSocket> {
  const address: GuacdAddress = {
    hostname: options.hostname,
    port: options.port,
    ssl: options.ssl === true,
  };
  const timeoutMs = options.connectTimeoutMs ?? DEFAULT_CONNECT_TIMEOUT_MS;
  const { signal } = options;
  if (signal?.aborted === true) throw abortError(signal);
  let socket: net.Socket;
  try {
    socket = createConnection(options);
  } catch (error) {
    // Synchronous failures: an invalid port or TLS option.
    throw mapConnectError(error, address);
  }
  const readyEvent = address.ssl ? 'secureConnect' : 'connect';

  return await new Promise<GuacdSocket>((resolve, reject) => {
    let failure: GuacamoleError | undefined;
    const timer = setTimeout(() => {
      fail(new ConnectTimeout(timeoutMs));
    }, timeoutMs);
    const onReady = (): void => {
      detach();
      socket.off('error', onError);
      socket.off('close', onClose);
      resolve(wrap(socket));
    };
    const onError = (error: unknown): void => {
      fail(error);
    };
    const onClose = (): void => {
      detach();
      reject(failure ?? mapConnectError(new Error('Connection closed while connecting.'), address));
    };
    const onAbort = (): void => {
      fail(signal === undefined ? new Error('aborted') : abortError(signal));
    };
    function detach(): void {
      clearTimeout(timer);
      socket.off(readyEvent, onReady);
      signal?.removeEventListener('abort', onAbort);
    }
    function fail(cause: unknown): void {
      if (failure !== undefined) return;
      failure = mapConnectError(cause, address);
      detach();
      // The 'error' listener stays until 'close' so a late error on the dying socket is never unhandled.
      socket.destroy();
    }
    socket.once(readyEvent, onReady);
    socket.on('error', onError);
    socket.once('close', onClose);
    signal?.addEventListener('abort', onAbort, { once: true });
  });
}

function abortError(signal: AbortSignal): ConnectionClosedError {
  return new ConnectionClosedError('The connection to guacd was abandoned while connecting.', {
    cause: signal.reason,
  });
}
