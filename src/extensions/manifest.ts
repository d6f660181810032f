/**
 * @module The guac-manifest.json schema (Java's `ExtensionManifest`, read by a default Jackson
 * `ObjectMapper`): the same twelve keys, unknown keys rejected, `null` meaning absent.
 */
import { z } from 'zod';
import { ExtensionError } from './extension-error.js';

/** The manifest's file name; it must sit at the root of the archive or folder. */
export const MANIFEST_NAME = 'guac-manifest.json';

// Jackson maps a JSON null onto a field as Java null, which ExtensionManifest's users treat as absent.
const text = z.string().nullish();
const list = z.array(z.string()).nullish();

/** The raw schema; `.strict` because Jackson's FAIL_ON_UNKNOWN_PROPERTIES is on by default. */
export const manifestSchema = z.strictObject({
  guacamoleVersion: text,
  name: text,
  namespace: text,
  authProviders: list,
  listeners: list,
  js: list,
  css: list,
  html: list,
  translations: list,
  resources: z.record(z.string(), z.string()).nullish(),
  smallIcon: text,
  largeIcon: text,
});

/** A parsed manifest; absent and `null` keys are undefined or empty. */
export interface ExtensionManifest {
  /** The required Guacamole version or `*`; checked by the loader, not the schema. */
  readonly guacamoleVersion: string | undefined;
  /** The human-readable name (logs only). */
  readonly name: string | undefined;
  /** The short id: `/app/ext/<namespace>/`, `extension-priority`, logger `ext:<namespace>`. */
  readonly namespace: string | undefined;
  /** Java class names, or (for this server's extensions) module paths ending in .js/.mjs/.cjs. */
  readonly authProviders: readonly string[];
  /** Listener Java class names or module paths, like `authProviders`. */
  readonly listeners: readonly string[];
  /** Paths of JavaScript concatenated into `/app.js`. */
  readonly js: readonly string[];
  /** Paths of CSS concatenated into `/app.css`. */
  readonly css: readonly string[];
  /** Paths of HTML patches served by `/api/patches`. */
  readonly html: readonly string[];
  /** Paths of translation overlays, named `…/<language key>.json`. */
  readonly translations: readonly string[];
  /** Static resources served at `/app/ext/<namespace>/<path>`: path → MIME type, in manifest order. */
  readonly resources: readonly (readonly [path: string, mimetype: string])[];
  /** PNG served at `/images/logo-64.png`. */
  readonly smallIcon: string | undefined;
  /** PNG served at `/images/logo-144.png`. */
  readonly largeIcon: string | undefined;
}

function describePath(path: readonly PropertyKey[]): string {
  return path
    .map((part, index) =>
      typeof part === 'number' ? `[${part}]` : `${index > 0 ? '.' : ''}${String(part)}`,
    )
    .join('');
}

function describeIssue(issue: z.core.$ZodIssue): string {
  if (issue.code === 'unrecognized_keys') {
    const keys = issue.keys.map((key) => `"${key}"`).join(', ');
    const noun = issue.keys.length === 1 ? 'key' : 'keys';
    return `unknown ${noun} ${keys} (Guacamole rejects manifests with keys it does not know)`;
  }
  const where = describePath(issue.path);
  return where === '' ? issue.message : `"${where}": ${issue.message}`;
}

/**
 * Parses and validates guac-manifest.json as Guacamole would.
 * @param content the file's bytes or text (a leading UTF-8 byte-order mark is ignored, as Jackson does)
 * @param file the extension's file name, for the error message
 * @returns the manifest
 * @throws ExtensionError if the text is not JSON, is not an object, or breaks the schema
 */
export function parseManifest(content: string | Uint8Array, file: string): ExtensionManifest {
  const source = typeof content === 'string' ? content : new TextDecoder().decode(content);
  let json: unknown;
  try {
    json = JSON.parse(source.replace(/^\uFEFF/, ''));
  } catch (error) {
    const detail = error instanceof Error ? `: ${error.message}` : '';
    throw new ExtensionError(file, `${MANIFEST_NAME} is not valid JSON${detail}`, { cause: error });
  }
  if (json === null)
    throw new ExtensionError(file, `Contents of ${MANIFEST_NAME} must be a valid JSON object.`);
  if (typeof json !== 'object' || Array.isArray(json))
    throw new ExtensionError(file, `${MANIFEST_NAME} must contain a JSON object`);
  const result = manifestSchema.safeParse(json);
  if (!result.success) {
    const problems = result.error.issues.map(describeIssue).join('; ');
    throw new ExtensionError(file, `${MANIFEST_NAME} is invalid: ${problems}`);
  }
  const m = result.data;
  return {
    guacamoleVersion: m.guacamoleVersion ?? undefined,
    name: m.name ?? undefined,
    namespace: m.namespace ?? undefined,
    authProviders: m.authProviders ?? [],
    listeners: m.listeners ?? [],
    js: m.js ?? [],
    css: m.css ?? [],
    html: m.html ?? [],
    translations: m.translations ?? [],
    resources: Object.entries(m.resources ?? {}),
    smallIcon: m.smallIcon ?? undefined,
    largeIcon: m.largeIcon ?? undefined,
  };
}
