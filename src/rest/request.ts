/**
 * @module Reading REST requests: the auth token (header, then query), query parameters with repeated
 * keys, the client's address, and bodies limited by `api-max-request-size` (webapp `RequestSizeFilter`).
 */
import type { IncomingMessage } from 'node:http';
import type { Request } from 'express';
import {
  ClientError,
  ClientOverrunError,
  TOKEN_HEADER_NAME,
  type RequestDetailsInit,
} from '../extensions/api.js';
import { addUrlEncoded } from '../tunnel/index.js';
import { HttpAnswer } from './api-error.js';

/** The query parameter that may carry the auth token. */
export const TOKEN_PARAMETER = 'token';

/** Java's message when a body exceeds `api-max-request-size`. */
export const TOO_LARGE_MESSAGE = 'Request body/entity too large.';

/**
 * Reads the query string.
 * @param req the request
 * @returns its query parameters, repeated keys kept, decoded as UTF-8
 */
export function queryParameters(req: Request): URLSearchParams {
  const url = req.originalUrl;
  const mark = url.indexOf('?');
  return new URLSearchParams(mark < 0 ? '' : url.slice(mark + 1));
}

/**
 * Reads the query string as a parameter map.
 * @param req the request
 * @returns its query parameters as a map of names to values (a servlet's parameter map for a request
 *   without a form body)
 */
export function queryParameterMap(req: Request): Map<string, string[]> {
  const parameters = new Map<string, string[]>();
  for (const [name, value] of queryParameters(req)) {
    const values = parameters.get(name);
    if (values) values.push(value);
    else parameters.set(name, [value]);
  }
  return parameters;
}

/**
 * Reads the auth token as `AuthenticationService.getAuthenticationToken` does: a non-empty
 * `Guacamole-Token` header wins, then a non-empty `token` query parameter.
 * @param req the request
 * @returns the token, or undefined
 */
export function getAuthenticationToken(req: Request): string | undefined {
  const header = req.get(TOKEN_HEADER_NAME);
  if (header !== undefined && header !== '') return header;
  const query = queryParameters(req).get(TOKEN_PARAMETER);
  return query === null || query === '' ? undefined : query;
}

/**
 * The client's IP address as a servlet container reports it: IPv4 clients of a dual-stack socket
 * appear as plain IPv4 (Node reports them as `::ffff:a.b.c.d`).
 * @param req the request
 * @returns the address, or undefined when the socket is gone
 */
export function clientAddress(req: IncomingMessage): string | undefined {
  const address = req.socket.remoteAddress;
  return address?.startsWith('::ffff:') === true && address.includes('.')
    ? address.slice('::ffff:'.length)
    : address;
}

function parseCookies(header: string | undefined): Map<string, string> {
  const cookies = new Map<string, string>();
  for (const part of (header ?? '').split(';')) {
    const eq = part.indexOf('=');
    if (eq <= 0) continue;
    const name = part.slice(0, eq).trim();
    if (!cookies.has(name))
      cookies.set(
        name,
        part
          .slice(eq + 1)
          .trim()
          .replace(/^"(.*)"$/, '$1'),
      );
  }
  return cookies;
}

/**
 * Snapshots a request for `Credentials` (Java's `RequestDetails`); Tomcat does no reverse lookups, so
 * the host name is the address.
 * @param req the request
 * @param parameters the request parameters providers may read (for `POST /api/tokens`: the form)
 * @returns the request details
 */
export function requestDetailsOf(
  req: Request,
  parameters: ReadonlyMap<string, readonly string[]>,
): RequestDetailsInit {
  const headers = new Map<string, string | readonly string[]>();
  for (const [name, value] of Object.entries(req.headers)) {
    if (value !== undefined) headers.set(name, value);
  }
  const address = clientAddress(req);
  return {
    headers,
    parameters,
    cookies: parseCookies(req.headers.cookie),
    remoteAddress: address,
    remoteHostname: address,
  };
}

/**
 * Reads a whole body, failing as soon as it passes the limit. The rest is drained unread (not
 * destroyed), so the 413 still reaches the client.
 * @param req the request
 * @param limit the largest body in bytes; 0 for no limit
 * @returns the body
 * @throws {ClientOverrunError} "Request body/entity too large." (413) beyond the limit
 * @throws {ClientError} when the client goes away before the body is complete
 */
export function readBody(req: IncomingMessage, limit: number): Promise<Buffer> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    let overrun = false;
    req.on('data', (chunk: Buffer) => {
      if (overrun) return;
      size += chunk.length;
      if (limit > 0 && size > limit) {
        overrun = true;
        chunks.length = 0;
        reject(new ClientOverrunError(TOO_LARGE_MESSAGE));
        return;
      }
      chunks.push(chunk);
    });
    req.once('end', () => {
      resolve(Buffer.concat(chunks));
    });
    req.once('error', reject);
    req.once('close', () => {
      reject(new ClientError('The request body ended early.'));
    });
  });
}

/**
 * Tells whether a request carries a form.
 * @param req the request
 * @returns whether its body is an `application/x-www-form-urlencoded` form
 */
export function isForm(req: Request): boolean {
  return req.is('application/x-www-form-urlencoded') === 'application/x-www-form-urlencoded';
}

/**
 * Reads a form body (UTF-8, `+` as space, repeated keys kept); any other content type has no fields.
 * @param req the request
 * @param limit `api-max-request-size`
 * @returns the fields in arrival order
 * @throws {ClientOverrunError} when the body is too large
 */
export async function readForm(req: Request, limit: number): Promise<Map<string, string[]>> {
  const fields = new Map<string, string[]>();
  if (!isForm(req)) return fields;
  addUrlEncoded(fields, (await readBody(req, limit)).toString('utf8'));
  return fields;
}

/**
 * Reads a JSON body as Jersey's Jackson provider does for `@Consumes(APPLICATION_JSON)`: another
 * content type is 415, unreadable JSON a plain-text 400, and an empty body null.
 * @param req the request
 * @param limit `api-max-request-size`
 * @returns the parsed value, or null for an empty body
 * @throws {HttpAnswer} 415 or 400
 * @throws {ClientOverrunError} when the body is too large
 */
export async function readJson(req: Request, limit: number): Promise<unknown> {
  const type = req.is(['application/json', '+json']);
  if (type === false || type === null) {
    req.resume();
    throw new HttpAnswer(415);
  }
  const text = (await readBody(req, limit)).toString('utf8');
  if (text.trim() === '') return null;
  try {
    return JSON.parse(text) as unknown;
  } catch (error) {
    throw new HttpAnswer(400, error instanceof Error ? error.message : 'Malformed JSON.');
  }
}
