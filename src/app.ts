/**
 * @module createApp: the application without listening (tests and main.ts both call it). Under
 * `http-base-path` it serves `/healthz`, the HTTP tunnel (`/tunnel`), the extensions' UI files, the
 * frontend, the REST API (`/api`) and, through {@link GuacamoleApp.handleUpgrade}, the WebSocket tunnel
 * (`/websocket-tunnel`). Bodies are parsed only inside the REST API, so the tunnels stay unbuffered.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import express, { type Express, type RequestHandler } from 'express';
import {
  AuthenticationService,
  FileAuthenticationProvider,
  SessionRegistry,
  type ProviderLike,
} from './auth/index.js';
import { API_MAX_REQUEST_SIZE } from './config/index.js';
import {
  createEnvironment,
  SILENT_EXTENSION_LOGGER,
  type Listener,
  type PropertyReader,
} from './extensions/api.js';
import {
  buildTranslations,
  childLogger,
  createExtensionUiRouter,
  languageNames,
  NO_UI_RESOURCES,
  type ExtensionUiResources,
  type ParentLogger,
} from './extensions/index.js';
import {
  ExternalGuacdConnector,
  GUACD_HOSTNAME,
  GUACD_PORT,
  type GuacdConnector,
} from './guacd/index.js';
import { createRestRouter, ProtocolRegistry, TunnelRequestService } from './rest/index.js';
import {
  createHttpTunnelHandler,
  createWebSocketTunnel,
  type OriginPolicy,
  type TunnelRequest,
} from './tunnel/index.js';

/** A frontend to serve at the base path (see src/web: the built-in UI or the official frontend). */
export interface AppUi {
  /** Serves the frontend's files; it must call `next()` for paths it does not know. */
  readonly handler: RequestHandler;
  /** `GET /api/languages`. Default: the names in the extensions' translation files. */
  readonly languages?: Readonly<Record<string, string>>;
  /** Whether `handler` already serves the extension UI routes (`/app.js`, `/api/patches`, …). */
  readonly servesExtensionUi?: boolean;
}

/** What `/healthz` reports. */
export interface HealthReport {
  readonly ok: boolean;
  readonly body: Readonly<Record<string, string>>;
}

/** What the application is built from. */
export interface AppDependencies {
  /** Sessions, providers and listeners. */
  readonly auth: AuthenticationService;
  /** The base path everything is served under, e.g. `/` or `/guacamole`. */
  readonly basePath: string;
  /** guacamole.properties (`api-max-request-size`, guacd's address for `/healthz`). */
  readonly configuration: PropertyReader;
  /** The extensions' UI files. Default: none. */
  readonly extensionUi?: ExtensionUiResources;
  /** GUACAMOLE_HOME, for `protocols/*.json`. Default: no protocol definitions. */
  readonly guacamoleHome?: string;
  /**
   * The proxy connections go through; `/healthz` reports its health. Default: guacd at
   * `guacd-hostname`:`guacd-port`, probed over TCP.
   */
  readonly guacd?: GuacdConnector;
  /** Replaces the proxy check of `/healthz` (tests). */
  readonly healthCheck?: () => Promise<HealthReport>;
  /** The logger; children are named per component. Default: silent. */
  readonly logger?: ParentLogger;
  /** Browser origins allowed to open tunnels. Default: same origin only. */
  readonly tunnelOrigins?: OriginPolicy;
  /** The frontend. Default: none (the API and tunnels only). */
  readonly ui?: AppUi;
}

/** The application: Express for HTTP, plus the WebSocket upgrade path and tunnel shutdown. */
export interface GuacamoleApp {
  /** Hand to `http.createServer`. */
  readonly express: Express;
  /** Opens tunnels and knows their sessions (shared by both tunnels and the REST API). */
  readonly tunnels: TunnelRequestService;
  /** Hand every `upgrade` event to this: `<base>/websocket-tunnel` is served, anything else 404s. */
  handleUpgrade(req: IncomingMessage, socket: Duplex, head: Buffer): void;
  /** Closes every tunnel: WebSockets with SUCCESS (1000, "0"), HTTP tunnels at their next read. */
  closeTunnels(): void;
}

/**
 * Normalises a base path to start with `/` and not end with one (except the root).
 * @param path the configured `http-base-path`
 * @returns the normalised path
 */
export function normaliseBasePath(path: string): string {
  const trimmed = path.trim().replace(/\/+$/, '');
  if (trimmed === '') return '/';
  return trimmed.startsWith('/') ? trimmed : `/${trimmed}`;
}

/** How long `/healthz` waits for guacd to accept a TCP connection. */
export const GUACD_PROBE_TIMEOUT_MS = 2000;

/**
 * Turns a connector's health into `/healthz`'s report.
 * @param connector the proxy connections go through
 * @returns ok with `guacd: embedded` or `reachable`, or not ok with `unreachable` and the reason
 */
export async function guacdHealth(connector: GuacdConnector): Promise<HealthReport> {
  const health = await connector.health();
  return health.ok
    ? { ok: true, body: { status: 'ok', guacd: health.guacd } }
    : {
        ok: false,
        body: {
          status: 'unavailable',
          guacd: health.guacd,
          ...(health.reason === undefined ? {} : { reason: health.reason }),
        },
      };
}

/**
 * Checks that guacd accepts TCP connections at `guacd-hostname`:`guacd-port`.
 * @param configuration guacamole.properties
 * @returns ok with `guacd: reachable`, or not ok with the reason
 */
