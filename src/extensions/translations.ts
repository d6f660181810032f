/**
 * @module Translations (Java's `LanguageResourceService`): the web app's own language files, overlaid
 * in load order by each extension's file of the same key — objects merge recursively, anything else
 * replaces — and filtered by `allowed-languages`. A language with a single source is served as-is;
 * a merged one is re-serialised as compact JSON, as Jackson does.
 */
import type { ExtensionLogger } from './environment.js';
import { describeError } from './extension-error.js';

/** One extension translation file, in load order. */
export interface TranslationOverlay {
  /** The extension's file name, for messages. */
  readonly extension: string;
  /** The manifest path, e.g. `translations/de.json`; its last segment names the language. */
  readonly path: string;
  /** The file's bytes. */
  readonly content: Uint8Array;
}

/** What {@link buildTranslations} combines. */
export interface TranslationSources {
  /** The web app's languages: key (e.g. `en`, `pt_BR`) → parsed JSON. Default: none. */
  readonly base?: Readonly<Record<string, unknown>>;
  /** Every extension translation file, in extension load order. Default: none. */
  readonly overlays?: readonly TranslationOverlay[];
  /** `allowed-languages`; undefined allows all. */
  readonly allowedLanguages?: ReadonlySet<string> | undefined;
  /** Receives warnings about unusable files. */
  readonly logger: ExtensionLogger;
}

/** The served languages: key → the bytes of `/translations/<key>.json`. */
export type TranslationSet = ReadonlyMap<string, Uint8Array>;

// Java's `.*/([a-z]+(_[A-Z]+)?)\.json` with matches(): a directory part is required.
const LANGUAGE_FILE = /^.*\/([a-z]+(?:_[A-Z]+)?)\.json$/;
const LANGUAGE_KEY = /^[a-z]+(?:_[A-Z]+)?$/;

/**
 * Derives the language key from a translation path.
 * @param path e.g. `translations/pt_BR.json`
 * @returns the key (`pt_BR`), or undefined if the name is not `…/<key>.json`
 */
export function languageKeyOf(path: string): string | undefined {
  return LANGUAGE_FILE.exec(path)?.[1];
}

const isObject = (value: unknown): value is Record<string, unknown> =>
  typeof value === 'object' && value !== null && !Array.isArray(value);

/**
 * Overlays one translation tree on another as Java's `mergeTranslations` does.
 * @param original the tree so far (undefined when the key is new)
 * @param overlay the tree laid over it
 * @returns a new tree; neither input is modified
 */
export function mergeTranslations(original: unknown, overlay: unknown): unknown {
  if (!isObject(overlay) || original === undefined) return overlay;
  const merged: Record<string, unknown> = isObject(original) ? { ...original } : {};
  for (const [key, value] of Object.entries(overlay)) {
    const previous = isObject(original) && Object.hasOwn(original, key) ? original[key] : undefined;
    // defineProperty, so a key named __proto__ stays data, as in JSON.parse.
    Object.defineProperty(merged, key, {
      value: mergeTranslations(previous, value),
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return merged;
}

interface Entry {
  tree: unknown;
  /** The bytes to serve when nothing was merged into it. */
  raw: Uint8Array | undefined;
}

/**
 * Builds every served language.
 * @param sources the base languages, the overlays, `allowed-languages` and a logger
 * @returns language key → response body
 */
export function buildTranslations(sources: TranslationSources): TranslationSet {
  const { allowedLanguages, logger } = sources;
  const allowed = (key: string): boolean => allowedLanguages?.has(key) ?? true;
  const entries = new Map<string, Entry>();
  for (const [key, tree] of Object.entries(sources.base ?? {})) {
    if (!LANGUAGE_KEY.test(key)) logger.warn(`Invalid language key: "${key}"`);
    else if (allowed(key)) entries.set(key, { tree, raw: undefined });
  }
  for (const overlay of sources.overlays ?? []) {
    const key = languageKeyOf(overlay.path);
    if (key === undefined) {
      logger.warn(
        `Invalid language file name: "${overlay.path}" (extension "${overlay.extension}")`,
      );
      continue;
    }
    if (!allowed(key)) continue;
    let tree: unknown;
    try {
      tree = JSON.parse(new TextDecoder().decode(overlay.content).replace(/^\uFEFF/, ''));
    } catch (error) {
      logger.error(
        `Unable to merge language resource "${overlay.path}" of extension "${overlay.extension}": ` +
          describeError(error),
      );
      continue;
    }
    const existing = entries.get(key);
    entries.set(
      key,
      existing === undefined
        ? { tree, raw: overlay.content }
        : { tree: mergeTranslations(existing.tree, tree), raw: undefined },
    );
  }
  const encoder = new TextEncoder();
  return new Map(
    [...entries].map(([key, entry]) => [
      key,
      entry.raw ?? encoder.encode(JSON.stringify(entry.tree)),
    ]),
  );
}

/**
 * Reads each language's display name (root-level `NAME`), as `/api/languages` reports it.
 * @param translations the served languages
 * @returns key → name, the key itself when `NAME` is missing or not a string
 */
export function languageNames(translations: TranslationSet): Record<string, string> {
  const names: Record<string, string> = {};
  for (const [key, content] of translations) {
    let name: unknown;
    try {
      name = (JSON.parse(new TextDecoder().decode(content)) as Record<string, unknown>).NAME;
    } catch {
      name = undefined;
    }
    names[key] = typeof name === 'string' ? name : key;
  }
  return names;
}
