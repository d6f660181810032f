/**
 * @module loadExtensions: discovery, reading, `extension-priority` ordering and instantiation of every
 * extension in `GUACAMOLE_HOME/extensions` (Java's `ExtensionModule`). A broken extension is logged
 * and skipped; the server always starts. Archives whose providers are JavaScript modules are extracted
 * to a temporary directory per extension, removed by {@link LoadedExtensions.close}.
 */
import { rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import type { Configuration, Property } from '../config/index.js';
import { ALLOWED_LANGUAGES, EXTENSION_PRIORITY, SKIP_IF_UNAVAILABLE } from '../config/index.js';
import { builtInPorts, type BuiltInPortRegistry } from './built-in-ports.js';
import { instantiateComponents } from './components.js';
import type { ExtensionListener, ExtensionProvider } from './contracts.js';
import { discoverExtensions, EXTENSIONS_DIRECTORY, type ExtensionCandidate } from './discovery.js';
import { childLogger, SILENT_EXTENSION_LOGGER } from './environment.js';
import type { ExtensionEnvironment, ExtensionLogger, ParentLogger } from './environment.js';
import { describeError, ExtensionError } from './extension-error.js';
import { extensionComparator } from './extension-order.js';
import { archiveSource, folderSource, temporaryDirectoriesIn } from './extension-source.js';
import type { TemporaryDirectories } from './extension-source.js';
import { readExtension, type Extension, type ReadExtensionOptions } from './extension.js';
import type { ExtensionManifest } from './manifest.js';
import { collectUiResources, type ExtensionUiResources } from './ui-resources.js';

/** What {@link loadExtensions} needs. */
export interface LoadExtensionsOptions {
  /** The effective configuration (`extension-priority`, `allowed-languages`, …; handed to extensions). */
  readonly configuration: Configuration;
  /** GUACAMOLE_HOME; extensions are read from its `extensions` folder. */
  readonly guacamoleHome: string;
  /** The application's logger; extensions get children named `ext:<namespace>`. Default: silent. */
  readonly logger?: ParentLogger;
  /** Ports replacing Java classes. Default: the registry `registerBuiltInPort` fills. */
  readonly ports?: BuiltInPortRegistry;
  /** Where archives with JavaScript modules are extracted. Default: `os.tmpdir()`. */
  readonly temporaryDirectory?: string;
}

/** An extension that loaded. */
export interface LoadedExtensionInfo {
  /** The file or folder name inside `GUACAMOLE_HOME/extensions`. */
  readonly file: string;
  /** Its absolute path. */
  readonly path: string;
  /** Whether it is an archive or a folder. */
  readonly kind: 'archive' | 'folder';
  /** The manifest's `name`. */
  readonly name: string | undefined;
  /** The manifest's `namespace`. */
  readonly namespace: string | undefined;
  /** The whole manifest. */
  readonly manifest: ExtensionManifest;
}

/** One authentication provider, in authentication order. */
export interface LoadedProvider {
  /** The provider, or an inert placeholder if it failed to start. */
  readonly provider: ExtensionProvider;
  /** Whether it is the placeholder (Java's facade holding null). */
  readonly inert: boolean;
  /** The manifest entry it came from (module path or Java class name). */
  readonly source: string;
  /** The extension it belongs to. */
  readonly extension: LoadedExtensionInfo;
}

/** One listener, in event order. */
export interface LoadedListener {
  /** The listener. */
  readonly listener: ExtensionListener;
  /** The manifest entry it came from. */
  readonly source: string;
  /** The extension it belongs to. */
  readonly extension: LoadedExtensionInfo;
}

/** The result of loading every extension. */
export interface LoadedExtensions {
  /** The extensions that loaded, in load order. */
  readonly extensions: readonly LoadedExtensionInfo[];
  /** Their providers in load order (the built-in file provider comes after these). */
  readonly providers: readonly LoadedProvider[];
  /** Their listeners in load order. */
  readonly listeners: readonly LoadedListener[];
  /** Their frontend files, for the UI router. */
  readonly ui: ExtensionUiResources;
  /** `skip-if-unavailable`: provider identifiers whose internal failures are tolerated. */
  readonly skipIfUnavailable: ReadonlySet<string>;
  /** Removes the temporary extraction directories; idempotent. Providers are not shut down here. */
  close(): Promise<void>;
}

function readProperty<T>(
  configuration: Configuration,
  property: Property<T>,
  logger: ExtensionLogger,
): T | undefined {
  try {
    return configuration.get(property);
  } catch (error) {
    // Java logs the parse failure and falls back to the default behaviour.
    logger.warn(`The property "${property.name}" could not be parsed: ${describeError(error)}`);
    return undefined;
  }
}

function describeOrder(extensions: readonly Extension[], logger: ExtensionLogger): void {
  if (extensions.length <= 1) return;
  logger.info(
    'Multiple extensions are installed and will be loaded in order of decreasing priority:',
  );
  for (const e of extensions)
    logger.info(` - [${e.namespace ?? 'null'}] "${e.manifest.name ?? 'null'}" (${e.path})`);
  logger.info(
    `To change this order, set the "${EXTENSION_PRIORITY.name}" property or rename the extension ` +
      'files. The default priority of extensions is dictated by the sort order of their filenames.',
  );
}

async function readExtensions(
  candidates: readonly ExtensionCandidate[],
  temporary: TemporaryDirectories,
  options: ReadExtensionOptions,
): Promise<Extension[]> {
  const { logger } = options;
  const extensions: Extension[] = [];
  for (const candidate of candidates) {
    logger.debug(`Reading extension: "${candidate.file}"`);
    try {
      const source =
        candidate.kind === 'archive'
          ? await archiveSource(candidate.path, temporary)
          : folderSource(candidate.path);
      extensions.push(await readExtension(source, options));
    } catch (error) {
      logger.error(
        error instanceof ExtensionError
          ? error.message
          : `Extension "${candidate.file}" could not be loaded: ${describeError(error)}`,
      );
    }
  }
  return extensions;
}

async function instantiateAll(
  extensions: readonly Extension[],
  base: Omit<ExtensionEnvironment, 'logger'>,
  logger: ParentLogger,
): Promise<Pick<LoadedExtensions, 'extensions' | 'providers' | 'listeners'>> {
  const infos: LoadedExtensionInfo[] = [];
  const providers: LoadedProvider[] = [];
  const listeners: LoadedListener[] = [];
  for (const extension of extensions) {
    const { file, path, kind, namespace, manifest } = extension;
    const info = Object.freeze({ file, path, kind, name: manifest.name, namespace, manifest });
    const name = `ext:${namespace ?? file}`;
    const environment = { ...base, logger: childLogger(logger, name) };
    const built = await instantiateComponents(extension, environment, logger);
    for (const p of built.providers)
      providers.push({ provider: p.provider, inert: p.inert, source: p.entry, extension: info });
    for (const l of built.listeners)
      listeners.push({ listener: l.listener, source: l.entry, extension: info });
    infos.push(info);
    logger.info(`Extension "${manifest.name ?? 'null'}" (${namespace ?? 'null'}) loaded.`);
  }
  return { extensions: infos, providers, listeners };
}

/**
 * Loads every extension in `GUACAMOLE_HOME/extensions`.
 * @param options configuration, GUACAMOLE_HOME, logger, ports and temporary directory
 * @returns the loaded extensions; a broken extension is logged and skipped, never thrown
 */
export async function loadExtensions(options: LoadExtensionsOptions): Promise<LoadedExtensions> {
  const { configuration } = options;
  const logger = options.logger ?? SILENT_EXTENSION_LOGGER;
  const guacamoleHome = resolve(options.guacamoleHome);
  const created: string[] = [];
  const temporary = temporaryDirectoriesIn(options.temporaryDirectory ?? tmpdir(), created);
  let closed: Promise<void> | undefined;
  const close = (): Promise<void> =>
    (closed ??= Promise.all(
      created.map((directory) => rm(directory, { recursive: true, force: true })),
    ).then(() => undefined));
  try {
    const candidates = await discoverExtensions(join(guacamoleHome, EXTENSIONS_DIRECTORY), logger);
    const ports = options.ports ?? builtInPorts;
    const extensions = await readExtensions(candidates, temporary, { ports, logger });
    const priority = readProperty(configuration, EXTENSION_PRIORITY, logger);
    extensions.sort(extensionComparator(priority, logger, EXTENSION_PRIORITY.name));
    describeOrder(extensions, logger);
    const loaded = await instantiateAll(extensions, { guacamoleHome, configuration }, logger);
    const allowedLanguages = readProperty(configuration, ALLOWED_LANGUAGES, logger);
    return {
      ...loaded,
      ui: collectUiResources(extensions, allowedLanguages, logger),
      skipIfUnavailable: readProperty(configuration, SKIP_IF_UNAVAILABLE, logger) ?? new Set(),
      close,
    };
  } catch (error) {
    await close();
    throw error;
  }
}
