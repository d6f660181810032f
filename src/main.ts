/**
 * @module Process entry, in the Java web app's start-up order (spec §0): resolve GUACAMOLE_HOME → load
 * and validate guacamole.properties (all errors at once) → logger → the proxy (`guacd-mode`: an external
 * guacd or the bundled proxy in-process) → extensions → authentication (extension providers first,
 * user-mapping.xml last) and sessions → ApplicationStartedEvent → listen.
 * SIGTERM and SIGINT stop accepting, close every tunnel, stop the bundled proxy, end every session, shut
 * every provider down, fire ApplicationShutdownEvent, remove extracted extensions and exit 0.
 */
import { readFileSync } from 'node:fs';
import { createServer as createHttpServer, type Server } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import { resolve } from 'node:path';
import {
  createApp,
  createAuthenticationService,
  normaliseBasePath,
  type AppUi,
  type GuacamoleApp,
} from './app.js';
import type { AuthenticationService } from './auth/index.js';
import {
  ConfigurationError,
  HTTP_BASE_PATH,
  HTTP_BIND_ADDRESS,
  HTTP_PORT,
  LOG_LEVEL,
  loadConfiguration,
  resolveGuacamoleHome,
  type Configuration,
} from './config/index.js';
import { ApplicationShutdownEvent, ApplicationStartedEvent } from './extensions/api.js';
import { loadExtensions, type LoadedExtensions } from './extensions/index.js';
import {
  installDefaultGuacdConnector,
  resolveGuacdConnector,
  type GuacdConnector,
} from './guacd/index.js';
import type { ProxyLogger } from './proxy/index.js';
import { createLogger, type Logger } from './log.js';
import { ALL_PROPERTIES, HTTP_TLS_CERTIFICATE, HTTP_TLS_KEY } from './properties.js';
import { createOfficialFrontend, createWebUi, GUACAMOLE_FRONTEND } from './web/index.js';

/** How long a stopping server waits for open connections before exiting anyway. */
const SHUTDOWN_GRACE_MS = 5000;

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function loadOrExit(home: string): ReturnType<typeof loadConfiguration> {
  try {
    return loadConfiguration({ home, env: process.env, properties: ALL_PROPERTIES });
  } catch (error) {
    if (error instanceof ConfigurationError) {
      console.error(`Configuration is invalid (GUACAMOLE_HOME is "${home}"):`);
      for (const problem of error.problems) console.error(`  ${problem}`);
      console.error('The server was not started.');
      process.exit(1);
    }
    throw error;
  }
}

async function frontend(
  configuration: Configuration,
  loaded: LoadedExtensions,
  log: Logger,
): Promise<AppUi> {
  const source = configuration.get(GUACAMOLE_FRONTEND);
  if (source === undefined) return { handler: createWebUi() };
  const official = await createOfficialFrontend({ source, resources: loaded.ui, logger: log });
  log.info(`Serving the official frontend from "${source}" (build ${official.buildId}).`);
  return { handler: official.router, languages: official.languages, servesExtensionUi: true };
}

function createServer(configuration: Configuration, home: string, app: GuacamoleApp): Server {
  const certificate = configuration.get(HTTP_TLS_CERTIFICATE);
  const key = configuration.get(HTTP_TLS_KEY);
  if ((certificate === undefined) !== (key === undefined)) {
    throw new Error(`${HTTP_TLS_CERTIFICATE.name} and ${HTTP_TLS_KEY.name} must be set together.`);
  }
  const server =
    certificate !== undefined && key !== undefined
      ? createHttpsServer(
          { cert: readFileSync(resolve(home, certificate)), key: readFileSync(resolve(home, key)) },
          app.express,
        )
      : createHttpServer(app.express);
  server.on('upgrade', (req, socket, head) => {
    app.handleUpgrade(req, socket, head);
  });
  return server;
}

