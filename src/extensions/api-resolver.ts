/**
 * @module Resolving `guacamole-gateway/extension-api` for extensions. An extension installed in
 * GUACAMOLE_HOME/extensions has no `node_modules` holding this server, so Node alone cannot resolve the
 * API's public name from there. A module resolve hook (`module.register`) maps that name, from any
 * importer, to the very module the server itself runs (`./api.js` resolved as the server resolves it:
 * the built `dist/extensions/api.js`, or `src/extensions/api.ts` under tsx), so an extension shares the
 * server's classes (`instanceof` works across the boundary). The hook is registered once, before the
 * first extension module is imported.
 */
import { register } from 'node:module';

/** The API's public name, as extensions import it. */
export const EXTENSION_API_SPECIFIER = 'guacamole-gateway/extension-api';

/**
 * The hook, as an ES module of its own (hooks run on the loader thread). It resolves the public name by
 * resolving `./api.js` relative to this file through the rest of the chain, so other hooks (tsx) apply.
 */
const HOOK_SOURCE = `
let settings;
export function initialize(data) { settings = data; }
export async function resolve(specifier, context, nextResolve) {
  if (specifier !== settings.specifier) return nextResolve(specifier, context);
  const resolved = await nextResolve('./api.js', { ...context, parentURL: settings.parentURL });
  return { ...resolved, shortCircuit: true };
}
`;

let registered = false;

/**
 * Registers the resolve hook; later calls do nothing.
 * @returns true when this call registered it
 */
export function registerExtensionApiResolver(): boolean {
  if (registered) return false;
  registered = true;
  register(`data:text/javascript,${encodeURIComponent(HOOK_SOURCE)}`, {
    data: { specifier: EXTENSION_API_SPECIFIER, parentURL: import.meta.url },
  });
  return true;
}
