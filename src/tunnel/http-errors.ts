/**
 * @module The HTTP tunnel's one error mapper: a GuacamoleError becomes the HTTP status plus the
 * `Guacamole-Status-Code` and `Guacamole-Error-Message` headers (GuacamoleHTTPTunnelServlet.sendError).
 */
import type { ServerResponse } from 'node:http';
import { GuacamoleError, ServerError, isClientError } from '../protocol/index.js';
import type { TunnelLogger } from './logger.js';

/** Header carrying the decimal Guacamole status code. */
export const STATUS_CODE_HEADER = 'Guacamole-Status-Code';
/** Header carrying the error message (the real one only for client errors). */
export const ERROR_MESSAGE_HEADER = 'Guacamole-Error-Message';

/**
 * Makes text safe for an HTTP header value: no control characters, ISO-8859-1 only.
 * @param text any text
 * @returns the text with unsafe characters replaced by `?`
 */
export function headerSafe(text: string): string {
  return text.replace(/[^\x20-\x7e\xa0-\xff]/g, '?');
}

/**
 * Turns anything thrown into a GuacamoleError (unknown failures are SERVER_ERROR).
 * @param error the thrown value
 * @returns a GuacamoleError
 */
export function asGuacamoleError(error: unknown): GuacamoleError {
  if (error instanceof GuacamoleError) return error;
  return new ServerError(error instanceof Error ? error.message : String(error), { cause: error });
}

/**
 * Reports an error on an HTTP tunnel response. Once the response is committed nothing more can be said,
 * so it just ends, as the servlet does.
 * @param res the response
 * @param thrown the error
 * @param log where to log it: client errors at warn, the rest at error
 */
export function sendTunnelError(res: ServerResponse, thrown: unknown, log: TunnelLogger): void {
  const error = asGuacamoleError(thrown);
  const client = isClientError(error);
  if (client) log.warn(`HTTP tunnel request rejected: ${error.message}`);
  else log.error(`HTTP tunnel request failed: ${error.message}`);
  if (res.headersSent) {
    res.end();
    return;
  }
  const message = client ? error.message : 'Internal server error.';
  res.statusCode = error.status.http;
  res.setHeader(STATUS_CODE_HEADER, String(error.status.guac));
  res.setHeader(ERROR_MESSAGE_HEADER, headerSafe(message));
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Content-Type', 'text/plain; charset=utf-8');
  res.end(`HTTP Status ${error.status.http} – ${message}\n`);
}
