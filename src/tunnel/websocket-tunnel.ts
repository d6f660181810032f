/**
 * @module The WebSocket tunnel (GuacamoleWebSocketTunnelEndpoint) on `ws`: subprotocol `guacamole`, the
 * UUID first, whole instructions per frame, ping echo, numeric close reasons, backpressure both ways.
 */
import type { IncomingMessage } from 'node:http';
import { isUtf8 } from 'node:buffer';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import {
  ClientBadTypeError,
  ConnectionClosedError,
  GuacamoleStatus,
  INTERNAL_OPCODE,
  Parser,
  ResourceNotFoundError,
  SecurityError,
  encodeInstruction,
  type StatusEntry,
} from '../protocol/index.js';
import { asGuacamoleError } from './http-errors.js';
import { SILENT_LOGGER, type TunnelLogger } from './logger.js';
import { isOriginAllowed, type OriginPolicy } from './origin-policy.js';
import type { Tunnel } from './tunnel.js';
import { addUrlEncoded, createTunnelRequest, type ConnectTunnel } from './tunnel-request.js';

/** The subprotocol Guacamole.WebSocketTunnel asks for. */
export const SUBPROTOCOL = 'guacamole';
/** How long queued browser messages may take to reach guacd after the WebSocket closed. */
const CLOSE_GRACE_MS = 1000;
/** Frames are flushed once this many bytes of whole instructions are collected (Java: 8192 chars). */
export const FRAME_BYTES = 8192;

/** Options of {@link createWebSocketTunnel}. */
export interface WebSocketTunnelOptions {
  /** Opens the tunnel for an upgrade request (the endpoint's `createTunnel`). */
  readonly connect: ConnectTunnel;
  /** Browser origins allowed to connect. Default: `'same-origin'`. */
  readonly allowedOrigins?: OriginPolicy;
  /** Largest inbound message, in bytes; larger ones close with 1009. Default: 1 MiB. */
  readonly maxMessageBytes?: number;
  /** Bytes queued on the WebSocket before reading from guacd pauses. Default: 1 MiB. */
  readonly highWaterMark?: number;
  /** Logger. Default: silent. */
  readonly logger?: TunnelLogger;
  /** Called once a tunnel is open, before the UUID is sent (e.g. to index it in a session). */
  readonly onTunnelOpened?: (tunnel: Tunnel) => void;
}

/** The WebSocket endpoint: hand it upgrade requests for its path. */
export interface WebSocketTunnel {
  /** Completes the upgrade and runs the tunnel session. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every open session with SERVER_BUSY-free success (1001 is not a Guacamole code). */
  close(): void;
}

/**
 * Closes a WebSocket the Guacamole way: the close code from the status table, the decimal Guacamole
 * status code as the reason (guacamole-common-js does `parseInt(event.reason)`).
 * @param ws the socket
 * @param status the status
 */
export function closeWithStatus(ws: WebSocket, status: StatusEntry): void {
  if (ws.readyState === ws.CLOSING || ws.readyState === ws.CLOSED) return;
  ws.close(status.ws, String(status.guac));
}

/**
 * Creates the WebSocket tunnel endpoint.
 * @param options the connect callback, origin policy and limits
 * @returns the endpoint
 */
export function createWebSocketTunnel(options: WebSocketTunnelOptions): WebSocketTunnel {
  const log = options.logger ?? SILENT_LOGGER;
  const wss = new WebSocketServer({
    noServer: true,
    perMessageDeflate: false,
    maxPayload: options.maxMessageBytes ?? 1 << 20,
    handleProtocols: (protocols) => (protocols.has(SUBPROTOCOL) ? SUBPROTOCOL : false),
  });
  return {
    handleUpgrade(req, socket, head) {
      wss.handleUpgrade(req, socket, head, (ws) => {
        // ws reports protocol violations (an oversized message, invalid UTF-8) as 'error' after closing
        // with the matching code; unheard, that event would be an uncaught exception ending the process.
        ws.on('error', (error) => {
          log.debug(`WebSocket protocol error: ${error.message}`);
        });
        runSession(ws, req, options, log).catch((error: unknown) => {
          log.error(`WebSocket tunnel failed: ${asGuacamoleError(error).message}`);
          closeWithStatus(ws, GuacamoleStatus.SERVER_ERROR);
        });
      });
    },
    close() {
      for (const ws of wss.clients) closeWithStatus(ws, GuacamoleStatus.SUCCESS);
      wss.close();
    },
  };
}