export function probeGuacd(configuration: PropertyReader): Promise<HealthReport> {
  const connector = new ExternalGuacdConnector(
    {
      hostname: configuration.require(GUACD_HOSTNAME),
      port: configuration.require(GUACD_PORT),
      ssl: false,
    },
    { probeTimeoutMs: GUACD_PROBE_TIMEOUT_MS },
  );
  return guacdHealth(connector);
}

/** What {@link createAuthenticationService} needs. */
export interface AuthenticationSetup {
  /** guacamole.properties. */
  readonly configuration: PropertyReader;
  /** The loaded extensions' providers and listeners (the file provider goes after them). */
  readonly extensions?: {
    readonly providers: readonly { readonly provider: ProviderLike }[];
    readonly listeners: readonly { readonly listener: Listener }[];
    readonly skipIfUnavailable: ReadonlySet<string>;
  };
  /** GUACAMOLE_HOME, for user-mapping.xml. */
  readonly guacamoleHome: string;
  /** The logger. Default: silent. */
  readonly logger?: ParentLogger;
  /** The session store. Default: one with `api-session-timeout`. */
  readonly sessions?: SessionRegistry;
}

/**
 * Builds the AuthenticationService: the extensions' providers in load order, then the built-in
 * user-mapping.xml provider (always last), with the extensions' listeners.
 * @param setup configuration, GUACAMOLE_HOME, extensions, logger and sessions
 * @returns the service
 */
export function createAuthenticationService(setup: AuthenticationSetup): AuthenticationService {
  const logger = setup.logger ?? SILENT_EXTENSION_LOGGER;
  const { configuration, guacamoleHome, extensions } = setup;
  const authLogger = childLogger(logger, 'auth');
  const fileProvider = new FileAuthenticationProvider(
    createEnvironment({ guacamoleHome, configuration, logger: childLogger(logger, 'auth:file') }),
  );
  return new AuthenticationService({
    providers: [...(extensions?.providers ?? []).map((p) => p.provider), fileProvider],
    listeners: (extensions?.listeners ?? []).map((l) => l.listener),
    sessions:
      setup.sessions ?? SessionRegistry.fromConfiguration(configuration, { logger: authLogger }),
    skipIfUnavailable: extensions?.skipIfUnavailable ?? new Set(),
    logger: authLogger,
  });
}

/**
 * Builds the application.
 * @param deps the authentication service, configuration, base path, frontend and logger
 * @returns the Express app, the upgrade dispatcher and tunnel shutdown
 */
export function createApp(deps: AppDependencies): GuacamoleApp {
  const logger = deps.logger ?? SILENT_EXTENSION_LOGGER;
  const basePath = normaliseBasePath(deps.basePath);
  const extensionUi = deps.extensionUi ?? NO_UI_RESOURCES;
  const tunnelLogger = childLogger(logger, 'tunnel');
  const tunnels = new TunnelRequestService({ auth: deps.auth, logger: tunnelLogger });
  const connect = (request: TunnelRequest) => tunnels.createTunnel(request);
  const origins = deps.tunnelOrigins === undefined ? {} : { allowedOrigins: deps.tunnelOrigins };
  const httpTunnel = createHttpTunnelHandler({ connect, logger: tunnelLogger, ...origins });
  const webSocketTunnel = createWebSocketTunnel({ connect, logger: tunnelLogger, ...origins });
  const languages =
    deps.ui?.languages ??
    languageNames(
      buildTranslations({
        overlays: extensionUi.translations,
        allowedLanguages: extensionUi.allowedLanguages,
        logger: SILENT_EXTENSION_LOGGER,
      }),
    );
  const { guacd } = deps;
  const healthCheck =
    deps.healthCheck ??
    (guacd === undefined ? () => probeGuacd(deps.configuration) : () => guacdHealth(guacd));

  const router = express.Router({ caseSensitive: true });
  router.get('/healthz', async (_req, res) => {
    const report = await healthCheck();
    res
      .status(report.ok ? 200 : 503)
      .set('Cache-Control', 'no-store')
      .json(report.body);
  });
  router.all('/tunnel', httpTunnel);
  if (deps.ui?.servesExtensionUi !== true) {
    router.use(createExtensionUiRouter({ resources: extensionUi, logger }));
  }
  if (deps.ui !== undefined) router.use(deps.ui.handler);
  router.use(
    '/api',
    createRestRouter({
      auth: deps.auth,
      languages,
      logger: childLogger(logger, 'rest'),
      maxRequestSize: deps.configuration.require(API_MAX_REQUEST_SIZE),
      protocols:
        deps.guacamoleHome === undefined
          ? new ProtocolRegistry()
          : ProtocolRegistry.load(deps.guacamoleHome, logger),
      tunnels,
    }),
  );

  const app = express();
  app.disable('x-powered-by');
  app.set('etag', false);
  app.use(basePath, router);
  app.use((_req, res) => {
    res.status(404).end();
  });
  const webSocketPath = `${basePath === '/' ? '' : basePath}/websocket-tunnel`;
  return {
    express: app,
    tunnels,
    handleUpgrade(req, socket, head) {
      const url = req.url ?? '';
      const mark = url.indexOf('?');
      if ((mark < 0 ? url : url.slice(0, mark)) === webSocketPath) {
        webSocketTunnel.handleUpgrade(req, socket, head);
        return;
      }
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
    },
    closeTunnels() {
      webSocketTunnel.close();
      httpTunnel.registry.shutdown();
    },
  };
}
