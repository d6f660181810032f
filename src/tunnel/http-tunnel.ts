/**
 * @module The HTTP tunnel (GuacamoleHTTPTunnelServlet): `?connect`, `?read:…` and `?write:…` on one path,
 * byte-compatible with Guacamole.HTTPTunnel. Mount the handler wherever the servlet was (`<base>/tunnel`).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import {
  ClientError,
  ClientOverrunError,
  ConnectionClosedError,
  ResourceNotFoundError,
  SecurityError,
  ServerError,
} from '../protocol/index.js';
import { sendTunnelError } from './http-errors.js';
import { SILENT_LOGGER, type TunnelLogger } from './logger.js';
import { isOriginAllowed, type OriginPolicy } from './origin-policy.js';
import { HANDED_OFF, type Tunnel } from './tunnel.js';
import { TunnelRegistry } from './tunnel-registry.js';
import { addUrlEncoded, createTunnelRequest, type ConnectTunnel } from './tunnel-request.js';

/** The header carrying the HTTP tunnel token after connect. */
export const TUNNEL_TOKEN_HEADER = 'Guacamole-Tunnel-Token';
/** Marks the end of every read response: an internal instruction with no arguments. */
export const END_OF_RESPONSE = '0.;';
const READ_PREFIX = 'read:';
const WRITE_PREFIX = 'write:';

/** Options of {@link createHttpTunnelHandler}. */
export interface HttpTunnelOptions {
  /** Browser origins allowed to connect. Default: `'same-origin'`. */
  readonly allowedOrigins?: OriginPolicy;
  /** Opens the tunnel for a connect request (the servlet's `doConnect`). */
  readonly connect: ConnectTunnel;
  /** Largest connect body accepted, in bytes. Default: 1 MiB. */
  readonly maxConnectBodyBytes?: number;
  /** Soft limit on the bytes read from guacd per write to the response. Default: 64 KiB. */
  readonly maxBurstBytes?: number;
  /** Where tunnels live; one per handler by default, as one map per servlet in Java. */
  readonly registry?: TunnelRegistry;
  /** Logger. Default: silent. */
  readonly logger?: TunnelLogger;
  /** Called after a tunnel is registered (e.g. to index it by UUID in a session). */
  readonly onTunnelOpened?: (tunnel: Tunnel) => void;
}

/** A Node/Express request handler with the registry it owns. */
export interface HttpTunnelHandler {
  (req: IncomingMessage, res: ServerResponse): void;
  /** The registry of this endpoint's tunnels; call `shutdown()` when the server stops. */
  readonly registry: TunnelRegistry;
}

/**
 * Creates the HTTP tunnel endpoint. It answers GET and POST alike, as the servlet does.
 * @param options the connect callback and limits
 * @returns a handler to mount at the tunnel path
 */
export function createHttpTunnelHandler(options: HttpTunnelOptions): HttpTunnelHandler {
  const registry = options.registry ?? new TunnelRegistry();
  const log = options.logger ?? SILENT_LOGGER;
  const ctx: Context = {
    registry,
    log,
    options,
    maxBurst: options.maxBurstBytes ?? 64 * 1024,
  };
  const handler = (req: IncomingMessage, res: ServerResponse): void => {
    handle(ctx, req, res).catch((error: unknown) => {
      sendTunnelError(res, error, log);
    });
  };
  return Object.assign(handler, { registry });
}

interface Context {
  readonly registry: TunnelRegistry;
  readonly log: TunnelLogger;
  readonly options: HttpTunnelOptions;
  readonly maxBurst: number;
}

async function handle(ctx: Context, req: IncomingMessage, res: ServerResponse): Promise<void> {
  const url = req.url ?? '';
  const mark = url.indexOf('?');
  if (mark < 0) throw new ClientError('No query string provided.');
  const query = url.slice(mark + 1);
  if (query === 'connect') {
    await connect(ctx, req, res, query);
    return;
  }
  const token = req.headers[TUNNEL_TOKEN_HEADER.toLowerCase()];
  if (typeof token !== 'string') {
    throw new ClientError(
      'The HTTP tunnel session token is required for all requests after connecting.',
    );
  }
  if (query.startsWith(READ_PREFIX)) await read(ctx, res, token);
  else if (query.startsWith(WRITE_PREFIX)) await write(ctx, req, res, token);
  else throw new ClientError(`Invalid tunnel operation: ${query}`);
}

async function connect(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  query: string,
): Promise<void> {
  if (!isOriginAllowed(req, ctx.options.allowedOrigins ?? 'same-origin')) {
    throw new SecurityError(`Origin "${req.headers.origin ?? ''}" may not open tunnels.`);
  }
  const parameters = new Map<string, string[]>();
  addUrlEncoded(parameters, query);
  const type = req.headers['content-type'] ?? '';
  if (req.method === 'POST' && /^application\/x-www-form-urlencoded\b/i.test(type)) {
    addUrlEncoded(parameters, await readBody(req, ctx.options.maxConnectBodyBytes ?? 1 << 20));
  }
  const tunnel = await ctx.options.connect(createTunnelRequest('http', req, parameters));
  if (!tunnel) throw new ResourceNotFoundError('No tunnel created.');
  const token = ctx.registry.register(tunnel);
  ctx.options.onTunnelOpened?.(tunnel);
  ctx.log.info(`Tunnel ${tunnel.uuid} opened over HTTP.`);
  res.statusCode = 200;
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader(TUNNEL_TOKEN_HEADER, token);
  res.end(tunnel.uuid);
}

