/**
 * @module What an extension's provider or listener receives when it is created: GUACAMOLE_HOME, the
 * configuration (to read its own properties) and a logger named `ext:<namespace>`.
 */
import type { Configuration } from '../config/index.js';

/** The four log levels the extension layer uses; a pino Logger satisfies it. */
export interface ExtensionLogger {
  debug(message: string): void;
  info(message: string): void;
  warn(message: string): void;
  error(message: string): void;
}

/** A logger that may derive named children, as pino's `child({ name })` does. */
export interface ParentLogger extends ExtensionLogger {
  /** Derives a logger whose lines carry `name`; when absent, messages are prefixed instead. */
  child?(bindings: { name: string }): ExtensionLogger;
}

/** The environment handed to a provider or listener factory (Java's `LocalEnvironment`, trimmed). */
export interface ExtensionEnvironment {
  /** The absolute path of GUACAMOLE_HOME. */
  readonly guacamoleHome: string;
  /** The effective configuration, for reading the extension's own properties. */
  readonly configuration: Configuration;
  /** A logger named `ext:<namespace>` (Java's per-extension logger context). */
  readonly logger: ExtensionLogger;
}

/** A logger that discards everything. */
export const SILENT_EXTENSION_LOGGER: ExtensionLogger = Object.freeze({
  debug: () => undefined,
  info: () => undefined,
  warn: () => undefined,
  error: () => undefined,
});

/**
 * Derives the named child logger an extension gets.
 * @param parent the application's logger
 * @param name the child's name, e.g. `ext:totp`
 * @returns the parent's own child when it can make one, else a wrapper prefixing `[name] `
 */
export function childLogger(parent: ParentLogger, name: string): ExtensionLogger {
  if (typeof parent.child === 'function') return parent.child({ name });
  const prefix = `[${name}] `;
  return {
    debug: (message) => {
      parent.debug(prefix + message);
    },
    info: (message) => {
      parent.info(prefix + message);
    },
    warn: (message) => {
      parent.warn(prefix + message);
    },
    error: (message) => {
      parent.error(prefix + message);
    },
  };
}