async function runSession(
  ws: WebSocket,
  req: IncomingMessage,
  options: WebSocketTunnelOptions,
  log: TunnelLogger,
): Promise<void> {
  let tunnel: Tunnel | null | undefined;
  try {
    if (!isOriginAllowed(req, options.allowedOrigins ?? 'same-origin')) {
      throw new SecurityError(`Origin "${req.headers.origin ?? ''}" may not open tunnels.`);
    }
    const parameters = new Map<string, string[]>();
    const url = req.url ?? '';
    const mark = url.indexOf('?');
    if (mark >= 0) addUrlEncoded(parameters, url.slice(mark + 1));
    tunnel = await options.connect(createTunnelRequest('websocket', req, parameters));
    if (!tunnel) throw new ResourceNotFoundError('No tunnel created.');
  } catch (error) {
    const failure = asGuacamoleError(error);
    log.warn(`WebSocket tunnel connect failed: ${failure.message}`);
    closeWithStatus(ws, failure.status);
    return;
  }
  const open = tunnel;
  if (ws.readyState !== ws.OPEN) {
    open.close();
    return;
  }
  options.onTunnelOpened?.(open);
  log.info(`Tunnel ${open.uuid} opened over WebSocket.`);
  ws.send(encodeInstruction(INTERNAL_OPCODE, open.uuid));
  const inbound = receiveMessages(ws, open, log);
  ws.on('close', () => {
    // What the browser sent last (often `disconnect`) still reaches guacd before the connection closes,
    // unless guacd has stopped reading: then it is closed after a grace period.
    const grace = setTimeout(() => {
      open.close();
    }, CLOSE_GRACE_MS);
    void inbound.drained().then(() => {
      clearTimeout(grace);
      open.close();
    });
  });
  await relay(ws, open, options.highWaterMark ?? 1 << 20, log);
}

/** guacd → browser: whole instructions, up to FRAME_BYTES per frame, pausing while the browser lags. */
async function relay(ws: WebSocket, tunnel: Tunnel, highWaterMark: number, log: TunnelLogger) {
  // Held for the whole session and never released, as the Java endpoint does.
  await tunnel.acquireReader();
  try {
    for (;;) {
      const burst = await tunnel.read(FRAME_BYTES);
      if (burst === null || ws.readyState !== ws.OPEN) break;
      await send(ws, asText(burst), highWaterMark);
      if (!(await sendBuffered(ws, tunnel, highWaterMark))) break;
    }
    closeWithStatus(ws, GuacamoleStatus.SUCCESS);
  } catch (error) {
    const failure = asGuacamoleError(error);
    if (failure instanceof ConnectionClosedError) {
      log.debug(`Tunnel ${tunnel.uuid} closed: ${failure.message}`);
      closeWithStatus(ws, GuacamoleStatus.SUCCESS);
    } else {
      log.warn(`Tunnel ${tunnel.uuid} failed: ${failure.message}`);
      closeWithStatus(ws, failure.status);
    }
  } finally {
    tunnel.close();
  }
}

/** Text frames must be valid UTF-8; a broken guacd must not make the browser drop the socket. */
function asText(burst: Buffer): Buffer {
  return isUtf8(burst) ? burst : Buffer.from(burst.toString('utf8'));
}

/** Most frames sent back to back in one socket write. */
const MAX_CORKED_FRAMES = 16;

