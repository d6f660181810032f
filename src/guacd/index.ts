/**
 * @module The guacd layer's public surface: the GuacdSocket seam, TCP/TLS connections to an external
 * guacd, the handshake, and the guacd properties.
 */
export { configureSocket, type ConfiguredGuacdSocket } from './configured-socket.js';
export {
  CLOSED_MESSAGE,
  CONNECT_TIMEOUT_MESSAGE,
  READ_TIMEOUT_MESSAGE,
  mapConnectError,
  mapGuacdIoError,
  type GuacdAddress,
} from './errors.js';
export { connectLocalProxy } from './local-socket.js';
export { GUACD_HOSTNAME, GUACD_PORT, GUACD_PROPERTIES, GUACD_SSL } from './properties.js';
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
