/**
 * @module Content types of the static files both frontends serve, by file extension (Tomcat's defaults
 * for the types a Guacamole build contains, plus web.xml's `mp3`/`ogg` mappings).
 */
import { extname } from 'node:path';

/** Extension (lower case, with the dot) → Content-Type. */
const TYPES: Readonly<Record<string, string>> = {
  '.css': 'text/css; charset=utf-8',
  '.eot': 'application/vnd.ms-fontobject',
  '.gif': 'image/gif',
  '.htm': 'text/html; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.ico': 'image/x-icon',
  '.jpeg': 'image/jpeg',
  '.jpg': 'image/jpeg',
  '.js': 'text/javascript; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.mjs': 'text/javascript; charset=utf-8',
  '.mp3': 'audio/mpeg',
  '.ogg': 'audio/ogg',
  '.otf': 'font/otf',
  '.png': 'image/png',
  '.svg': 'image/svg+xml',
  '.ttf': 'font/ttf',
  '.txt': 'text/plain; charset=utf-8',
  '.wav': 'audio/wav',
  '.webmanifest': 'application/manifest+json',
  '.webp': 'image/webp',
  '.woff': 'font/woff',
  '.woff2': 'font/woff2',
  '.xml': 'application/xml',
};

/** What files of an unknown type are sent as (with `nosniff`, browsers will not guess otherwise). */
export const DEFAULT_CONTENT_TYPE = 'application/octet-stream';

/**
 * Picks the Content-Type of a file from its name.
 * @param name a file name or path
 * @returns the type, {@link DEFAULT_CONTENT_TYPE} when the extension is unknown
 */
export function contentTypeOf(name: string): string {
  return TYPES[extname(name).toLowerCase()] ?? DEFAULT_CONTENT_TYPE;
}

/**
 * Whether a type is worth compressing (text, JSON, SVG).
 * @param contentType a Content-Type from {@link contentTypeOf}
 * @returns true for textual types
 */
export function isCompressible(contentType: string): boolean {
  return /^(?:text\/|application\/(?:json|xml|manifest\+json)|image\/svg\+xml)/.test(contentType);
}
