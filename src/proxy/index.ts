/**
 * @module The bundled proxy: a guacd-compatible daemon side of the Guacamole protocol with a protocol
 * plugin registry. It imports only src/protocol.
 */
export {
  ARGUMENT_MIMETYPE,
  MAX_ARGUMENT_BYTES,
  canPrompt,
  promptArguments,
} from './argument-prompt.js';
export { createDuplexPair } from './duplex-pair.js';
export { ADVERTISED_VERSION, DEFAULT_PROXY_TIMEOUTS, ProxyServer } from './server.js';
export type { ProxyServerOptions, ProxyTimeouts } from './server.js';
export type {
  ArgumentReceiver,
  ConnectionContext,
  InboundStream,
  ProtocolPlugin,
  ProtocolSession,
  ProxyLogLevel,
  ProxyLogger,
  ProxyUser,
  StreamHandlers,
  StreamRefusal,
  UserHandlers,
} from './plugin.js';
