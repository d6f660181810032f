/**
 * @module The built-in web UI: `index.html` at the base path and its modules, stylesheet and
 * guacamole-common-js (the npm 1.5.0 ESM build, with our fixes in src/web/public) under
 * `static/<version>/`, where `<version>` is a digest of every file, so all of them can be cached for
 * good while `index.html` is always revalidated.
 */
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import express from 'express';
import type { Request, Response, Router } from 'express';
import { redirectToSlash } from './slash-redirect.js';
import {
  IMMUTABLE,
  REVALIDATE,
  isRead,
  pathKeyOf,
  sendStaticFile,
  staticFile,
  type StaticFile,
} from './static-files.js';

/** Options of {@link createWebUi}; all optional. */
export interface WebUiOptions {
  /** guacamole-common-js's ESM build. Default: the installed package's minified ESM build. */
  readonly guacamoleCommonJs?: string;
  /** The browser files (this module's `public` folder). Default: src/web/public, found from here. */
  readonly publicDirectory?: string;
}

/** Where the versioned files live, relative to the base path. */
export const WEB_UI_STATIC_PATH = 'static';

/** The page, inside the public folder; `{{STATIC}}` becomes `static/<version>`. */
const INDEX_FILE = 'ui/index.html';

/** Where guacamole-common-js is served, inside `static/<version>/`. */
const LIBRARY_KEY = 'vendor/guacamole-common.js';

/**
 * The page's policy: scripts and styles only from here; the display draws from `blob:`/`data:`
 * images; tunnels and REST calls go to this origin (`ws:`/`wss:` listed for browsers whose `'self'`
 * does not cover WebSockets yet).
 */
const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data: blob:",
  "media-src 'self' data: blob:",
  "connect-src 'self' ws: wss:",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
].join('; ');

/** @returns src/web/public, beside this module in src or, from dist/web, back in src */
function defaultPublicDirectory(): string {
  const here = dirname(fileURLToPath(import.meta.url));
  const candidates = [join(here, 'public'), join(here, '..', '..', 'src', 'web', 'public')];
  return candidates.find((dir) => existsSync(join(dir, INDEX_FILE))) ?? (candidates[0] as string);
}

/** @returns the installed guacamole-common-js ESM build, minified when available */
function defaultLibrary(): string {
  let main: string;
  try {
    main = fileURLToPath(import.meta.resolve('guacamole-common-js'));
  } catch (error) {
    throw new Error('The web UI needs the guacamole-common-js package (npm 1.5.0) installed.', {
      cause: error,
    });
  }
  const minified = main.replace(/\.js$/, '.min.js');
  return existsSync(minified) ? minified : main;
}

/**
 * Reads every file under a folder.
 * @param root the folder
 * @returns `a/b.js` → bytes, dot files skipped
 */
function readTree(root: string): Map<string, Uint8Array> {
  const files = new Map<string, Uint8Array>();
  for (const entry of readdirSync(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile() || entry.name.startsWith('.')) continue;
    const path = join(entry.parentPath, entry.name);
    files.set(relative(root, path).split(sep).join('/'), readFileSync(path));
  }
  return files;
}

/**
 * Creates the built-in UI's router; mount it at the application's base path, next to the REST API
 * (`api/…`) and the tunnels (`tunnel`, `websocket-tunnel`), which the UI reaches by relative URLs.
 * @param options where the browser files and guacamole-common-js are
 * @returns an Express router answering GET and HEAD for `/`, `/index.html` and `/static/…`
 * @throws {Error} when the browser files or guacamole-common-js cannot be read
 */
export function createWebUi(options: WebUiOptions = {}): Router {
  const publicDirectory = options.publicDirectory ?? defaultPublicDirectory();
  const sources = readTree(publicDirectory);
  const template = sources.get(INDEX_FILE);
  if (template === undefined) throw new Error(`The web UI's ${INDEX_FILE} is missing.`);
  sources.delete(INDEX_FILE);
  sources.set(LIBRARY_KEY, readFileSync(options.guacamoleCommonJs ?? defaultLibrary()));

  const files = new Map<string, StaticFile>();
  const digest = createHash('sha256');
  for (const key of [...sources.keys()].sort()) {
    const file = staticFile(key, sources.get(key) as Uint8Array);
    files.set(key, file);
    digest.update(`${key}\0${file.etag}\0`);
  }
  const version = digest.digest('hex').slice(0, 16);
  const html = new TextDecoder()
    .decode(template)
    .replaceAll('{{STATIC}}', `${WEB_UI_STATIC_PATH}/${version}`);
  const index = staticFile('index.html', new TextEncoder().encode(html));

  const sendIndex = (req: Request, res: Response): void => {
    if (req.path === '/' && redirectToSlash(req, res)) return;
    res.setHeader('Content-Security-Policy', CONTENT_SECURITY_POLICY);
    res.setHeader('Referrer-Policy', 'no-referrer');
    sendStaticFile(req, res, index, REVALIDATE);
  };
  const router = express.Router({ caseSensitive: true, strict: true });
  router.get('/', sendIndex);
  router.get('/index.html', sendIndex);
  router.use(`/${WEB_UI_STATIC_PATH}`, (req, res, next) => {
    if (!isRead(req)) {
      next();
      return;
    }
    const key = pathKeyOf(req.path);
    const file = key?.startsWith(`${version}/`)
      ? files.get(key.slice(version.length + 1))
      : undefined;
    if (file === undefined) res.status(404).end();
    else sendStaticFile(req, res, file, IMMUTABLE);
  });
  return router;
}
