/**
 * @module The protocols the bundled proxy serves out of the box, in one list shared by the in-process
 * proxy (src/guacd's embedded connector) and the standalone daemon. A new plugin is one line here.
 */
import type { ProtocolPlugin } from './plugin.js';
import { rdpPlugin } from './rdp-plugin/index.js';
import { vncPlugin } from './vnc-plugin/index.js';

/** Every built-in protocol plugin; register them all with `new ProxyServer({ plugins })`. */
export const BUILTIN_PLUGINS: readonly ProtocolPlugin[] = Object.freeze([vncPlugin, rdpPlugin]);
