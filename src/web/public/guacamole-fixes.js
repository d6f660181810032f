/**
 * @module Fixes for the two code-point defects of guacamole-common-js before 1.5.2 (the npm 1.5.0 build):
 * a Parser that counts Unicode code points, and WebSocket/HTTP tunnels that send code-point lengths; plus
 * a StringWriter/StringReader whose UTF-8 survives characters outside the BMP (a defect still present
 * after 1.5.2: GUACAMOLE-1972). Everything else (Client, Display, Keyboard, Mouse, ChainedTunnel) stays
 * guacamole-common-js's own.
 *
 * Usage, in the browser:
 *
 *     import Guacamole from '…/guacamole-common.js';
 *     import { installGuacamoleFixes } from '…/guacamole-fixes.js';
 *     const { WebSocketTunnel, HTTPTunnel, ChainedTunnel } = installGuacamoleFixes(Guacamole);
 *     const client = new Guacamole.Client(
 *       new ChainedTunnel(new WebSocketTunnel('websocket-tunnel'), new HTTPTunnel('tunnel')));
 *
 * `installGuacamoleFixes(Guacamole, { patch: true })` also replaces Guacamole.Parser,
 * Guacamole.WebSocketTunnel, Guacamole.HTTPTunnel, Guacamole.StringWriter and Guacamole.StringReader, so
 * that code which names them (Client's nested streams, SessionRecording, StaticHTTPTunnel) gets the fixed
 * versions too.
 */

import { createHTTPTunnel } from './guacamole-fixes/http-tunnel.js';
import { Parser } from './guacamole-fixes/parser.js';
import { createStringReader, createStringWriter } from './guacamole-fixes/string-codec.js';
import { createWebSocketTunnel } from './guacamole-fixes/websocket-tunnel.js';

export { Parser, createHTTPTunnel, createStringReader, createStringWriter, createWebSocketTunnel };

/**
 * @typedef {import('./guacamole-fixes/types.js').GuacamoleNamespace} GuacamoleNamespace
 */

/**
 * @typedef {object} GuacamoleFixes what {@link installGuacamoleFixes} returns
 * @property {typeof Parser} Parser the code-point Parser (1.5.2+ API)
 * @property {ReturnType<typeof createWebSocketTunnel>} WebSocketTunnel extends Guacamole.Tunnel
 * @property {ReturnType<typeof createHTTPTunnel>} HTTPTunnel extends Guacamole.Tunnel
 * @property {GuacamoleNamespace['ChainedTunnel']} ChainedTunnel Guacamole.ChainedTunnel, unchanged:
 *     it only forwards calls and events, so it needs no fix
 * @property {ReturnType<typeof createStringWriter>} StringWriter real UTF-8 (surrogate pairs whole)
 * @property {ReturnType<typeof createStringReader>} StringReader real UTF-8 (4-byte sequences)
 */

/**
 * @typedef {object} InstallOptions
 * @property {boolean} [patch] also assign Parser, WebSocketTunnel, HTTPTunnel, StringWriter and
 *     StringReader onto the namespace (default false: the namespace is left untouched)
 */

/** One set of classes per namespace, so repeated calls hand out the same classes. */
const INSTALLED = new WeakMap();

/**
 * Builds the fixed classes for a guacamole-common-js namespace.
 * @param {GuacamoleNamespace} Guacamole the default export of guacamole-common-js
 * @param {InstallOptions} [options] options
 * @returns {GuacamoleFixes} the fixed Parser and tunnels, plus Guacamole.ChainedTunnel
 */
export function installGuacamoleFixes(Guacamole, options = {}) {
  /** @type {GuacamoleFixes | undefined} */
  let fixes = INSTALLED.get(Guacamole);
  if (!fixes) {
    fixes = {
      Parser,
      WebSocketTunnel: createWebSocketTunnel(Guacamole),
      HTTPTunnel: createHTTPTunnel(Guacamole),
      ChainedTunnel: Guacamole.ChainedTunnel,
      StringWriter: createStringWriter(Guacamole),
      StringReader: createStringReader(Guacamole),
    };
    INSTALLED.set(Guacamole, fixes);
  }
  if (options.patch) {
    Object.assign(Guacamole, {
      Parser: fixes.Parser,
      WebSocketTunnel: fixes.WebSocketTunnel,
      HTTPTunnel: fixes.HTTPTunnel,
      StringWriter: fixes.StringWriter,
      StringReader: fixes.StringReader,
    });
  }
  return fixes;
}
