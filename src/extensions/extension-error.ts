/**
 * @module ExtensionError: why one extension could not be read or loaded. The loader catches it, logs
 * its message and carries on without that extension (Java's `ExtensionModule.getExtensions`).
 */
import { ServerError } from '../protocol/index.js';

/** An extension that cannot be loaded; the message names the file and the problem. */
export class ExtensionError extends ServerError {
  /** The extension's file or folder name, as found in `GUACAMOLE_HOME/extensions`. */
  readonly file: string;
  /** The problem, without the file name. */
  readonly reason: string;

  /**
   * @param file the extension's file or folder name
   * @param reason what is wrong, e.g. `guac-manifest.json is not valid JSON: …`
   * @param options the underlying failure
   */
  constructor(file: string, reason: string, options: { readonly cause?: unknown } = {}) {
    super(`Extension "${file}" could not be loaded: ${reason}`, options);
    this.file = file;
    this.reason = reason;
  }
}

/**
 * Describes any thrown value for a log line.
 * @param error what was thrown
 * @returns its message, or its string form when it is not an Error
 */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
