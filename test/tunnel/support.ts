/**
 * @module TunnelServer: an `http.Server` on 127.0.0.1, port 0, serving the HTTP tunnel at `/tunnel` and
 * WebSocket upgrades at `/websocket-tunnel`, whose connect callback really connects to a (fake) guacd:
 * connectGuacd → configureSocket → new Tunnel. Tests choose per server how connects behave (throw, return
 * null, short timeouts, a registry with a fake clock) and close everything in `after` hooks.
 */
import { once } from 'node:events';
import http from 'node:http';
import type { Socket } from 'node:net';
import { connectGuacd, configureSocket, type GuacdSocket } from '../../src/guacd/index.js';
import {
  GuacamoleConfiguration,
  defaultClientInformation,
  type GuacamoleError,
} from '../../src/protocol/index.js';
import {
  Tunnel,
  createHttpTunnelHandler,
  createWebSocketTunnel,
  type ConnectTunnel,
  type HttpTunnelHandler,
  type OriginPolicy,
  type TunnelLogger,
  type TunnelRegistry,
  type TunnelRequest,
  type WebSocketTunnel,
} from '../../src/tunnel/index.js';

/** Where the default connect callback finds guacd (a FakeGuacd fits). */
export interface GuacdTarget {
  readonly host: string;
  readonly port: number;
}

/** Options of {@link TunnelServer.start}; without `connect`, `guacd` is required. */
export interface TunnelServerOptions {
  /** The guacd the default connect callback connects to. */
  readonly guacd?: GuacdTarget;
  /** guacd read timeout of the default connect callback, in ms. Default: connectGuacd's (15 s). */
  readonly readTimeoutMs?: number;
  /** Wraps each configured guacd socket before the Tunnel is built (to simulate odd states). */
  readonly wrapSocket?: (socket: GuacdSocket) => GuacdSocket;
  /** Replaces the default connect callback. */
  readonly connect?: ConnectTunnel;
  /** The HTTP tunnel's registry. Default: the handler's own. */
  readonly registry?: TunnelRegistry;
  /** Origin policy of both endpoints. Default: theirs (same-origin). */
  readonly allowedOrigins?: OriginPolicy;
  /** Logger of both endpoints. Default: silent. */
  readonly logger?: TunnelLogger;
  /** The HTTP tunnel's burst size. */
  readonly maxBurstBytes?: number;
  /** The WebSocket tunnel's inbound message limit. */
  readonly maxMessageBytes?: number;
  /** The WebSocket tunnel's outbound high-water mark. */
  readonly highWaterMark?: number;
}

/**
 * A connect callback that always throws.
 * @param error the error to throw
 * @returns the callback
 */
export function throwing(error: GuacamoleError): ConnectTunnel {
  return () => Promise.reject(error);
}

/** A connect callback that creates no tunnel (RESOURCE_NOT_FOUND). */
export const returningNull: ConnectTunnel = () => Promise.resolve(null);

/**
 * The default connect callback: a real TCP connection and handshake. The protocol comes from the `protocol`
 * parameter (default `rdp`); every other non-`GUAC_` parameter becomes a connection parameter, so tests can
 * see what reached guacd; `GUAC_IMAGE` values become the image mimetypes.
 * @param options target, timeouts and socket wrapper
 * @returns the callback
 */
export function viaGuacd(options: TunnelServerOptions & { readonly guacd: GuacdTarget }) {
  return async (request: TunnelRequest): Promise<Tunnel> => {
    const socket = await connectGuacd({
      hostname: options.guacd.host,
      port: options.guacd.port,
      ...(options.readTimeoutMs === undefined ? {} : { readTimeoutMs: options.readTimeoutMs }),
    });
    const parameters = new Map<string, string>();
    for (const name of request.getParameterNames()) {
      const value = request.getParameter(name);
      if (!name.startsWith('GUAC_') && name !== 'protocol' && value !== undefined) {
        parameters.set(name, value);
      }
    }
    const config = new GuacamoleConfiguration({
      protocol: request.getParameter('protocol') ?? 'rdp',
      parameters,
    });
    const info = defaultClientInformation();
    info.imageMimetypes = [...request.getParameterValues('GUAC_IMAGE')];
    const configured = await configureSocket(socket, config, info);
    return new Tunnel(options.wrapSocket ? options.wrapSocket(configured) : configured);
  };
}

/** The server under test, with both endpoints and a record of what the connect callback saw. */
export class TunnelServer {
  readonly http: HttpTunnelHandler;
  readonly ws: WebSocketTunnel;
  /** Every request the connect callback received. */
  readonly requests: TunnelRequest[] = [];
  /** Every tunnel the connect callback opened. */
  readonly tunnels: Tunnel[] = [];
  readonly #server: http.Server;
  readonly #sockets = new Set<Socket>();
  #waiters: (() => void)[] = [];

