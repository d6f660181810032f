/**
 * @module Loading this server's extension modules. An `authProviders`/`listeners` entry ending in
 * `.js`, `.mjs` or `.cjs` is a path inside the extension; the module is imported with
 * `import(pathToFileURL(...))`, so its own `node_modules` resolve from the extension's folder.
 *
 * Extensions import the API as `guacamole-gateway/extension-api`; the resolve hook of
 * `api-resolver.ts` is registered before the first import, so that name reaches this server's own API
 * without any `node_modules`.
 *
 * Convention: the module's **default export** is either a class (`new Class(environment)`; a class
 * taking no arguments ignores it) or any other function, called as a factory `(environment) => value`
 * whose result may be a promise. Importing is Java's class loading (a failure rejects the extension);
 * constructing is Java's `ProviderFactory.newInstance` (a failure leaves an inert provider).
 */
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { registerExtensionApiResolver } from './api-resolver.js';
import type { ExtensionClass, ExtensionFactory } from './contracts.js';
import type { ExtensionEnvironment } from './environment.js';
import { describeError, ExtensionError } from './extension-error.js';
import { isSafeResourcePath } from './resource-path.js';

/** A module's default export, checked to be callable. */
export type ModuleExport = ExtensionClass<unknown> | ExtensionFactory<unknown>;

/**
 * Imports one module of an extension and returns its default export.
 * @param file the extension's file name, for messages
 * @param root the directory the extension's files are in
 * @param modulePath the manifest entry, e.g. `dist/provider.js`
 * @param list the manifest key naming it (`authProviders` or `listeners`), for messages
 * @returns the default export
 * @throws ExtensionError if the path leaves the extension, the import fails, or there is no callable default export
 */
export async function importExtensionModule(
  file: string,
  root: string,
  modulePath: string,
  list: string,
): Promise<ModuleExport> {
  const entry = `${list} entry "${modulePath}"`;
  if (!isSafeResourcePath(modulePath))
    throw new ExtensionError(file, `${entry} is not a relative path inside the extension`);
  registerExtensionApiResolver();
  let namespace: unknown;
  try {
    namespace = await import(pathToFileURL(join(root, modulePath)).href);
  } catch (error) {
    throw new ExtensionError(file, `${entry} could not be imported: ${describeError(error)}`, {
      cause: error,
    });
  }
  const exported = (namespace as { default?: unknown }).default;
  if (typeof exported !== 'function')
    throw new ExtensionError(
      file,
      `${entry} has no default export that is a class or a factory function`,
    );
  return exported as ModuleExport;
}

/**
 * Whether a function is a class (instantiated with `new`) rather than a factory.
 * @param fn the default export
 * @returns true for `class` syntax, or a classic constructor whose prototype has methods
 */
export function isClass(fn: ModuleExport): boolean {
  if (/^class[\s{]/.test(Function.prototype.toString.call(fn))) return true;
  const prototype: unknown = (fn as { prototype?: unknown }).prototype;
  return (
    typeof prototype === 'object' &&
    prototype !== null &&
    Object.getOwnPropertyNames(prototype).some((name) => name !== 'constructor')
  );
}

/**
 * Builds a provider or listener from a default export (or a built-in port factory).
 * @param exported the class or factory
 * @param environment what it receives
 * @returns what it produced
 * @throws whatever the constructor or factory throws or rejects with
 */
export async function instantiate(
  exported: ModuleExport,
  environment: ExtensionEnvironment,
): Promise<unknown> {
  if (isClass(exported)) return new (exported as ExtensionClass<unknown>)(environment);
  return await (exported as ExtensionFactory<unknown>)(environment);
}
