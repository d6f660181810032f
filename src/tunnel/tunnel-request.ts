/**
 * @module TunnelRequest: what a tunnel's `connect` callback sees of the request (Java's TunnelRequest
 * abstraction over HttpServletRequest and the WebSocket handshake): parameters with repeated keys kept.
 */
import type { IncomingMessage } from 'node:http';
import type { Tunnel } from './tunnel.js';

/** The transport a tunnel request arrived on. */
export type TunnelTransport = 'http' | 'websocket';

/** A request to open a tunnel. */
export interface TunnelRequest {
  /** Which tunnel endpoint received the request. */
  readonly transport: TunnelTransport;
  /** The HTTP request (the connect POST, or the WebSocket upgrade GET). */
  readonly http: IncomingMessage;
  /** The client's address as the socket reports it. */
  readonly remoteAddress: string | undefined;
  /**
   * @param name a parameter name, e.g. `GUAC_ID`
   * @returns its first value, or undefined when absent
   */
  getParameter(name: string): string | undefined;
  /**
   * @param name a parameter name, e.g. `GUAC_IMAGE`
   * @returns all of its values in order (empty when absent)
   */
  getParameterValues(name: string): readonly string[];
  /** @returns every parameter name */
  getParameterNames(): readonly string[];
}

/**
 * Opens a tunnel for a request: the equivalent of overriding `doConnect` (HTTP) or `createTunnel`
 * (WebSocket) in Java. Resolving to null means "no tunnel" (RESOURCE_NOT_FOUND); throwing a
 * GuacamoleError reports its status to the client.
 */
export type ConnectTunnel = (request: TunnelRequest) => Promise<Tunnel | null | undefined>;

/**
 * Builds a TunnelRequest from parsed parameters.
 * @param transport the endpoint
 * @param http the HTTP request
 * @param parameters name → values, in arrival order
 * @returns the request
 */
export function createTunnelRequest(
  transport: TunnelTransport,
  http: IncomingMessage,
  parameters: ReadonlyMap<string, readonly string[]>,
): TunnelRequest {
  return {
    transport,
    http,
    remoteAddress: http.socket.remoteAddress,
    getParameter: (name) => parameters.get(name)?.[0],
    getParameterValues: (name) => parameters.get(name) ?? [],
    getParameterNames: () => [...parameters.keys()],
  };
}

/**
 * Adds URL-encoded `a=b&c=d` pairs to a parameter map, keeping repeated keys (application/x-www-form-urlencoded,
 * decoded as UTF-8, `+` as space).
 * @param into the map to extend
 * @param encoded the encoded text (a query string or a form body)
 */
export function addUrlEncoded(into: Map<string, string[]>, encoded: string): void {
  for (const [name, value] of new URLSearchParams(encoded)) {
    const values = into.get(name);
    if (values) values.push(value);
    else into.set(name, [value]);
  }
}