  private constructor(options: TunnelServerOptions) {
    let connect = options.connect;
    if (connect === undefined) {
      const guacd = options.guacd;
      if (guacd === undefined) throw new Error('TunnelServer needs `guacd` or `connect`.');
      connect = viaGuacd({ ...options, guacd });
    }
    const inner = connect;
    const recording: ConnectTunnel = async (request) => {
      this.requests.push(request);
      const tunnel = await inner(request);
      if (tunnel) this.tunnels.push(tunnel);
      return tunnel;
    };
    const common = {
      connect: recording,
      ...(options.allowedOrigins === undefined ? {} : { allowedOrigins: options.allowedOrigins }),
      ...(options.logger === undefined ? {} : { logger: options.logger }),
    };
    this.http = createHttpTunnelHandler({
      ...common,
      ...(options.registry === undefined ? {} : { registry: options.registry }),
      ...(options.maxBurstBytes === undefined ? {} : { maxBurstBytes: options.maxBurstBytes }),
    });
    this.ws = createWebSocketTunnel({
      ...common,
      ...(options.maxMessageBytes === undefined
        ? {}
        : { maxMessageBytes: options.maxMessageBytes }),
      ...(options.highWaterMark === undefined ? {} : { highWaterMark: options.highWaterMark }),
    });
    this.#server = http.createServer((req, res) => {
      if (pathOf(req) === '/tunnel') this.http(req, res);
      else res.writeHead(404).end();
    });
    this.#server.on('upgrade', (req: http.IncomingMessage, socket: Socket, head: Buffer) => {
      if (pathOf(req) === '/websocket-tunnel') this.ws.handleUpgrade(req, socket, head);
      else socket.destroy();
    });
    this.#server.on('connection', (socket: Socket) => {
      this.#sockets.add(socket);
      socket.once('close', () => {
        this.#sockets.delete(socket);
        const waiters = this.#waiters;
        this.#waiters = [];
        for (const resolve of waiters) resolve();
      });
    });
  }

  /**
   * Starts a server on 127.0.0.1, port 0.
   * @param options how connects behave
   * @returns the listening server
   */
  static async start(options: TunnelServerOptions): Promise<TunnelServer> {
    const server = new TunnelServer(options);
    server.#server.listen(0, '127.0.0.1');
    await once(server.#server, 'listening');
    return server;
  }

  /** The listening port. */
  get port(): number {
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('Not listening.');
    return address.port;
  }

  /** `http://127.0.0.1:<port>`: the server's own origin. */
  get origin(): string {
    return `http://127.0.0.1:${this.port}`;
  }

  /** Client connections currently open to this server. */
  get openConnections(): number {
    return this.#sockets.size;
  }

  /**
   * Resolves once at most `count` client connections are open.
   * @param count the number of connections
   */
  async whenConnections(count: number): Promise<void> {
    while (this.#sockets.size > count) {
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** Closes every session and tunnel, then the server; resolves when every connection is gone. */
  async close(): Promise<void> {
    this.ws.close();
    this.http.registry.shutdown();
    for (const tunnel of this.tunnels) tunnel.close();
    const closed = once(this.#server, 'close');
    this.#server.close();
    this.#server.closeAllConnections();
    for (const socket of this.#sockets) socket.destroy();
    await closed;
  }
}

function pathOf(req: http.IncomingMessage): string {
  const url = req.url ?? '';
  const mark = url.indexOf('?');
  return mark < 0 ? url : url.slice(0, mark);
}

/** A logger that keeps every line, to check what the tunnels log (and that tokens never appear). */
export class CapturingLogger implements TunnelLogger {
  readonly lines: string[] = [];
  debug(message: string): void {
    this.lines.push(`debug ${message}`);
  }
  info(message: string): void {
    this.lines.push(`info ${message}`);
  }
  warn(message: string): void {
    this.lines.push(`warn ${message}`);
  }
  error(message: string): void {
    this.lines.push(`error ${message}`);
  }
}

/**
 * Text after the handshake that a fake guacd connection received, as raw wire text.
 * @param received the connection's `received` list
 * @returns the concatenated raw text of every instruction after `connect`
 */
export function afterHandshake(
  received: readonly { opcode: string; toString(): string }[],
): string {
  const start = received.findIndex((i) => i.opcode === 'connect') + 1;
  return start === 0
    ? ''
    : received
        .slice(start)
        .map((i) => i.toString())
        .join('');
}