/** Routes the bundled proxy's log lines to a child logger named `proxy`. */
function proxyLogger(log: Logger): ProxyLogger {
  const child = log.child({ name: 'proxy' });
  return (level, message) => {
    if (level === 'warning') child.warn(message);
    else child[level](message);
  };
}

interface Running {
  readonly server: Server;
  readonly guacd: GuacdConnector;
  readonly app: GuacamoleApp;
  readonly auth: AuthenticationService;
  readonly loaded: LoadedExtensions;
  readonly log: Logger;
}

/** Stops in the Java web app's order; tunnels end with SUCCESS, as when guacd closes them. */
async function shutdown(running: Running, signal: string): Promise<void> {
  const { server, guacd, app, auth, loaded, log } = running;
  log.info({ signal }, 'Shutting down.');
  const closed = new Promise<void>((resolve) =>
    server.close(() => {
      resolve();
    }),
  );
  app.closeTunnels();
  // Every user of the bundled proxy gets `disconnect` and its remote connection is closed.
  const proxyClosed = guacd.close();
  await auth.shutdown();
  await auth.listeners.notify(new ApplicationShutdownEvent());
  await loaded.close();
  server.closeIdleConnections();
  const grace = new Promise<void>((resolve) => setTimeout(resolve, SHUTDOWN_GRACE_MS).unref());
  await Promise.race([Promise.all([closed, proxyClosed]), grace]);
  log.info('Stopped.');
}

async function main(): Promise<void> {
  const home = resolveGuacamoleHome();
  const loadedConfiguration = loadOrExit(home);
  const { configuration } = loadedConfiguration;
  const log = createLogger(configuration.get(LOG_LEVEL));
  log.info(`GUACAMOLE_HOME is "${home}".`);
  for (const warning of loadedConfiguration.warnings) log.warn(warning);
  if (loadedConfiguration.unknownKeys.length > 0) {
    log.warn(
      { properties: loadedConfiguration.unknownKeys },
      'guacamole.properties sets properties this server does not read (an extension may).',
    );
  }
  log.info({ settings: configuration.describe(ALL_PROPERTIES) }, 'Effective settings.');

  const decision = await resolveGuacdConnector(configuration, {
    embedded: { logger: proxyLogger(log) },
  });
  log.info(decision.reason);
  const guacd = decision.connector;
  installDefaultGuacdConnector(guacd, decision.address);

  const loaded = await loadExtensions({ configuration, guacamoleHome: home, logger: log });
  const auth = createAuthenticationService({
    configuration,
    guacamoleHome: home,
    extensions: loaded,
    logger: log,
  });
  await auth.listeners.notify(new ApplicationStartedEvent());

  const basePath = normaliseBasePath(configuration.get(HTTP_BASE_PATH) ?? '/');
  const app = createApp({
    auth,
    basePath,
    configuration,
    extensionUi: loaded.ui,
    guacamoleHome: home,
    guacd,
    logger: log,
    ui: await frontend(configuration, loaded, log),
  });
  const server = createServer(configuration, home, app);
  const running: Running = { server, guacd, app, auth, loaded, log };
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    // pino writes stdout asynchronously: flush before exiting, or process.exit's synchronous flush
    // can overtake a write still in flight and reorder the last lines.
    const exit = (code: number): void => {
      log.flush(() => process.exit(code));
    };
    shutdown(running, signal).then(
      () => {
        exit(0);
      },
      (error: unknown) => {
        log.error(`Shutdown failed: ${error instanceof Error ? error.message : String(error)}`);
        exit(1);
      },
    );
  };
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
  const port = configuration.get(HTTP_PORT) ?? 8080;
  const host = configuration.get(HTTP_BIND_ADDRESS) ?? '0.0.0.0';
  await listen(server, port, host);
  const scheme = configuration.get(HTTP_TLS_CERTIFICATE) === undefined ? 'http' : 'https';
  log.info(`Listening on ${scheme}://${host}:${port}${basePath}`);
}

main().catch((error: unknown) => {
  console.error('The server failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
