/**
 * @module Small shared types of the extension API: values that may be produced synchronously or
 * asynchronously, and the logger interface extensions receive.
 */

/** A value or a promise of it: API methods where I/O is plausible may return either. */
export type MaybePromise<T> = T | Promise<T>;

/**
 * The logging surface given to extensions and used by the auth layer; a pino `Logger` satisfies it.
 * Messages must never contain passwords or authentication tokens.
 */
export interface ExtensionLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that discards everything (the default when none is given). */
export const SILENT_EXTENSION_LOGGER: ExtensionLogger = Object.freeze({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});
