/**
 * @module The server side of the browser end-to-end tests: our real HTTP and WebSocket tunnel endpoints
 * (src/tunnel) whose connect callback runs connectGuacd + configureSocket against a scripted FakeGuacd,
 * with the connection parameters taken from the tunnel request, as the web app will. Each test adds a
 * "case" (its own fake guacd and behaviour), named by the `case` parameter of the connect data.
 */

import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import net from 'node:net';
import type { Duplex } from 'node:stream';
import { configureSocket, connectGuacd } from '../../src/guacd/index.js';
import {
  GuacamoleConfiguration,
  ResourceNotFoundError,
  UnauthorizedError,
  defaultClientInformation,
} from '../../src/protocol/index.js';
import { Tunnel, createHttpTunnelHandler, createWebSocketTunnel } from '../../src/tunnel/index.js';
import type { TunnelLogger, TunnelRequest, TunnelTransport } from '../../src/tunnel/index.js';
import { FakeGuacd } from '../fakes/fake-guacd.js';
import type { FakeGuacdOptions } from '../fakes/fake-guacd.js';

/** Where our two endpoints are mounted on the test page's origin. */
export const HTTP_TUNNEL_PATH = '/tunnel';
export const WS_TUNNEL_PATH = '/websocket-tunnel';

/** A password with astral characters, to show that connect parameters arrive intact. */
export const PASSWORD = 'pä𝄞😀';

/** How one case behaves. */
export interface CaseOptions {
  /** The fake guacd's options (script, misbehaviour…). Default: a plain fake. */
  readonly guacd?: FakeGuacdOptions;
  /** Connect to a port where nothing listens (guacd down) instead of the fake. */
  readonly guacdDown?: boolean;
  /** connectGuacd's read timeout. Default: 10 s (longer than any test). */
  readonly readTimeoutMs?: number;
  /** The connect callback throws UnauthorizedError ("Permission denied."). */
  readonly unauthorized?: boolean;
  /** "A proxy in front" refuses every WebSocket upgrade with a bare 403 and hangs up. */
  readonly refuseUpgrade?: boolean;
}

/** One case, ready to connect. */
export interface E2ECase {
  readonly id: string;
  /** Its fake guacd. */
  readonly guacd: FakeGuacd;
  /** The connect data a client must pass (URL-encoded, with `case=<id>`). */
  readonly data: string;
  /** Every tunnel the server opened for this case, in order, with the endpoint that opened it. */
  readonly tunnels: readonly { readonly tunnel: Tunnel; readonly transport: TunnelTransport }[];
  /** WebSocket upgrades refused by the "proxy" (`refuseUpgrade`). */
  readonly refusedUpgrades: number;
  /** Resolves with the n-th tunnel the server opens for this case. */
  tunnel(index?: number): Promise<Tunnel>;
}

interface CaseState extends E2ECase {
  readonly options: CaseOptions;
  readonly tunnels: { tunnel: Tunnel; transport: TunnelTransport }[];
  readonly waiters: (() => void)[];
  refusedUpgrades: number;
}

/** Our endpoints, the cases, and their fakes. */
export class E2EGateway {
  readonly #cases = new Map<string, CaseState>();
  /** Tunnel → its case id, filled in by the connect callback. */
  readonly #caseOf = new WeakMap<Tunnel, string>();
  #closedPort = 0;

