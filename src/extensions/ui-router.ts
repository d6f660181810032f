/**
 * @module The frontend routes extensions feed (spec §7.2, Java's `ExtensionModule.configureServlets`
 * and `PatchRESTService`): `/app.js`, `/app.css`, `/translations/<key>.json`, `/api/patches`,
 * `/app/ext/<namespace>/<path>` and the two icons. Every body is built once, at creation, from memory.
 */
import express from 'express';
import type { NextFunction, Request, Response, Router } from 'express';
import { SILENT_EXTENSION_LOGGER, type ExtensionLogger } from './environment.js';
import { sendResource, type ServedResource } from './resource-response.js';
import { buildTranslations } from './translations.js';
import type { ExtensionUiResources, OwnedResource } from './ui-resources.js';

/** What the routes serve. */
export interface ExtensionUiRouterOptions {
  /** The extensions' files (`LoadedExtensions.ui`), including `allowed-languages`. */
  readonly resources: ExtensionUiResources;
  /** The web app's verifyCachedVersion.js (build id substituted), first in `/app.js`. Default: empty. */
  readonly verifyCachedVersion?: string | Uint8Array;
  /** The web app's translations: language key → JSON (`${project.version}` substituted). Default: none. */
  readonly baseTranslations?: Readonly<Record<string, unknown>>;
  /** Receives warnings about unusable translation files. Default: silent. */
  readonly logger?: ExtensionLogger;
  /** The `Last-Modified` time of every resource, in epoch ms. Default: when the router is created. */
  readonly lastModified?: number;
}

const encoder = new TextEncoder();
const bytes = (value: string | Uint8Array): Uint8Array =>
  typeof value === 'string' ? encoder.encode(value) : value;

function concat(parts: readonly Uint8Array[]): Uint8Array {
  return Buffer.concat(
    parts.map((part) => Buffer.from(part.buffer, part.byteOffset, part.byteLength)),
  );
}

const TRANSLATION_FILE = /^([a-z]+(?:_[A-Z]+)?)\.json$/;

/**
 * Maps the part of a URL after `/app/ext/` to a resource key, refusing anything that is not a plain
 * relative path: a malformed escape, an encoded `/` or `\`, a NUL, or an empty, `.` or `..` segment.
 * @param rawPath the undecoded path, starting with `/`
 * @returns `<namespace>/<path>`, decoded, or undefined
 */
export function resourceKeyOf(rawPath: string): string | undefined {
  const decoded: string[] = [];
  for (const segment of rawPath.slice(1).split('/')) {
    let text: string;
    try {
      text = decodeURIComponent(segment);
    } catch {
      return undefined;
    }
    if (text === '' || text === '.' || text === '..' || /[/\\\0]/.test(text)) return undefined;
    decoded.push(text);
  }
  return decoded.length < 2 ? undefined : decoded.join('/');
}

/** The bodies every route serves, built once. */
interface Bodies {
  readonly appJs: ServedResource;
  readonly appCss: ServedResource;
  readonly patches: Uint8Array;
  readonly translations: ReadonlyMap<string, Uint8Array>;
}

function buildBodies(options: ExtensionUiRouterOptions): Bodies {
  const { resources } = options;
  const decoder = new TextDecoder();
  const verify = bytes(options.verifyCachedVersion ?? '');
  return {
    appJs: {
      content: concat([verify, ...resources.javaScript.map((r) => r.content)]),
      mimetype: 'text/javascript',
    },
    // Java's SequenceResource reports application/octet-stream when there is no CSS at all; a
    // stylesheet with that type draws a browser warning, so the type is always text/css here.
    appCss: { content: concat(resources.css.map((r) => r.content)), mimetype: 'text/css' },
    patches: encoder.encode(
      JSON.stringify(resources.patches.map((p) => decoder.decode(p.content))),
    ),
    translations: buildTranslations({
      base: options.baseTranslations ?? {},
      overlays: resources.translations,
      allowedLanguages: resources.allowedLanguages,
      logger: options.logger ?? SILENT_EXTENSION_LOGGER,
    }),
  };
}

function notFound(res: Response): void {
  res.statusCode = 404;
  res.end();
}

/**
 * Creates the router; mount it at the application's base path.
 * @param options the resources and the web app's own parts
 * @returns an Express router (GET and HEAD)
 */
export function createExtensionUiRouter(options: ExtensionUiRouterOptions): Router {
  const { resources } = options;
  const lastModified = options.lastModified ?? Date.now();
  const bodies = buildBodies(options);
  const send = (req: Request, res: Response, resource: ServedResource | undefined): void => {
    if (resource === undefined) notFound(res);
    else sendResource(req, res, resource, lastModified);
  };
  const router = express.Router({ caseSensitive: true, strict: true });
  router.get('/app.js', (req, res) => {
    send(req, res, bodies.appJs);
  });
  router.get('/app.css', (req, res) => {
    send(req, res, bodies.appCss);
  });
  router.get('/api/patches', (_req, res) => {
    res.statusCode = 200;
    res.setHeader('Content-Type', 'application/json');
    res.setHeader('Content-Length', bodies.patches.byteLength);
    res.end(bodies.patches);
  });
  router.get('/translations/:file', (req, res) => {
    const key = TRANSLATION_FILE.exec(req.params.file)?.[1];
    const content = key === undefined ? undefined : bodies.translations.get(key);
    send(req, res, content && { content, mimetype: 'application/json' });
  });
  const icon =
    (resource: OwnedResource | undefined) => (req: Request, res: Response, next: NextFunction) => {
      // Without an extension icon, the web app's own image (served after this router) applies.
      if (resource === undefined) next();
      else send(req, res, resource);
    };
  router.get('/images/logo-64.png', icon(resources.smallIcon));
  router.get('/images/logo-144.png', icon(resources.largeIcon));
  router.use('/app/ext', (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      next();
      return;
    }
    const key = resourceKeyOf(req.path);
    send(req, res, key === undefined ? undefined : resources.staticResources.get(key));
  });
  return router;
}
