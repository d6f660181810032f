/**
 * @module The bundled proxy's `rdp` protocol plugin: register `rdpPlugin` with a ProxyServer to serve RDP
 * connections (TLS security) like guacd.
 */
export { rdpPlugin } from './plugin.js';
export { RdpSession } from './session.js';
export { UNABLE_TO_CONNECT, openRdp, unsupportedSecurity } from './connect.js';
