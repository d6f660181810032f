/**
 * @module TunnelLogger: the small logging surface the tunnel layer needs, so it never imports the app's
 * logger (a pino Logger satisfies it). Messages never contain tunnel tokens.
 */

/** A logger with the four levels the tunnels use. */
export interface TunnelLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that discards everything (the library default). */
export const SILENT_LOGGER: TunnelLogger = Object.freeze({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});