/**
 * Sends, as further 8 KiB frames, what guacd has already sent, corking the socket so the frames leave in
 * one write instead of one system call each (ws exposes no cork of its own; `_socket` is its net.Socket).
 * Stops before the send buffer would reach the high-water mark, since a corked socket cannot drain.
 * @returns false at end of stream
 */
async function sendBuffered(
  ws: WebSocket,
  tunnel: Tunnel,
  highWaterMark: number,
): Promise<boolean> {
  const reader = tunnel.socket.reader;
  // While streams are intercepted a read may filter down to nothing and wait: never while corked.
  if (!reader.available() || tunnel.streams.active) return true;
  const socket = (ws as unknown as { _socket?: Duplex })._socket;
  socket?.cork();
  try {
    for (let sent = 0; sent < MAX_CORKED_FRAMES && reader.available(); sent++) {
      if (ws.bufferedAmount + 2 * FRAME_BYTES >= highWaterMark || ws.readyState !== ws.OPEN) break;
      const burst = await tunnel.read(FRAME_BYTES);
      if (burst === null) return false;
      ws.send(asText(burst), { binary: false });
    }
  } finally {
    socket?.uncork();
  }
  return true;
}

/** Sends one text frame; waits for it to be flushed only when too much is queued. */
function send(ws: WebSocket, frame: Buffer, highWaterMark: number): Promise<void> {
  return new Promise((resolve, reject) => {
    if (ws.bufferedAmount < highWaterMark) {
      ws.send(frame, { binary: false });
      resolve();
      return;
    }
    ws.send(frame, { binary: false }, (error) => {
      if (error) reject(new ConnectionClosedError('The WebSocket closed.', { cause: error }));
      else resolve();
    });
  });
}

/** browser → guacd: each message parsed on its own; internal instructions dropped, pings echoed. */
function receiveMessages(
  ws: WebSocket,
  tunnel: Tunnel,
  log: TunnelLogger,
): { drained(): Promise<void> } {
  const queue: string[] = [];
  let busy = false;
  let idle: (() => void)[] = [];
  const writeNext = async (): Promise<void> => {
    busy = true;
    for (let text = queue.shift(); text !== undefined; text = queue.shift()) {
      const release = await tunnel.acquireWriter();
      try {
        await tunnel.socket.writer.write(text);
      } catch (error) {
        log.debug(`Write to tunnel ${tunnel.uuid} failed: ${asGuacamoleError(error).message}`);
      } finally {
        release();
      }
    }
    busy = false;
    ws.resume();
    const waiting = idle;
    idle = [];
    for (const resolve of waiting) resolve();
  };
  ws.on('message', (data: RawData, isBinary: boolean) => {
    if (isBinary) {
      closeWithStatus(ws, new ClientBadTypeError('Binary messages are not supported.').status);
      return;
    }
    const forward = filterMessage(ws, rawText(data), tunnel, log);
    if (forward === '') return;
    queue.push(forward);
    if (busy) {
      ws.pause();
      return;
    }
    void writeNext();
  });
  return {
    drained: () => (busy ? new Promise<void>((resolve) => idle.push(resolve)) : Promise.resolve()),
  };
}

/** Parses one message; returns what to forward to guacd (raw text of its non-internal instructions). */
function filterMessage(ws: WebSocket, text: string, tunnel: Tunnel, log: TunnelLogger): string {
  const parser = new Parser();
  let forward = '';
  try {
    parser.receive(text, (instruction) => {
      if (instruction.opcode !== INTERNAL_OPCODE) {
        forward += instruction.toString();
        return;
      }
      const [kind, timestamp] = instruction.args;
      if (kind === 'ping' && timestamp !== undefined) {
        ws.send(encodeInstruction(INTERNAL_OPCODE, 'ping', timestamp));
      }
    });
    if (parser.hasPartial) log.debug(`Tunnel ${tunnel.uuid}: message ends inside an instruction.`);
  } catch (error) {
    log.debug(
      `Tunnel ${tunnel.uuid}: malformed message dropped: ${asGuacamoleError(error).message}`,
    );
  }
  return forward;
}

function rawText(data: RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
