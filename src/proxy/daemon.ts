/**
 * @module The standalone proxy daemon (`node dist/proxy/daemon.js`, `tsx src/proxy/daemon.ts`): guacd's
 * flags, plain TCP or TLS, always in the foreground, graceful on SIGTERM and SIGINT.
 */
import { readFileSync } from 'node:fs';
import net from 'node:net';
import tls from 'node:tls';
import { pathToFileURL } from 'node:url';
import { BUILTIN_PLUGINS } from './builtin-plugins.js';
import { LOG_LEVELS, USAGE, UsageError, parseDaemonArgs, type DaemonOptions } from './cli.js';
import type { ProxyLogLevel, ProxyLogger } from './plugin.js';
import { ProxyServer } from './server.js';

/** A running daemon. */
export interface Daemon {
  /** The proxy serving the accepted connections; register plugins on it. */
  readonly proxy: ProxyServer;
  /** The bound port. */
  readonly port: number;
  /** Stops listening and ends every connection. */
  stop(): Promise<void>;
}

/**
 * Builds a console logger that drops lines more verbose than `level`.
 * @param level the most verbose level logged
 * @returns the logger
 */
export function consoleLogger(level: ProxyLogLevel): ProxyLogger {
  const max = LOG_LEVELS.indexOf(level);
  return (lineLevel, message) => {
    if (LOG_LEVELS.indexOf(lineLevel) <= max)
      console.error(`guacd[${process.pid}]: ${lineLevel.toUpperCase()}:\t${message}`);
  };
}

/**
 * Starts listening.
 * @param options the parsed command line
 * @returns the running daemon
 */
export async function startDaemon(options: DaemonOptions): Promise<Daemon> {
  const log = consoleLogger(options.logLevel);
  const proxy = new ProxyServer({ logger: log, plugins: BUILTIN_PLUGINS });
  const onSocket = (socket: net.Socket): void => {
    socket.setNoDelay(true);
    void proxy.handle(socket);
  };
  const server =
    options.certFile !== undefined && options.keyFile !== undefined
      ? tls.createServer(
          { cert: readFileSync(options.certFile), key: readFileSync(options.keyFile) },
          onSocket,
        )
      : net.createServer(onSocket);
  // Failed TLS handshakes and resets before a stream is handed over are logged, never fatal.
  server.on('tlsClientError', (error: Error) => {
    log('debug', `TLS handshake failed: ${error.message}`);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.bindPort, options.bindHost, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address();
  const port = typeof address === 'object' && address !== null ? address.port : options.bindPort;
  log('info', `Listening on host ${options.bindHost}, port ${port}`);
  return {
    proxy,
    port,
    async stop() {
      const closed = new Promise<void>((resolve) => {
        server.close(() => {
          resolve();
        });
      });
      await proxy.close();
      await closed;
    },
  };
}

/**
 * Runs the daemon from the command line; exits 2 on usage errors, 1 when it cannot listen.
 * @param argv the arguments after the script name
 */
export async function main(argv: readonly string[]): Promise<void> {
  let options: DaemonOptions;
  try {
    options = parseDaemonArgs(argv);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    console.error(`${error.message}\n${USAGE}`);
    process.exitCode = 2;
    return;
  }
  let daemon: Daemon;
  try {
    daemon = await startDaemon(options);
  } catch (error) {
    console.error(`Unable to listen: ${error instanceof Error ? error.message : String(error)}`);
    process.exitCode = 1;
    return;
  }
  const shutdown = (signal: string): void => {
    console.error(`guacd[${process.pid}]: INFO:\tReceived ${signal}, shutting down.`);
    process.off('SIGTERM', shutdown);
    process.off('SIGINT', shutdown);
    void daemon.stop().then(() => {
      process.exitCode = 0;
    });
  };
  process.on('SIGTERM', shutdown);
  process.on('SIGINT', shutdown);
}

const entry = process.argv[1];
if (entry !== undefined && import.meta.url === pathToFileURL(entry).href) {
  void main(process.argv.slice(2));
}