function lookup(ctx: Context, token: string): Tunnel {
  const tunnel = ctx.registry.get(token);
  if (!tunnel) throw new ResourceNotFoundError('No such tunnel.');
  return tunnel;
}

function deregister(ctx: Context, token: string, tunnel: Tunnel): void {
  ctx.registry.remove(token);
  tunnel.close();
}

/** Streams whole instructions until a newer read is waiting, then ends with `0.;`. */
async function read(ctx: Context, res: ServerResponse, token: string): Promise<void> {
  const tunnel = lookup(ctx, token);
  if (!tunnel.isOpen()) throw new ResourceNotFoundError('Tunnel is closed.');
  const release = await tunnel.acquireReader();
  const client = watchClient(res);
  try {
    res.statusCode = 200;
    // octet-stream, because WebKit buffers the first 1024 bytes of other types before streaming.
    res.setHeader('Content-Type', 'application/octet-stream');
    res.setHeader('Cache-Control', 'no-cache');
    // The first read waits for data whatever happens: every response carries at least one instruction,
    // and its headers (which make the client send its next read) go out only with that data.
    let burst: Buffer | null | typeof HANDED_OFF = await client.unlessGone(
      tunnel.read(ctx.maxBurst),
    );
    if (burst === null) throw new ConnectionClosedError('Tunnel reached end of stream.');
    for (;;) {
      if (res.destroyed) throw new ServerError('The client closed the read request.');
      if (!res.write(burst)) await drained(res);
      if (tunnel.hasQueuedReaders() || !tunnel.isOpen()) break;
      // Java only notices a newer read after guacd sends more; we hand over as soon as one waits.
      burst = await client.unlessGone(tunnel.readUnlessQueued(ctx.maxBurst));
      if (burst === HANDED_OFF) break;
      if (burst === null) {
        deregister(ctx, token, tunnel);
        break;
      }
    }
    res.end(END_OF_RESPONSE);
  } catch (error) {
    deregister(ctx, token, tunnel);
    if (error instanceof ConnectionClosedError) {
      ctx.log.debug(`Tunnel ${tunnel.uuid} closed: ${error.message}`);
      if (!res.destroyed) res.end(END_OF_RESPONSE);
      return;
    }
    // The servlet has committed an empty 200 by now, so the error only ends the body (no `0.;`).
    const reason = error instanceof Error ? error.message : String(error);
    ctx.log.error(`Tunnel ${tunnel.uuid} failed while reading: ${reason}`);
    if (!res.destroyed) res.end();
  } finally {
    client.dispose();
    release();
  }
}

/**
 * Watches a read response for the client going away. Java notices only on its next write, so a quiet guacd
 * kept the connection open; here a dropped read closes the tunnel at once, as a failed write would.
 */
function watchClient(res: ServerResponse): {
  unlessGone<T>(promise: Promise<T>): Promise<T>;
  dispose(): void;
} {
  let onClose = (): void => undefined;
  const gone = new Promise<never>((_resolve, reject) => {
    onClose = () => {
      reject(new ServerError('The client closed the read request.'));
    };
    if (res.destroyed) onClose();
    else res.once('close', onClose);
  });
  gone.catch(() => undefined);
  return {
    async unlessGone<T>(promise: Promise<T>): Promise<T> {
      // An abandoned read fails once the tunnel closes; nobody waits for it any more.
      promise.catch(() => undefined);
      return await Promise.race([promise, gone]);
    },
    dispose: () => res.off('close', onClose),
  };
}

/** Streams the body to guacd unparsed; answers 200 with an empty body even if guacd has closed. */
async function write(
  ctx: Context,
  req: IncomingMessage,
  res: ServerResponse,
  token: string,
): Promise<void> {
  const tunnel = lookup(ctx, token);
  res.setHeader('Content-Type', 'application/octet-stream');
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Content-Length', '0');
  const release = await tunnel.acquireWriter();
  try {
    for await (const chunk of req) {
      if (!tunnel.isOpen()) break;
      await tunnel.socket.writer.write(chunk as Buffer);
    }
  } catch (error) {
    if (!(error instanceof ConnectionClosedError)) {
      deregister(ctx, token, tunnel);
      throw new ServerError(
        `I/O Error sending data to server: ${error instanceof Error ? error.message : String(error)}`,
        { cause: error },
      );
    }
    ctx.log.debug('Write to a closed tunnel ignored.');
  } finally {
    release();
  }
  res.statusCode = 200;
  res.end();
}

/** Waits until a response can take more data; rejects if the client went away. */
function drained(res: ServerResponse): Promise<void> {
  return new Promise((resolve, reject) => {
    if (res.destroyed) {
      reject(new ServerError('The client closed the read request.'));
      return;
    }
    const onDrain = (): void => {
      res.off('close', onClose);
      resolve();
    };
    const onClose = (): void => {
      res.off('drain', onDrain);
      reject(new ServerError('The client closed the read request.'));
    };
    res.once('drain', onDrain);
    res.once('close', onClose);
  });
}

/** Reads a request body up to a limit. */
async function readBody(req: IncomingMessage, limit: number): Promise<string> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > limit) throw new ClientOverrunError('Request body/entity too large.');
    chunks.push(chunk as Buffer);
  }
  return Buffer.concat(chunks).toString('utf8');
}
