/**
 * @module The bundled proxy: a guacd-compatible daemon side of the Guacamole protocol with a protocol
 * plugin registry. It imports only src/protocol.
 */
export { createDuplexPair } from './duplex-pair.js';
export { ADVERTISED_VERSION, DEFAULT_PROXY_TIMEOUTS, ProxyServer } from './server.js';
export type { ProxyServerOptions, ProxyTimeouts } from './server.js';
export type {
  ConnectionContext,
  InboundStream,
  ProtocolPlugin,
  ProtocolSession,
  ProxyLogLevel,
  ProxyLogger,
  ProxyUser,
  StreamHandlers,
  UserHandlers,
} from './plugin.js';
