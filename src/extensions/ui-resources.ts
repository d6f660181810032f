/**
 * @module The frontend files of all loaded extensions, gathered in load order (Java's
 * `ExtensionModule.loadExtensions`): JavaScript and CSS for `/app.js` and `/app.css`, HTML patches,
 * translation overlays, `/app/ext/<namespace>/<path>` resources and the two icons.
 */
import type { ExtensionLogger } from './environment.js';
import type { Extension, ExtensionResource } from './extension.js';
import type { TranslationOverlay } from './translations.js';

/** A resource together with the extension it came from. */
export interface OwnedResource extends ExtensionResource {
  /** The extension's file name. */
  readonly extension: string;
}

/** Everything the frontend routes serve from extensions, in load order. */
export interface ExtensionUiResources {
  /** Concatenated, after verifyCachedVersion.js, into `/app.js`. */
  readonly javaScript: readonly OwnedResource[];
  /** Concatenated into `/app.css`. */
  readonly css: readonly OwnedResource[];
  /** Returned by `/api/patches`. */
  readonly patches: readonly OwnedResource[];
  /** Overlaid on the web app's translations. */
  readonly translations: readonly TranslationOverlay[];
  /** `<namespace>/<path>` → resource, for `/app/ext/<namespace>/<path>`. */
  readonly staticResources: ReadonlyMap<string, OwnedResource>;
  /** Served at `/images/logo-64.png`, if any extension has one. */
  readonly smallIcon: OwnedResource | undefined;
  /** Served at `/images/logo-144.png`, if any extension has one. */
  readonly largeIcon: OwnedResource | undefined;
  /** `allowed-languages`; undefined allows every language. */
  readonly allowedLanguages: ReadonlySet<string> | undefined;
}

/** No extensions: empty lists, no icons, every language allowed. */
export const NO_UI_RESOURCES: ExtensionUiResources = Object.freeze({
  javaScript: [],
  css: [],
  patches: [],
  translations: [],
  staticResources: new Map<string, OwnedResource>(),
  smallIcon: undefined,
  largeIcon: undefined,
  allowedLanguages: undefined,
});

// Guice refuses two servlets on one path, so stock Guacamole fails to start where we keep the first.
const firstWins = 'the first one is kept (stock Guacamole would refuse to start)';

/**
 * Gathers the UI files of the loaded extensions.
 * @param extensions the extensions in load order
 * @param allowedLanguages `allowed-languages`, undefined for all
 * @param logger warned when two extensions claim the same URL
 * @returns the resources the frontend routes serve
 */
export function collectUiResources(
  extensions: readonly Extension[],
  allowedLanguages: ReadonlySet<string> | undefined,
  logger: ExtensionLogger,
): ExtensionUiResources {
  const own = (extension: Extension, resources: readonly ExtensionResource[]): OwnedResource[] =>
    resources.map((resource) => ({ ...resource, extension: extension.file }));
  const staticResources = new Map<string, OwnedResource>();
  let smallIcon: OwnedResource | undefined;
  let largeIcon: OwnedResource | undefined;
  const claim = (
    url: string,
    current: OwnedResource | undefined,
    candidate: OwnedResource,
  ): boolean => {
    if (current === undefined) return true;
    logger.warn(
      `Extension "${candidate.extension}" also provides ${url}, already provided by extension ` +
        `"${current.extension}"; ${firstWins}.`,
    );
    return false;
  };
  for (const extension of extensions) {
    // Java builds the prefix from a null namespace as the text "null".
    const namespace = extension.namespace ?? 'null';
    for (const resource of own(extension, extension.resources)) {
      const key = `${namespace}/${resource.path}`;
      if (claim(`/app/ext/${key}`, staticResources.get(key), resource))
        staticResources.set(key, resource);
    }
    const [small] = own(extension, extension.smallIcon ? [extension.smallIcon] : []);
    if (small && claim('/images/logo-64.png', smallIcon, small)) smallIcon = small;
    const [large] = own(extension, extension.largeIcon ? [extension.largeIcon] : []);
    if (large && claim('/images/logo-144.png', largeIcon, large)) largeIcon = large;
  }
  return {
    javaScript: extensions.flatMap((e) => own(e, e.javaScript)),
    css: extensions.flatMap((e) => own(e, e.css)),
    patches: extensions.flatMap((e) => own(e, e.html)),
    translations: extensions.flatMap((e) => own(e, e.translations)),
    staticResources,
    smallIcon,
    largeIcon,
    allowedLanguages,
  };
}
