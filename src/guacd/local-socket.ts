/**
 * @module In-process connections to the bundled proxy: a GuacdSocket over an in-memory stream pair, so
 * tunnels and configureSocket use the bundled proxy exactly as an external guacd.
 */
import { createDuplexPair, type ProxyServer } from '../proxy/index.js';
import { StreamGuacdSocket, type GuacdSocket, type StreamGuacdSocketOptions } from './socket.js';

/**
 * Opens an in-process connection to `server`, ready for the handshake.
 * @param server the bundled proxy
 * @param options read timeout and buffering of the client side, as for a TCP guacd
 * @returns the client end as a GuacdSocket; the other end is served by `server`
 */
export function connectLocalProxy(
  server: ProxyServer,
  options: StreamGuacdSocketOptions = {},
): GuacdSocket {
  const [client, proxy] = createDuplexPair();
  void server.handle(proxy);
  return new StreamGuacdSocket(client, options);
}
