/**
 * @module The guacd layer's public surface: the GuacdSocket seam, TCP/TLS connections to an external
 * guacd, the handshake, the guacd properties, and the GuacdConnector seam (external guacd or the
 * bundled proxy in-process) with the start-up choice between them.
 */
export { configureSocket, type ConfiguredGuacdSocket } from './configured-socket.js';
export type { GuacdConnector, GuacdHealth, GuacdTarget } from './connector.js';
export {
  defaultGuacdConnector,
  guacdConnectorFor,
  installDefaultGuacdConnector,
} from './connector-default.js';
export {
  EmbeddedGuacdConnector,
  unsupportedProtocolMessage,
  type EmbeddedGuacdConnectorOptions,
} from './connector-embedded.js';
export { ExternalGuacdConnector, GUACD_PROBE_TIMEOUT_MS, probeTcp } from './connector-external.js';
export {
  AUTO_PROBE_TIMEOUT_MS,
  configuredGuacdAddress,
  resolveGuacdConnector,
  type GuacdDecision,
  type GuacdSettingsReader,
  type ResolveGuacdOptions,
} from './connector-mode.js';
export {
  CLOSED_MESSAGE,
  CONNECT_TIMEOUT_MESSAGE,
  READ_TIMEOUT_MESSAGE,
  mapConnectError,
  mapGuacdIoError,
  type GuacdAddress,
} from './errors.js';
export { connectLocalProxy } from './local-socket.js';
export {
  GUACD_HOSTNAME,
  GUACD_MODE,
  GUACD_MODES,
  GUACD_PORT,
  GUACD_PROPERTIES,
  GUACD_SSL,
  type GuacdMode,
} from './properties.js';
export {
  DEFAULT_READ_TIMEOUT_MS,
  StreamGuacdSocket,
  type GuacdSocket,
  type StreamGuacdSocketOptions,
} from './socket.js';
export {
  DEFAULT_CONNECT_TIMEOUT_MS,
  connectGuacd,
  type ConnectGuacdOptions,
} from './tcp-socket.js';
