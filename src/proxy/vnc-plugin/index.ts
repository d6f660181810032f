/**
 * @module The bundled proxy's `vnc` protocol plugin: register `vncPlugin` (or one from
 * `createVncPlugin`) with a ProxyServer to serve VNC connections like guacd.
 */
export {
  UNABLE_TO_CONNECT,
  createVncPlugin,
  handshakeError,
  vncPlugin,
  type VncPluginOptions,
} from './plugin.js';
export { VncSession } from './session.js';
export { CLIPBOARD_STREAM, MAX_CLIPBOARD_BYTES } from './clipboard.js';
