/**
 * @module The extension layer's public surface: loading `GUACAMOLE_HOME/extensions` (Guacamole `.jar`
 * files and this server's folder or `.zip` extensions), the manifest schema, ports of Java classes,
 * and the frontend routes extensions feed. Extensions themselves import only `./api.js`.
 */
export { EXTENSION_API_SPECIFIER, registerExtensionApiResolver } from './api-resolver.js';
export { APACHE_JAVA_CLASSES, isModulePath, type JavaClassInfo } from './java-classes.js';
export {
  BuiltInPortRegistry,
  builtInPorts,
  registerBuiltInPort,
  type BuiltInPortFactory,
} from './built-in-ports.js';
export {
  isExtensionListener,
  isExtensionProvider,
  type ExtensionClass,
  type ExtensionFactory,
  type ExtensionListener,
  type ExtensionProvider,
} from './contracts.js';
export {
  childLogger,
  SILENT_EXTENSION_LOGGER,
  type ExtensionEnvironment,
  type ExtensionLogger,
  type ParentLogger,
} from './environment.js';
export { describeError, ExtensionError } from './extension-error.js';
export { extensionComparator, type Orderable } from './extension-order.js';
export {
  createInertProvider,
  INERT_PROVIDER_WARNING,
  type InertProvider,
} from './inert-provider.js';
export {
  loadExtensions,
  type LoadedExtensionInfo,
  type LoadedExtensions,
  type LoadedListener,
  type LoadedProvider,
  type LoadExtensionsOptions,
} from './loader.js';
export {
  MANIFEST_NAME,
  manifestSchema,
  parseManifest,
  type ExtensionManifest,
} from './manifest.js';
export {
  buildTranslations,
  languageKeyOf,
  languageNames,
  mergeTranslations,
  type TranslationOverlay,
  type TranslationSet,
  type TranslationSources,
} from './translations.js';
export { createExtensionUiRouter, type ExtensionUiRouterOptions } from './ui-router.js';
export { NO_UI_RESOURCES, type ExtensionUiResources, type OwnedResource } from './ui-resources.js';
export { GUACAMOLE_VERSION, GuacamoleVersion, RUNNING_VERSION } from './version.js';
