/**
 * @module The library surface: the protocol codec, guacd connections and the tunnel endpoints, for embedding
 * Guacamole tunnels in your own Node server (the equivalent of extending GuacamoleHTTPTunnelServlet or
 * GuacamoleWebSocketTunnelEndpoint in Java).
 */
export * from './protocol/index.js';
export {
  configureSocket,
  connectGuacd,
  StreamGuacdSocket,
  type ConfiguredGuacdSocket,
  type ConnectGuacdOptions,
  type GuacdSocket,
  type StreamGuacdSocketOptions,
} from './guacd/index.js';
export * from './tunnel/index.js';
