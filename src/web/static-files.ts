/**
 * @module An in-memory set of static files (read once at start-up, so a request can only ever reach a
 * file that was put in it), and the GET/HEAD responses for them: exact types, `ETag` revalidation,
 * gzip when the client accepts it, and `nosniff`.
 */
import { createHash } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { gzipSync } from 'node:zlib';
import { contentTypeOf, isCompressible } from './mime-types.js';

/** For files that may change between start-ups: always revalidate (cheap, thanks to the ETag). */
export const REVALIDATE = 'no-cache';

/** For files whose URL changes when their content does. */
export const IMMUTABLE = 'public, max-age=31536000, immutable';

/** Smaller files are not worth compressing. */
const MIN_GZIP_BYTES = 1024;

/** One file, ready to send. */
export interface StaticFile {
  /** The bytes. */
  readonly content: Uint8Array;
  /** The bytes gzipped, when that is smaller. */
  readonly gzip: Uint8Array | undefined;
  /** The Content-Type. */
  readonly contentType: string;
  /** A strong validator of `content` (quoted). */
  readonly etag: string;
}

/**
 * Prepares one file for sending.
 * @param name its name (its extension gives the type unless `contentType` is given)
 * @param content the bytes
 * @param contentType overrides the type derived from `name`
 * @returns the file
 */
export function staticFile(name: string, content: Uint8Array, contentType?: string): StaticFile {
  const type = contentType ?? contentTypeOf(name);
  const digest = createHash('sha256').update(content).digest('base64url').slice(0, 27);
  let gzip: Uint8Array | undefined;
  if (isCompressible(type) && content.byteLength >= MIN_GZIP_BYTES) {
    const packed = gzipSync(content, { level: 9 });
    if (packed.byteLength < content.byteLength) gzip = packed;
  }
  return { content, gzip, contentType: type, etag: `"${digest}"` };
}

/**
 * Maps the undecoded path of a request (`/a/b%20c.js`) to a file key (`a/b c.js`), refusing anything
 * that is not a plain relative path: a malformed escape, an encoded `/` or `\`, a NUL, or an empty,
 * `.` or `..` segment.
 * @param rawPath the path, starting with `/`
 * @returns the key, or undefined
 */
export function pathKeyOf(rawPath: string): string | undefined {
  const segments: string[] = [];
  for (const segment of rawPath.slice(1).split('/')) {
    let text: string;
    try {
      text = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    if (text === '' || text === '.' || text === '..' || /[/\\\0]/.test(text)) return undefined;
    segments.push(text);
  }
  return rawPath.startsWith('/') && segments.length > 0 ? segments.join('/') : undefined;
}

/**
 * Whether `If-None-Match` names one of the given validators.
 * @param header the request header
 * @param etags the validators of the representation
 * @returns true when the client's copy is current
 */
function matches(header: string | undefined, etags: readonly string[]): boolean {
  if (header === undefined) return false;
  return header
    .split(',')
    .map((tag) => tag.trim().replace(/^W\//, ''))
    .some((tag) => tag === '*' || etags.includes(tag));
}

/**
 * Whether the client accepts gzip (`Accept-Encoding` lists it with a non-zero weight).
 * @param header the request header
 * @returns true if gzip may be sent
 */
function acceptsGzip(header: string | undefined): boolean {
  return (header ?? '').split(',').some((part) => {
    const [coding = '', ...params] = part.split(';').map((s) => s.trim().toLowerCase());
    if (coding !== 'gzip' && coding !== '*') return false;
    const q = params.find((p) => p.startsWith('q='));
    return q === undefined || Number(q.slice(2)) > 0;
  });
}

/**
 * Answers a GET or HEAD with a file (HEAD bodies are dropped by Node).
 * @param req the request (`If-None-Match` and `Accept-Encoding` are read)
 * @param res the response, ended here
 * @param file what to send
 * @param cacheControl the `Cache-Control` value, e.g. {@link REVALIDATE} or {@link IMMUTABLE}
 */
export function sendStaticFile(
  req: IncomingMessage,
  res: ServerResponse,
  file: StaticFile,
  cacheControl: string,
): void {
  const gzipEtag = `${file.etag.slice(0, -1)}-gz"`;
  const useGzip = file.gzip !== undefined && acceptsGzip(req.headers['accept-encoding']);
  res.setHeader('Content-Type', file.contentType);
  res.setHeader('Cache-Control', cacheControl);
  res.setHeader('X-Content-Type-Options', 'nosniff');
  res.setHeader('ETag', useGzip ? gzipEtag : file.etag);
  if (file.gzip !== undefined) res.setHeader('Vary', 'Accept-Encoding');
  if (matches(req.headers['if-none-match'], [file.etag, gzipEtag])) {
    res.statusCode = 304;
    res.end();
    return;
  }
  const body = useGzip ? file.gzip : file.content;
  if (useGzip) res.setHeader('Content-Encoding', 'gzip');
  res.statusCode = 200;
  res.setHeader('Content-Length', body.byteLength);
  res.end(body);
}

/**
 * Whether a request only reads (the static routes answer nothing else).
 * @param req the request
 * @returns true for GET and HEAD
 */
export function isRead(req: IncomingMessage): boolean {
  return req.method === 'GET' || req.method === 'HEAD';
}
