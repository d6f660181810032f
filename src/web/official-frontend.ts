/**
 * @module Serves the official Angular frontend from a `guacamole.war` or its unpacked directory, as the
 * Java web app does (spec §7.2): `index.html` with `Cache-Control: no-cache`, the build-id and version
 * substitutions Maven applies to `index.html`, `verifyCachedVersion.js` and `translations/*.json`, the
 * generated `/app.js`, `/app.css` and merged `/translations/<key>.json` of the extension UI router, then
 * every other file of the war (guacamole-common-js/all.min.js, the webpack bundles, fonts, images…).
 */
import express from 'express';
import type { Request, Response, Router } from 'express';
import {
  GUACAMOLE_VERSION,
  NO_UI_RESOURCES,
  SILENT_EXTENSION_LOGGER,
  buildTranslations,
  createExtensionUiRouter,
  languageNames,
  type ExtensionLogger,
  type ExtensionUiResources,
} from '../extensions/index.js';
import { readFrontendFiles } from './frontend-source.js';
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

/** Options of {@link createOfficialFrontend}. */
export interface OfficialFrontendOptions {
  /** `${guacamole.build.identifier}`, where the source still has it. Default: now, `yyyyMMddHHmmss` (UTC). */
  readonly buildId?: string;
  /** The `Last-Modified` time of the generated resources, in epoch ms. Default: now. */
  readonly lastModified?: number;
  /** Receives warnings about unusable translation files. Default: silent. */
  readonly logger?: ExtensionLogger;
  /** The loaded extensions' UI files (`LoadedExtensions.ui`). Default: none. */
  readonly resources?: ExtensionUiResources;
  /** A `guacamole.war` (any zip) or an unpacked web app directory (`guacamole-frontend`). */
  readonly source: string;
  /** `${project.version}`, where the source still has it. Default: {@link GUACAMOLE_VERSION}. */
  readonly version?: string;
}

/** The mounted frontend and what the REST API needs from it. */
export interface OfficialFrontend {
  /** Mount at the application's base path, next to the REST API and the tunnels. */
  readonly router: Router;
  /** What `GET /api/languages` answers: language key → display name, extensions merged in. */
  readonly languages: Readonly<Record<string, string>>;
  /** The build identifier substituted into the filtered files. */
  readonly buildId: string;
}

/** The files Maven filters (`guacamole/pom.xml`). */
const FILTERED = /^(?:index\.html|verifyCachedVersion\.js|translations\/[^/]+\.json)$/;

/** The web app's own languages (the extension router's `languageKeyOf` wants the same shape). */
const TRANSLATION = /^translations\/([a-z]+(?:_[A-Z]+)?)\.json$/;

/** webpack's `[contenthash]` names: their content never changes under the same URL. */
const HASHED = /\.[0-9a-f]{8,}\.(?:js|css)$/;

/**
 * Formats a build identifier as Maven's `timestamp-property` does.
 * @param date the time
 * @returns `yyyyMMddHHmmss`, in UTC
 */
export function formatBuildId(date: Date): string {
  return date.toISOString().replace(/\D/g, '').slice(0, 14);
}

/**
 * Parses the web app's translation files, skipping (with a warning) any that are not JSON.
 * @param files the frontend's files, already substituted
 * @param logger warned about unusable files
 * @returns language key → tree
 */
function parseTranslations(
  files: ReadonlyMap<string, Uint8Array>,
  logger: ExtensionLogger,
): Record<string, unknown> {
  const base: Record<string, unknown> = {};
  const decoder = new TextDecoder();
  for (const [name, content] of files) {
    const key = TRANSLATION.exec(name)?.[1];
    if (key === undefined) continue;
    try {
      base[key] = JSON.parse(decoder.decode(content).replace(/^\uFEFF/, ''));
    } catch (error) {
      logger.warn(`Ignoring the frontend's ${name}: ${String(error)}`);
    }
  }
  return base;
}

/**
 * Reads the frontend and creates its router.
 * @param options the war or directory, the extensions' resources and the substitutions
 * @returns the router, the languages for `/api/languages` and the build identifier
 * @throws FrontendSourceError when the source is missing, unreadable, or has no `index.html`
 */
export async function createOfficialFrontend(
  options: OfficialFrontendOptions,
): Promise<OfficialFrontend> {
  const buildId = options.buildId ?? formatBuildId(new Date());
  const version = options.version ?? GUACAMOLE_VERSION;
  const resources = options.resources ?? NO_UI_RESOURCES;
  const logger = options.logger ?? SILENT_EXTENSION_LOGGER;
  const files = await readFrontendFiles(options.source);
  const decoder = new TextDecoder();
  const encoder = new TextEncoder();
  for (const [name, content] of files) {
    if (!FILTERED.test(name)) continue;
    const text = decoder
      .decode(content)
      .replaceAll('${guacamole.build.identifier}', buildId)
      .replaceAll('${project.version}', version);
    files.set(name, encoder.encode(text));
  }
  const baseTranslations = parseTranslations(files, logger);
  const languages = languageNames(
    buildTranslations({
      base: baseTranslations,
      overlays: resources.translations,
      allowedLanguages: resources.allowedLanguages,
      logger: SILENT_EXTENSION_LOGGER,
    }),
  );

  const index = staticFile('index.html', files.get('index.html') as Uint8Array);
  const statics = new Map<string, StaticFile>();
  for (const [name, content] of files) {
    if (name !== 'index.html') statics.set(name, staticFile(name, content));
  }
  const sendIndex = (req: Request, res: Response): void => {
    if (req.path === '/' && redirectToSlash(req, res)) return;
    // The web app's CacheRevalidationFilter on /index.html.
    res.setHeader('Pragma', 'no-cache');
    sendStaticFile(req, res, index, REVALIDATE);
  };

  const router = express.Router({ caseSensitive: true, strict: true });
  router.get('/', sendIndex);
  router.get('/index.html', sendIndex);
  router.use(
    createExtensionUiRouter({
      resources,
      verifyCachedVersion: files.get('verifyCachedVersion.js') ?? '',
      baseTranslations,
      logger,
      ...(options.lastModified === undefined ? {} : { lastModified: options.lastModified }),
    }),
  );
  router.use((req, res, next) => {
    const key = isRead(req) ? pathKeyOf(req.path) : undefined;
    const file = key === undefined ? undefined : statics.get(key);
    if (key === undefined || file === undefined) next();
    else sendStaticFile(req, res, file, HASHED.test(key) ? IMMUTABLE : REVALIDATE);
  });
  return { router, languages, buildId };
}
