/**
 * @module The daemon's command line, guacd's flags: `-b <address>`, `-l <port>`, `-L <level>`, `-f`,
 * `-C <cert>`, `-K <key>`. Parsing is pure so it can be tested without a process.
 */
import type { ProxyLogLevel } from './plugin.js';

/** The daemon's settings. */
export interface DaemonOptions {
  /** Address to listen on (guacd: localhost). */
  readonly bindHost: string;
  /** Port to listen on; 0 picks a free one. */
  readonly bindPort: number;
  /** The most verbose level logged. */
  readonly logLevel: ProxyLogLevel;
  /** PEM certificate file for TLS, with `keyFile`. */
  readonly certFile: string | undefined;
  /** PEM private key file for TLS, with `certFile`. */
  readonly keyFile: string | undefined;
}

/** The levels in order of verbosity. */
export const LOG_LEVELS: readonly ProxyLogLevel[] = ['error', 'warning', 'info', 'debug', 'trace'];

/** The usage text printed on bad flags. */
export const USAGE =
  'USAGE: guacd [-l LISTENPORT] [-b LISTENADDRESS] [-L LOGLEVEL] [-f] [-C CERTIFICATE_FILE] [-K PEM_FILE]';

/** A command-line error: the daemon prints it with the usage and exits with status 2. */
export class UsageError extends Error {
  /** @param message what is wrong */
  constructor(message: string) {
    super(message);
    this.name = 'UsageError';
  }
}

/**
 * Parses the daemon's arguments.
 * @param argv the arguments after the script name
 * @returns the settings
 * @throws {UsageError} on an unknown flag, a missing or invalid value, or a lone `-C`/`-K`
 */
export function parseDaemonArgs(argv: readonly string[]): DaemonOptions {
  let bindHost = 'localhost';
  let bindPort = 4822;
  let logLevel: ProxyLogLevel = 'info';
  let certFile: string | undefined;
  let keyFile: string | undefined;
  for (let i = 0; i < argv.length; i++) {
    const flag = argv[i] as string;
    if (flag === '-f') continue;
    const value = (): string => {
      const next = argv[++i];
      if (next === undefined) throw new UsageError(`Option ${flag} requires a value.`);
      return next;
    };
    switch (flag) {
      case '-b':
        bindHost = value();
        break;
      case '-l': {
        const text = value();
        const port = /^\d{1,5}$/.test(text) ? Number(text) : NaN;
        if (!(port <= 65535)) throw new UsageError(`Invalid port: "${text}".`);
        bindPort = port;
        break;
      }
      case '-L': {
        const text = value();
        const level = LOG_LEVELS.find((l) => l === text);
        if (level === undefined) {
          throw new UsageError(`Invalid log level: "${text}" (one of ${LOG_LEVELS.join(', ')}).`);
        }
        logLevel = level;
        break;
      }
      case '-C':
        certFile = value();
        break;
      case '-K':
        keyFile = value();
        break;
      default:
        throw new UsageError(`Unknown option: "${flag}".`);
    }
  }
  if ((certFile === undefined) !== (keyFile === undefined)) {
    throw new UsageError('TLS needs both -C <certificate> and -K <key>.');
  }
  return { bindHost, bindPort, logLevel, certFile, keyFile };
}
