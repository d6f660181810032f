/**
 * @module The server for the built-in UI's browser test: under one base path, our UI router
 * (createWebUi), the REST stub (stub-rest.ts), and our real HTTP and WebSocket tunnels (src/tunnel)
 * whose connect callback checks the session token and tunnel parameters as the web app does (spec
 * §6.5) and then runs the guacd handshake against a FakeGuacd per connection.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import express from 'express';
import { configureSocket, connectGuacd } from '../../src/guacd/index.js';
import {
  ClientError,
  GuacamoleConfiguration,
  ResourceNotFoundError,
  UnauthorizedError,
  defaultClientInformation,
} from '../../src/protocol/index.js';
import {
  Tunnel,
  createHttpTunnelHandler,
  createWebSocketTunnel,
  type TunnelRequest,
} from '../../src/tunnel/index.js';
import { createWebUi } from '../../src/web/index.js';
import { FakeGuacd, type FakeGuacdOptions } from '../fakes/fake-guacd.js';
import { StubRest, type StubConnection, type StubDataSource } from './stub-rest.js';

/** The base path everything is mounted under. */
export const BASE_PATH = '/guac';

/** A connection of the test and the fake guacd behind it. */
export interface GatewayConnection extends StubConnection {
  readonly dataSource: string;
  readonly guacd: FakeGuacdOptions;
}

/** The stub REST API, the tunnels and the fakes, as one request/upgrade handler pair. */
export class UiGateway {
  readonly rest: StubRest;
  /** Connection identifier → its fake guacd. */
  readonly guacds = new Map<string, FakeGuacd>();
  /** Tunnel requests the connect callback saw: parameter name → values. */
  readonly tunnelRequests: ReadonlyMap<string, readonly string[]>[] = [];
  readonly #app = express();
  readonly #http = createHttpTunnelHandler({ connect: async (r) => await this.#connect(r) });
  readonly #ws = createWebSocketTunnel({ connect: async (r) => await this.#connect(r) });

  private constructor(sources: ReadonlyMap<string, StubDataSource>) {
    this.rest = new StubRest(sources);
    this.#app.disable('x-powered-by');
    this.#app.use(BASE_PATH, createWebUi());
    this.#app.use(BASE_PATH, this.rest.router);
    this.#app.all(`${BASE_PATH}/tunnel`, (req, res) => {
      this.#http(req, res);
    });
  }

  /**
   * Starts a fake guacd per connection.
   * @param connections the connections, in their data sources
   * @returns the gateway
   */
  static async start(connections: readonly GatewayConnection[]): Promise<UiGateway> {
    const sources = new Map<
      string,
      { connections: StubConnection[]; groups: { identifier: string; name: string }[] }
    >();
    for (const c of connections) {
      const source = sources.get(c.dataSource) ?? { connections: [], groups: [] };
      source.connections.push(c);
      if (
        c.parentIdentifier !== 'ROOT' &&
        !source.groups.some((g) => g.identifier === c.parentIdentifier)
      )
        source.groups.push({ identifier: c.parentIdentifier, name: `Group ${c.parentIdentifier}` });
      sources.set(c.dataSource, source);
    }
    const gateway = new UiGateway(sources);
    for (const c of connections) gateway.guacds.set(c.identifier, await FakeGuacd.start(c.guacd));
    return gateway;
  }

  /** A `handle` for useTestPage: everything under {@link BASE_PATH}. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    if (path !== BASE_PATH && !path.startsWith(`${BASE_PATH}/`)) return false;
    this.#app(req, res);
    return true;
  };

  /** An `upgrade` for useTestPage: our WebSocket tunnel. */
  readonly upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    if (new URL(req.url ?? '/', 'http://x').pathname === `${BASE_PATH}/websocket-tunnel`)
      this.#ws.handleUpgrade(req, socket, head);
    else socket.destroy();
  };

  /**
   * @param id a connection identifier
   * @returns its fake guacd
   */
  guacd(id: string): FakeGuacd {
    const guacd = this.guacds.get(id);
    if (!guacd) throw new Error(`No connection ${id}`);
    return guacd;
  }

  /** Stops the tunnels and every fake guacd. */
  async close(): Promise<void> {
    this.#http.registry.shutdown();
    this.#ws.close();
    await Promise.all(
      [...this.guacds.values()].map(async (guacd) => {
        await guacd.close();
      }),
    );
  }

  /** The web app's TunnelRequestService, reduced to what the stub has (spec §6.5 step 3). */
  async #connect(request: TunnelRequest): Promise<Tunnel> {
    const params = new Map<string, string[]>();
    for (const name of [
      'token',
      'GUAC_DATA_SOURCE',
      'GUAC_ID',
      'GUAC_TYPE',
      'GUAC_WIDTH',
      'GUAC_HEIGHT',
      'GUAC_DPI',
      'GUAC_TIMEZONE',
      'GUAC_AUDIO',
      'GUAC_VIDEO',
      'GUAC_IMAGE',
    ])
      params.set(name, [...request.getParameterValues(name)]);
    this.tunnelRequests.push(params);
    const required = (name: string): string => {
      const value = request.getParameter(name);
      if (value === undefined) throw new ClientError(`Parameter "${name}" is required.`);
      return value;
    };
    const token = request.getParameter('token');
    const id = required('GUAC_ID');
    if (required('GUAC_TYPE') !== 'c') throw new ClientError('Illegal identifier - unknown type.');
    const dataSource = required('GUAC_DATA_SOURCE');
    const session = token === undefined ? undefined : this.rest.sessions.get(token);
    if (!session) throw new UnauthorizedError('Permission Denied.');
    const connection = this.rest.connection(dataSource, id);
    if (!connection)
      throw new ResourceNotFoundError('Requested tunnel destination does not exist.');
    const guacd = this.guacd(id);
    const socket = await connectGuacd({
      hostname: guacd.host,
      port: guacd.port,
      connectTimeoutMs: 5000,
      readTimeoutMs: 10_000,
    });
    const config = new GuacamoleConfiguration({ protocol: connection.protocol });
    for (const [name, value] of Object.entries(connection.parameters))
      config.setParameter(name, value);
    const info = defaultClientInformation();
    info.width = Number(request.getParameter('GUAC_WIDTH') ?? info.width);
    info.height = Number(request.getParameter('GUAC_HEIGHT') ?? info.height);
    info.dpi = Number(request.getParameter('GUAC_DPI') ?? info.dpi);
    info.imageMimetypes = [...request.getParameterValues('GUAC_IMAGE')];
    info.timezone = request.getParameter('GUAC_TIMEZONE');
    info.name = session.username;
    return new Tunnel(await configureSocket(socket, config, info));
  }
}
