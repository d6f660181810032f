/**
 * @module The embedded connector: the bundled proxy (a ProxyServer with the built-in protocol plugins)
 * served in-process over in-memory stream pairs, so no guacd is needed. A protocol the bundled proxy
 * lacks is refused before the handshake with a message naming it and pointing to an external guacd.
 */
import { BUILTIN_PLUGINS } from '../proxy/builtin-plugins.js';
import { ProxyServer, type ProtocolPlugin, type ProxyLogger } from '../proxy/index.js';
import {
  UnsupportedError,
  type ClientInformation,
  type GuacamoleConfiguration,
} from '../protocol/index.js';
import { configureSocket, type ConfiguredGuacdSocket } from './configured-socket.js';
import type { GuacdConnector, GuacdHealth, GuacdTarget } from './connector.js';
import { connectLocalProxy } from './local-socket.js';
import type { StreamGuacdSocketOptions } from './socket.js';

/** Options of {@link EmbeddedGuacdConnector}. */
export interface EmbeddedGuacdConnectorOptions {
  /** The proxy to serve; the connector then does not close it. Default: a new one it owns. */
  readonly server?: ProxyServer;
  /** Plugins of the proxy it creates. Default: {@link BUILTIN_PLUGINS}. */
  readonly plugins?: readonly ProtocolPlugin[];
  /** Log lines of the proxy it creates. Default: silent. */
  readonly logger?: ProxyLogger;
  /** Read timeout and buffering of the tunnel's side, as for a TCP guacd. */
  readonly socket?: StreamGuacdSocketOptions;
}

/**
 * The message for a protocol the bundled proxy does not serve.
 * @param protocol the protocol asked for
 * @param served the protocols it serves
 * @returns a message naming the protocol and how to use an external guacd instead
 */
export function unsupportedProtocolMessage(protocol: string, served: readonly string[]): string {
  const list = served.length === 0 ? 'none' : served.join(', ');
  return (
    `Protocol "${protocol}" is not supported by the bundled proxy (it serves: ${list}). ` +
    'To use it, run guacd and set guacd-mode: external with guacd-hostname and guacd-port.'
  );
}

/** Serves connections with the bundled proxy, in-process. */
export class EmbeddedGuacdConnector implements GuacdConnector {
  readonly target: GuacdTarget = Object.freeze({ kind: 'embedded' });
  readonly #server: ProxyServer;
  readonly #owned: boolean;
  readonly #socketOptions: StreamGuacdSocketOptions;
  #closing: Promise<void> | undefined;

  /** @param options the proxy (or its plugins and logger) and the socket options */
  constructor(options: EmbeddedGuacdConnectorOptions = {}) {
    this.#owned = options.server === undefined;
    this.#server =
      options.server ??
      new ProxyServer({
        plugins: options.plugins ?? BUILTIN_PLUGINS,
        ...(options.logger === undefined ? {} : { logger: options.logger }),
      });
    this.#socketOptions = options.socket ?? {};
  }

  /** The proxy serving the connections. */
  get server(): ProxyServer {
    return this.#server;
  }

  get description(): string {
    return `the bundled proxy (protocols: ${this.#server.protocols.join(', ') || 'none'})`;
  }

  async connect(
    configuration: GuacamoleConfiguration,
    info: Readonly<ClientInformation>,
  ): Promise<ConfiguredGuacdSocket> {
    const { protocol, connectionId } = configuration;
    const served = this.#server.protocols;
    if (connectionId === undefined && protocol !== undefined && !served.includes(protocol)) {
      throw new UnsupportedError(unsupportedProtocolMessage(protocol, served));
    }
    return await configureSocket(
      connectLocalProxy(this.#server, this.#socketOptions),
      configuration,
      info,
    );
  }

  health(): Promise<GuacdHealth> {
    return Promise.resolve(
      this.#closing === undefined
        ? { ok: true, guacd: 'embedded' }
        : { ok: false, guacd: 'unreachable', reason: 'The bundled proxy has been shut down.' },
    );
  }

  close(): Promise<void> {
    this.#closing ??= this.#owned ? this.#server.close() : Promise.resolve();
    return this.#closing;
  }
}
