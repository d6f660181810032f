/**
 * @module The `vnc` protocol plugin: guacd's VNC arguments, a TCP connection and RFB handshake to the
 * owner's hostname and port, then a VncSession. A missing password (or VeNCrypt username) is asked of
 * an owner speaking protocol 1.3.0+ with `required`, as guacd does. Failures map to guacd's status codes:
 * unreachable server, failed authentication or TLS 519, missing credentials an older client cannot
 * supply 769, a misbehaving server 515.
 */
import net from 'node:net';
import {
  UnauthorizedError,
  UpstreamNotFoundError,
  type GuacamoleError,
  type GuacamoleErrorOptions,
} from '../../protocol/index.js';
import { canPrompt } from '../argument-prompt.js';
import type { ConnectionContext, ProtocolPlugin } from '../plugin.js';
import {
  RfbAuthenticationError,
  RfbProtocolError,
  VNC_ARGS,
  VncClient,
  clientOptions,
  parseVncSettings,
  type VncTlsOptions,
} from '../vnc/index.js';
import { credentialPrompt } from './credential-prompt.js';
import { VncSession } from './session.js';

/** Options of {@link createVncPlugin}. */
export interface VncPluginOptions {
  /** Longest wait for the TCP connection and the RFB handshake together, in ms. Default: 15 000. */
  readonly connectTimeoutMs?: number;
  /**
   * How VeNCrypt's X509 sub-types verify server certificates (guacd has no parameter for this; its
   * libvncclient asks for X509 credentials it never supplies). The certificate must name `hostname`.
   */
  readonly tls?: Omit<VncTlsOptions, 'host'>;
}

/** guacd's message when the VNC connection cannot be established. */
export const UNABLE_TO_CONNECT = 'Unable to connect to VNC server.';

/**
 * Creates the `vnc` protocol plugin.
 * @param options the connect timeout
 * @returns a plugin for ProxyServer
 */
export function createVncPlugin(options: VncPluginOptions = {}): ProtocolPlugin {
  const timeoutMs = options.connectTimeoutMs ?? 15_000;
  return {
    name: 'vnc',
    args: VNC_ARGS,
    connect: (context) => connectVnc(context, timeoutMs, options.tls ?? {}),
  };
}

/** The `vnc` plugin with default options. */
export const vncPlugin: ProtocolPlugin = createVncPlugin();

async function connectVnc(
  context: ConnectionContext,
  timeoutMs: number,
  tls: Omit<VncTlsOptions, 'host'>,
): Promise<VncSession> {
  const settings = parseVncSettings(Object.fromEntries(context.owner.parameters));
  const { hostname, port } = settings;
  if (hostname === '') throw new UpstreamNotFoundError(`${UNABLE_TO_CONNECT} No hostname given.`);
  context.log('info', `Connecting to VNC server ${hostname}:${port}.`);
  const socket = net.connect({ host: hostname, port });
  socket.setNoDelay(true);
  const { width, height } = context.owner.info;
  // The connect timer stops while the owner is asked for credentials (guacd waits without a limit).
  let pauseTimer = (): void => undefined;
  let resumeTimer = (): void => undefined;
  const prompt = canPrompt(context.owner)
    ? credentialPrompt(context, {
        asking: () => {
          pauseTimer();
        },
        answered: () => {
          resumeTimer();
        },
      })
    : undefined;
  const client = new VncClient(socket, {
    // guacd's options, `quality-level` included: Tight JPEG rects then pass straight through.
    ...clientOptions(settings),
    credentialPrompt: prompt,
    tls: { ...tls, host: hostname },
    // As guacd 1.6: the owner's size, once the server shows it accepts SetDesktopSize.
    desktopSize: settings['disable-display-resize'] ? undefined : { width, height },
  });
  const session = new VncSession(context, client, settings);
  await new Promise<void>((resolve, reject) => {
    const onTimeout = () => {
      finish(new UpstreamNotFoundError(`${UNABLE_TO_CONNECT} Timed out.`));
    };
    let settled = false;
    let timer: NodeJS.Timeout | undefined = setTimeout(onTimeout, timeoutMs);
    pauseTimer = () => {
      clearTimeout(timer);
      timer = undefined;
    };
    resumeTimer = () => {
      if (timer === undefined && !settled) timer = setTimeout(onTimeout, timeoutMs);
    };
    const onAbort = () => {
      finish(new UpstreamNotFoundError('The connection was abandoned.'));
    };
    const finish = (error?: GuacamoleError) => {
      settled = true;
      clearTimeout(timer);
      context.signal.removeEventListener('abort', onAbort);
      client.off('ready', onReady);
      client.off('error', onError);
      client.off('close', onClose);
      if (error === undefined) {
        // Attached synchronously: the chunk that completed the handshake may already hold a bad rect.
        client.on('error', (failure) => {
          session.fail(failure);
        });
        client.on('close', () => {
          session.fail(undefined);
        });
        resolve();
        return;
      }
      session.close();
      reject(error);
    };
    const onReady = () => {
      finish();
    };
    const onError = (error: GuacamoleError) => {
      finish(handshakeError(error));
    };
    const onClose = () => {
      finish(new UpstreamNotFoundError(UNABLE_TO_CONNECT));
    };
    client.on('ready', onReady);
    client.on('error', onError);
    client.on('close', onClose);
    if (context.signal.aborted) onAbort();
    else context.signal.addEventListener('abort', onAbort);
  });
  const init = client.serverInit;
  context.log('info', `VNC connection established (${init?.width}x${init?.height}).`);
  return session;
}

/**
 * Maps a failure before the handshake completed to guacd's status codes.
 * @param error the VncClient's error
 * @returns the error to abort the connection with
 */
export function handshakeError(error: GuacamoleError): GuacamoleError {
  // The owner did not answer `required` (it left, or the connection ended): 769 as it stands.
  if (error instanceof UnauthorizedError) return error;
  if (error instanceof RfbAuthenticationError) {
    if (error.code === 'RFB_PASSWORD_REQUIRED') {
      return new UnauthorizedError('The VNC server requires a password.', { cause: error });
    }
    if (error.code === 'RFB_CREDENTIALS_REQUIRED') {
      const message = 'The VNC server requires a username and password.';
      return new UnauthorizedError(message, { cause: error });
    }
    return new UpstreamNotFoundError(`${UNABLE_TO_CONNECT} ${error.message}`, causedBy(error));
  }
  if (error instanceof RfbProtocolError) return error;
  return new UpstreamNotFoundError(`${UNABLE_TO_CONNECT} ${error.message}`, causedBy(error));
}

function causedBy(error: GuacamoleError): GuacamoleErrorOptions {
  return error.code === undefined ? { cause: error } : { cause: error, code: error.code };
}
