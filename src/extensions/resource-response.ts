/**
 * @module Sending an in-memory resource the way Java's `ResourceServlet` does: `Cache-Control` and
 * `Pragma: no-cache`, `Last-Modified` = when the resource was created (startup), and a 304 when
 * `If-Modified-Since` is less than a second older than that.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

/** A body with its exact Content-Type. */
export interface ServedResource {
  /** The bytes sent. */
  readonly content: Uint8Array;
  /** The Content-Type, sent exactly as given (Java adds no charset). */
  readonly mimetype: string;
}

/**
 * Answers a GET or HEAD for one resource.
 * @param req the request (only `If-Modified-Since` is read)
 * @param res the response, ended here
 * @param resource what to send
 * @param lastModified when the resource was created, in epoch milliseconds
 */
export function sendResource(
  req: IncomingMessage,
  res: ServerResponse,
  resource: ServedResource,
  lastModified: number,
): void {
  res.setHeader('Cache-Control', 'no-cache');
  res.setHeader('Pragma', 'no-cache');
  res.setHeader('Last-Modified', new Date(lastModified).toUTCString());
  res.setHeader('Content-Type', resource.mimetype);
  const header = req.headers['if-modified-since'];
  const since = header === undefined ? Number.NaN : Date.parse(header);
  // Java: getLastModified() - getDateHeader("If-Modified-Since") < 1000; HTTP dates drop milliseconds.
  if (!Number.isNaN(since) && lastModified - since < 1000) {
    res.statusCode = 304;
    res.end();
    return;
  }
  res.statusCode = 200;
  res.setHeader('Content-Length', resource.content.byteLength);
  res.end(resource.content);
}