  /** Everything both endpoints logged, as `<level>: <message>`. */
  readonly log: string[] = [];
  readonly #logger: TunnelLogger = {
    debug: (message) => this.log.push(`debug: ${message}`),
    info: (message) => this.log.push(`info: ${message}`),
    warn: (message) => this.log.push(`warn: ${message}`),
    error: (message) => this.log.push(`error: ${message}`),
  };

  /** The HTTP tunnel endpoint (its registry is shut down by {@link close}). */
  readonly http = createHttpTunnelHandler({
    logger: this.#logger,
    connect: async (request) => await this.#connect(request),
    onTunnelOpened: (tunnel) => {
      this.#opened(tunnel, 'http');
    },
  });

  /** The WebSocket tunnel endpoint. */
  readonly ws = createWebSocketTunnel({
    logger: this.#logger,
    connect: async (request) => await this.#connect(request),
    onTunnelOpened: (tunnel) => {
      this.#opened(tunnel, 'websocket');
    },
  });

  /** A `handle` for useTestPage: our HTTP tunnel at {@link HTTP_TUNNEL_PATH}. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (new URL(req.url ?? '/', 'http://x').pathname !== HTTP_TUNNEL_PATH) return false;
    this.http(req, res);
    return true;
  };

  /** An `upgrade` for useTestPage: our WebSocket tunnel, unless the case has a refusing proxy. */
  readonly upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    const url = new URL(req.url ?? '/', 'http://x');
    if (url.pathname !== WS_TUNNEL_PATH) {
      socket.destroy();
      return;
    }
    const state = this.#cases.get(url.searchParams.get('case') ?? '');
    if (state?.options.refuseUpgrade === true) {
      state.refusedUpgrades++;
      socket.end('HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n');
      return;
    }
    this.ws.handleUpgrade(req, socket, head);
  };

  /**
   * Starts a case's fake guacd and registers the case.
   * @param options how the case behaves
   * @returns the case
   */
  async addCase(options: CaseOptions = {}): Promise<E2ECase> {
    const guacd = await FakeGuacd.start(options.guacd);
    if (options.guacdDown === true && this.#closedPort === 0) this.#closedPort = await closedPort();
    const id = randomUUID().slice(0, 8);
    const params = new URLSearchParams({
      case: id,
      hostname: 'desktop.example',
      port: '5900',
      password: PASSWORD,
      GUAC_WIDTH: '640',
      GUAC_HEIGHT: '480',
      GUAC_DPI: '96',
      GUAC_TIMEZONE: 'Europe/Berlin',
    });
    params.append('GUAC_IMAGE', 'image/png');
    params.append('GUAC_IMAGE', 'image/jpeg');
    const tunnels: CaseState['tunnels'] = [];
    const waiters: (() => void)[] = [];
    const state: CaseState = {
      id,
      guacd,
      data: params.toString(),
      options,
      tunnels,
      waiters,
      refusedUpgrades: 0,
      tunnel: async (index = 0) => {
        while (tunnels.length <= index) await new Promise<void>((ok) => waiters.push(ok));
        return (tunnels[index] as CaseState['tunnels'][number]).tunnel;
      },
    };
    this.#cases.set(id, state);
    return state;
  }

  /** Stops both endpoints and every fake guacd. */
  async close(): Promise<void> {
    this.http.registry.shutdown();
    this.ws.close();
    await Promise.all(
      [...this.#cases.values()].map(async ({ guacd }) => {
        await guacd.close();
      }),
    );
  }

  /** The connect callback of both endpoints, as a web app's would be. */
  async #connect(request: TunnelRequest): Promise<Tunnel> {
    const state = this.#cases.get(request.getParameter('case') ?? '');
    if (!state) throw new ResourceNotFoundError('No such test case.');
    const { options, guacd } = state;
    if (options.unauthorized === true) throw new UnauthorizedError('Permission denied.');
    const socket = await connectGuacd({
      hostname: guacd.host,
      port: options.guacdDown === true ? this.#closedPort : guacd.port,
      connectTimeoutMs: 5000,
      readTimeoutMs: options.readTimeoutMs ?? 10_000,
    });
    const config = new GuacamoleConfiguration({ protocol: 'vnc' });
    for (const name of ['hostname', 'port', 'password']) {
      const value = request.getParameter(name);
      if (value !== undefined) config.setParameter(name, value);
    }
    const info = defaultClientInformation();
    info.width = Number(request.getParameter('GUAC_WIDTH') ?? info.width);
    info.height = Number(request.getParameter('GUAC_HEIGHT') ?? info.height);
    info.dpi = Number(request.getParameter('GUAC_DPI') ?? info.dpi);
    info.imageMimetypes = [...request.getParameterValues('GUAC_IMAGE')];
    info.timezone = request.getParameter('GUAC_TIMEZONE');
    const tunnel = new Tunnel(await configureSocket(socket, config, info));
    this.#caseOf.set(tunnel, state.id);
    return tunnel;
  }

  #opened(tunnel: Tunnel, transport: TunnelTransport): void {
    const state = this.#cases.get(this.#caseOf.get(tunnel) ?? '');
    if (!state) return;
    state.tunnels.push({ tunnel, transport });
    for (const wake of state.waiters.splice(0)) wake();
  }
}

/** @returns a port on 127.0.0.1 where nothing listens any more */
async function closedPort(): Promise<number> {
  const server = net.createServer();
  await new Promise<void>((ok) => server.listen(0, '127.0.0.1', ok));
  const { port } = server.address() as net.AddressInfo;
  await new Promise<void>((ok) => {
    server.close(() => {
      ok();
    });
  });
  return port;
}

/**
 * Resolves when a server-side tunnel has closed.
 * @param tunnel the tunnel
 */
export async function tunnelClosed(tunnel: Tunnel): Promise<void> {
  if (!tunnel.isOpen()) return;
  await new Promise<void>((ok) => {
    tunnel.onClose(() => {
      ok();
    });
  });
}
