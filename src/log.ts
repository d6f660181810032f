/**
 * @module The one logger (pino). Guacamole's `log-level` names map onto pino's; secrets are redacted by path
 * so that no token or password reaches a log line even when an object carrying one is logged.
 */
import { pino, type Logger } from 'pino';

/** The `log-level` values guacamole.properties accepts. */
export type GuacamoleLogLevel = 'error' | 'warning' | 'warn' | 'info' | 'debug' | 'trace';

const PINO_LEVEL: Readonly<Record<GuacamoleLogLevel, pino.Level>> = {
  error: 'error',
  warning: 'warn',
  warn: 'warn',
  info: 'info',
  debug: 'debug',
  trace: 'trace',
};

/** Object paths whose values are never written. */
const REDACT = [
  'password',
  'token',
  '*.password',
  '*.token',
  'req.headers.authorization',
  'req.headers["guacamole-token"]',
  'req.headers["guacamole-tunnel-token"]',
  'res.headers["guacamole-tunnel-token"]',
];

export type { Logger };

/**
 * Creates the process logger.
 * @param level the Guacamole log level
 * @param destination where lines go; stdout by default
 * @returns the logger
 */
export function createLogger(
  level: GuacamoleLogLevel = 'info',
  destination?: pino.DestinationStream,
): Logger {
  const options: pino.LoggerOptions = {
    level: PINO_LEVEL[level],
    redact: { paths: REDACT, censor: '********' },
    // No base bindings: children add `name` (auth, tunnel, rest, proxy, ext:<namespace>), and pino
    // would otherwise write a second "name" key into the same JSON line.
    base: {},
  };
  // Synchronous writes to stdout: an asynchronous sonic-boom was seen to write a line ahead of lines
  // logged before it when the pipe was busy (the shutdown log came out of order under load).
  return pino(options, destination ?? pino.destination({ dest: 1, sync: true }));
}
