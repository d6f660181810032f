/**
 * @module Process entry: resolve GUACAMOLE_HOME → load and validate guacamole.properties (all errors at
 * once) → log the effective settings → listen. SIGTERM and SIGINT shut down gracefully.
 */
import { createServer, type Server } from 'node:http';
import { createApp } from './app.js';
import {
  ConfigurationError,
  HTTP_BASE_PATH,
  HTTP_BIND_ADDRESS,
  HTTP_PORT,
  LOG_LEVEL,
  loadConfiguration,
  resolveGuacamoleHome,
} from './config/index.js';
import { createLogger, type Logger } from './log.js';
import { ALL_PROPERTIES } from './properties.js';

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen(port, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function shutdownOn(server: Server, log: Logger): void {
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    log.info({ signal }, 'Shutting down.');
    server.close(() => {
      log.info('Stopped.');
      process.exit(0);
    });
    server.closeAllConnections();
  };
  process.on('SIGTERM', () => {
    stop('SIGTERM');
  });
  process.on('SIGINT', () => {
    stop('SIGINT');
  });
}

async function main(): Promise<void> {
  const home = resolveGuacamoleHome();
  let loaded;
  try {
    loaded = loadConfiguration({ home, env: process.env, properties: ALL_PROPERTIES });
  } catch (error) {
    if (error instanceof ConfigurationError) {
      console.error(`Configuration is invalid (GUACAMOLE_HOME is "${home}"):`);
      for (const problem of error.problems) console.error(`  ${problem}`);
      console.error('The server was not started.');
      process.exit(1);
    }
    throw error;
  }
  const { configuration } = loaded;
  const log = createLogger(configuration.get(LOG_LEVEL));
  log.info(`GUACAMOLE_HOME is "${home}".`);
  for (const warning of loaded.warnings) log.warn(warning);
  if (loaded.unknownKeys.length > 0) {
    log.warn(
      { properties: loaded.unknownKeys },
      'guacamole.properties sets properties this server does not read (an extension may).',
    );
  }
  log.info({ settings: configuration.describe(ALL_PROPERTIES) }, 'Effective settings.');

  const port = configuration.get(HTTP_PORT) ?? 8080;
  const host = configuration.get(HTTP_BIND_ADDRESS) ?? '0.0.0.0';
  const basePath = configuration.get(HTTP_BASE_PATH) ?? '/';
  const server = createServer(createApp({ basePath }));
  shutdownOn(server, log);
  await listen(server, port, host);
  log.info(`Listening on http://${host}:${port}${basePath}`);
}

main().catch((error: unknown) => {
  console.error('The server failed to start:', error instanceof Error ? error.message : error);
  process.exit(1);
});
