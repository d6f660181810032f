/**
 * @module Reading one extension (Java's `Extension` constructor plus the version check): the manifest,
 * the `guacamoleVersion` rule, the providers and listeners it names (modules imported now, as Java
 * loads classes now), and every UI file read into memory once.
 */
import type { BuiltInPortFactory, BuiltInPortRegistry } from './built-in-ports.js';
import type { ExtensionLogger } from './environment.js';
import { ExtensionError } from './extension-error.js';
import type { ExtensionSource } from './extension-source.js';
import { APACHE_JAVA_CLASSES, isModulePath, type JavaClassInfo } from './java-classes.js';
import { parseManifest, type ExtensionManifest } from './manifest.js';
import { importExtensionModule, type ModuleExport } from './module-loader.js';
import { GuacamoleVersion, RUNNING_VERSION } from './version.js';

/** One file of an extension, in memory, with the MIME type it is served as. */
export interface ExtensionResource {
  /** The manifest path, e.g. `translations/en.json`. */
  readonly path: string;
  /** The Content-Type it is served with. */
  readonly mimetype: string;
  /** The file's bytes. */
  readonly content: Uint8Array;
}

/** How one `authProviders`/`listeners` entry will be instantiated. */
export type ComponentEntry =
  | { readonly kind: 'module'; readonly entry: string; readonly exported: ModuleExport }
  | {
      readonly kind: 'port';
      readonly entry: string;
      readonly factory: BuiltInPortFactory;
      readonly info: JavaClassInfo | undefined;
    }
  | { readonly kind: 'java'; readonly entry: string; readonly info: JavaClassInfo | undefined };

/** An extension that was read successfully and passed the version check. */
export interface Extension {
  /** The file or folder name inside `GUACAMOLE_HOME/extensions`. */
  readonly file: string;
  /** Its absolute path. */
  readonly path: string;
  /** Whether it is an archive or a folder. */
  readonly kind: 'archive' | 'folder';
  /** The parsed manifest. */
  readonly manifest: ExtensionManifest;
  /** The manifest namespace, if any. */
  readonly namespace: string | undefined;
  /** The entries of `authProviders`, in manifest order. */
  readonly providers: readonly ComponentEntry[];
  /** The entries of `listeners`, in manifest order. */
  readonly listeners: readonly ComponentEntry[];
  /** `js` files (text/javascript), in manifest order. */
  readonly javaScript: readonly ExtensionResource[];
  /** `css` files (text/css). */
  readonly css: readonly ExtensionResource[];
  /** `html` patches (text/html). */
  readonly html: readonly ExtensionResource[];
  /** `translations` files (application/json). */
  readonly translations: readonly ExtensionResource[];
  /** `resources`, with their declared MIME types. */
  readonly resources: readonly ExtensionResource[];
  /** `smallIcon` (image/png), if present. */
  readonly smallIcon: ExtensionResource | undefined;
  /** `largeIcon` (image/png), if present. */
  readonly largeIcon: ExtensionResource | undefined;
}

/** What {@link readExtension} needs besides the source. */
export interface ReadExtensionOptions {
  /** Ports that replace Java classes. */
  readonly ports: BuiltInPortRegistry;
  /** Receives warnings about files the manifest names but the extension lacks. */
  readonly logger: ExtensionLogger;
}

function checkVersion(file: string, manifest: ExtensionManifest): void {
  const declared = manifest.guacamoleVersion;
  if (declared === undefined)
    throw new ExtensionError(file, 'guac-manifest.json has no "guacamoleVersion"');
  let required: GuacamoleVersion;
  try {
    required = new GuacamoleVersion(declared);
  } catch (error) {
    throw new ExtensionError(file, (error as Error).message, { cause: error });
  }
  if (!RUNNING_VERSION.provides(required))
    throw new ExtensionError(
      file,
      `Extension "${manifest.name ?? file}" is not compatible with this version of Guacamole ` +
        `(it requires ${declared}; this server is ${RUNNING_VERSION.text}).`,
    );
}

async function resolveEntries(
  source: ExtensionSource,
  entries: readonly string[],
  list: 'authProviders' | 'listeners',
  ports: BuiltInPortRegistry,
): Promise<ComponentEntry[]> {
  const resolved: ComponentEntry[] = [];
  for (const entry of entries) {
    if (isModulePath(entry)) {
      const root = await source.moduleRoot();
      const exported = await importExtensionModule(source.file, root, entry, list);
      resolved.push({ kind: 'module', entry, exported });
      continue;
    }
    const info = APACHE_JAVA_CLASSES.get(entry);
    const factory = ports.get(entry);
    resolved.push(
      factory === undefined
        ? { kind: 'java', entry, info }
        : { kind: 'port', entry, factory, info },
    );
  }
  return resolved;
}

type UiFiles = Pick<
  Extension,
  'javaScript' | 'css' | 'html' | 'translations' | 'resources' | 'smallIcon' | 'largeIcon'
>;

async function readUiFiles(
  source: ExtensionSource,
  manifest: ExtensionManifest,
  logger: ExtensionLogger,
): Promise<UiFiles> {
  const { js, css, html, translations, resources, smallIcon, largeIcon } = manifest;
  const icons = [smallIcon, largeIcon].filter((p) => p !== undefined);
  const files = await source.readAll([
    ...[js, css, html, translations].flat(),
    ...resources.map(([path]) => path),
    ...icons,
  ]);
  const take = (key: string, paths: readonly string[], mimetype: string): ExtensionResource[] =>
    // Java keys each list by path (a LinkedHashMap), so a repeated path counts once.
    [...new Set(paths)].flatMap((path) => {
      const content = files.get(path);
      if (content !== undefined) return [{ path, mimetype, content }];
      logger.warn(
        `Extension "${source.file}": ${key} file "${path}" named in guac-manifest.json does not ` +
          'exist; it is left out.',
      );
      return [];
    });
  const icon = (key: string, path: string | undefined): ExtensionResource | undefined =>
    path === undefined ? undefined : take(key, [path], 'image/png')[0];
  return {
    javaScript: take('js', js, 'text/javascript'),
    css: take('css', css, 'text/css'),
    html: take('html', html, 'text/html'),
    translations: take('translations', translations, 'application/json'),
    resources: resources.flatMap(([path, mimetype]) => take('resources', [path], mimetype)),
    smallIcon: icon('smallIcon', smallIcon),
    largeIcon: icon('largeIcon', largeIcon),
  };
}

/**
 * Reads and validates one extension; nothing is instantiated yet.
 * @param source the archive or folder
 * @param options ports and logger
 * @returns the extension with its UI files in memory
 * @throws ExtensionError if the manifest is missing or invalid, the version is unusable or
 * incompatible, or a module cannot be imported
 */
export async function readExtension(
  source: ExtensionSource,
  options: ReadExtensionOptions,
): Promise<Extension> {
  const { file } = source;
  const manifest = parseManifest(await source.readManifest(), file);
  // Checked before any module is imported, so an incompatible extension runs no code.
  checkVersion(file, manifest);
  const { ports } = options;
  const providers = await resolveEntries(source, manifest.authProviders, 'authProviders', ports);
  const listeners = await resolveEntries(source, manifest.listeners, 'listeners', ports);
  return {
    file,
    path: source.path,
    kind: source.kind,
    manifest,
    namespace: manifest.namespace,
    providers,
    listeners,
    ...(await readUiFiles(source, manifest, options.logger)),
  };
}
