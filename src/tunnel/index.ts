/**
 * @module The tunnel layer's public surface: Tunnel and TunnelRegistry, the HTTP and WebSocket endpoints,
 * and the request type a `connect` callback receives. This is the library API equal to extending
 * GuacamoleHTTPTunnelServlet / GuacamoleWebSocketTunnelEndpoint.
 */
export {
  ERROR_MESSAGE_HEADER,
  STATUS_CODE_HEADER,
  asGuacamoleError,
  headerSafe,
  sendTunnelError,
} from './http-errors.js';
export {
  END_OF_RESPONSE,
  TUNNEL_TOKEN_HEADER,
  createHttpTunnelHandler,
  type HttpTunnelHandler,
  type HttpTunnelOptions,
} from './http-tunnel.js';
export { Lock, type Release } from './lock.js';
export { SILENT_LOGGER, type TunnelLogger } from './logger.js';
export { isOriginAllowed, type OriginPolicy } from './origin-policy.js';
export { Tunnel } from './tunnel.js';
export {
  TUNNEL_TIMEOUT_SECONDS,
  TunnelRegistry,
  generateTunnelToken,
  type TunnelRegistryOptions,
} from './tunnel-registry.js';
export {
  addUrlEncoded,
  createTunnelRequest,
  type ConnectTunnel,
  type TunnelRequest,
  type TunnelTransport,
} from './tunnel-request.js';
export {
  FRAME_BYTES,
  SUBPROTOCOL,
  closeWithStatus,
  createWebSocketTunnel,
  type WebSocketTunnel,
  type WebSocketTunnelOptions,
} from './websocket-tunnel.js';
export { StreamError } from './stream-error.js';
export {
  StreamInterceptor,
  UPLOAD_BLOB_BYTES,
  type InterceptedTunnel,
  type StreamSink,
} from './stream-interceptor.js';
