/**
 * @module openRdp: a TCP connection and an RdpClient that has finished its first activation, with
 * guacd's status codes for failures (src/protocols/rdp/error.c): unreachable server or failed TLS 519,
 * timeout 514, a refused security negotiation or failed NLA authentication 769, a misbehaving server 515.
 */
import net from 'node:net';
import {
  UpstreamError,
  UpstreamNotFoundError,
  UpstreamTimeoutError,
  type GuacamoleError,
} from '../../protocol/index.js';
import { RdpClient, type RdpSettings } from '../rdp/index.js';

/** guacd's message when the RDP connection cannot be established. */
export const UNABLE_TO_CONNECT = 'Unable to connect to RDP server.';

/** The security modes the bundled client speaks. */
const SUPPORTED_SECURITY = new Set(['any', 'tls', 'nla', 'nla-ext', '']);

/**
 * Rejects security modes the bundled proxy cannot speak before any connection is made.
 * @param settings the parsed settings
 * @returns the error to fail with, or undefined when the mode is fine (`any`, `tls`, `nla`,
 *   `nla-ext`, empty)
 */
export function unsupportedSecurity(settings: RdpSettings): GuacamoleError | undefined {
  const mode = settings.security;
  if (SUPPORTED_SECURITY.has(mode)) return undefined;
  if (mode === 'vmconnect') {
    return new UpstreamError(
      'security=vmconnect (Hyper-V VMConnect) is not supported by the bundled proxy; use ' +
        'security=nla or security=any, or configure an external guacd.',
      { code: 'RDP_SECURITY_UNSUPPORTED' },
    );
  }
  return new UpstreamError(
    `security=${mode} (Standard RDP Security) is not supported by the bundled proxy; use ` +
      'security=tls, nla or any, or configure an external guacd.',
    { code: 'RDP_SECURITY_UNSUPPORTED' },
  );
}

/**
 * Connects and waits for the first activation.
 * @param settings the settings (with the size to request)
 * @param signal aborts the attempt
 * @param onReady called synchronously at `ready`, so that its listeners see every later update
 * @returns the ready client
 */
export async function openRdp(
  settings: RdpSettings,
  signal: AbortSignal,
  onReady: (client: RdpClient) => void,
): Promise<RdpClient> {
  const socket = net.connect({ host: settings.hostname, port: settings.port });
  socket.setNoDelay(true);
  const client = new RdpClient(socket, settings);
  await new Promise<void>((resolve, reject) => {
    const timer = setTimeout(() => {
      finish(new UpstreamTimeoutError(`${UNABLE_TO_CONNECT} Timed out.`));
    }, settings.timeout * 1000);
    const onAbort = () => {
      finish(new UpstreamNotFoundError('The connection was abandoned.'));
    };
    const finish = (error?: GuacamoleError) => {
      clearTimeout(timer);
      signal.removeEventListener('abort', onAbort);
      client.off('ready', ready);
      client.off('error', onError);
      client.off('close', onClose);
      if (error === undefined) {
        resolve();
        return;
      }
      client.close();
      client.removeAllListeners();
      reject(error);
    };
    const ready = () => {
      finish();
      onReady(client);
    };
    const onError = (error: GuacamoleError) => {
      // As guacd: transport and TLS failures are UPSTREAM_NOT_FOUND ("Connection failed.").
      const unreachable = error.code === 'RDP_SOCKET' || error.code === 'RDP_TLS';
      finish(
        unreachable
          ? new UpstreamNotFoundError(`${UNABLE_TO_CONNECT} ${error.message}`, {
              cause: error,
              code: error.code,
            })
          : error,
      );
    };
    const onClose = () => {
      finish(new UpstreamNotFoundError(`${UNABLE_TO_CONNECT} The server closed the connection.`));
    };
    client.on('ready', ready);
    client.on('error', onError);
    client.on('close', onClose);
    if (signal.aborted) onAbort();
    else signal.addEventListener('abort', onAbort);
  });
  return client;
}
