/**
 * @module SimpleConnection (guacamole-ext `SimpleConnection`): a connection with a fixed configuration
 * that connects straight to the proxy (a GuacdConnector: the process's default — guacd or the bundled
 * proxy, per `guacd-mode` — or the guacd its proxy configuration names), optionally substituting
 * parameter tokens first.
 */
import { GuacamoleConfiguration, type ClientInformation } from '../../../protocol/index.js';
import {
  defaultGuacdConnector,
  guacdConnectorFor,
  type GuacdConnector,
} from '../../../guacd/index.js';
import { Tunnel } from '../../../tunnel/index.js';
import type { GuacamoleProxyConfiguration } from '../environment.js';
import type { AttributeMap, Connection, TokenMap } from '../objects.js';
import { SimpleActivityRecordSet, type ConnectionRecord } from '../records.js';
import { TokenFilter } from '../token-filter.js';

/** Java's defaults for guacd when no proxy configuration is given (`localhost:4822`, plain TCP). */
export const DEFAULT_PROXY_CONFIGURATION: GuacamoleProxyConfiguration = Object.freeze({
  hostname: 'localhost',
  port: 4822,
  encryptionMethod: 'NONE',
});

/** What a {@link SimpleConnection} is built from. */
export interface SimpleConnectionInit {
  /** The protocol and parameters. */
  readonly configuration: GuacamoleConfiguration;
  /** The connection's identifier. */
  readonly identifier: string;
  /** Substitute `${TOKEN}`s in parameter values at connect time. Default: false (as Java). */
  readonly interpretTokens?: boolean;
  /** The display name. Default: the identifier. */
  readonly name?: string;
  /** The containing group. Default: `ROOT`. */
  readonly parentIdentifier?: string;
  /**
   * guacd to use, or a function read at each connect (so guacamole.properties is consulted lazily,
   * as Java does). The configured guacd address (guacd-hostname/port/ssl) means the server's default
   * proxy, so under `guacd-mode` embedded it is the bundled proxy; any other address is that guacd.
   * Default: the server's default proxy ({@link DEFAULT_PROXY_CONFIGURATION} when none is installed).
   */
  readonly proxy?: GuacamoleProxyConfiguration | (() => GuacamoleProxyConfiguration);
  /** The connector to use, whatever `proxy` says (e.g. an extension's own bundled proxy). */
  readonly connector?: GuacdConnector;
}

/**
 * A connection that connects directly to guacd with its configuration.
 * @example
 * ```ts
 * const connection = new SimpleConnection({
 *   identifier: 'desktop',
 *   configuration: new GuacamoleConfiguration({ protocol: 'vnc', parameters: { hostname: 'pc' } }),
 *   interpretTokens: true,
 *   proxy: readProxyConfiguration(environment.configuration),
 * });
 * const tunnel = await connection.connect(info, standardTokens(user));
 * ```
 */
export class SimpleConnection implements Connection {
  identifier: string;
  name: string;
  parentIdentifier: string;
  #configuration: GuacamoleConfiguration;
  readonly #interpretTokens: boolean;
  readonly #proxy: GuacamoleProxyConfiguration | (() => GuacamoleProxyConfiguration) | undefined;
  readonly #connector: GuacdConnector | undefined;

  /** @param init identifier, name, configuration, token handling and guacd */
  constructor(init: SimpleConnectionInit) {
    this.identifier = init.identifier;
    this.name = init.name ?? init.identifier;
    this.parentIdentifier = init.parentIdentifier ?? 'ROOT';
    this.#configuration = init.configuration;
    this.#interpretTokens = init.interpretTokens ?? false;
    this.#proxy = init.proxy;
    this.#connector = init.connector;
  }

  getConfiguration(): GuacamoleConfiguration {
    return this.#configuration;
  }

  setConfiguration(configuration: GuacamoleConfiguration): void {
    this.#configuration = configuration;
  }

  getAttributes(): AttributeMap {
    return {};
  }

  setAttributes(): void {
    // A simple connection has no attributes; Java ignores them too.
  }

  getActiveConnections(): number {
    return 0;
  }

  getLastActive(): Date | undefined {
    return undefined;
  }

  getConnectionHistory(): SimpleActivityRecordSet<ConnectionRecord> {
    return new SimpleActivityRecordSet<ConnectionRecord>();
  }

  getSharingProfileIdentifiers(): ReadonlySet<string> {
    return new Set<string>();
  }

  /**
   * Connects: copies the configuration, substitutes tokens (if enabled), opens a connection to the
   * proxy (external guacd over TCP/TLS, or the bundled proxy in-process) and performs the handshake.
   * @param info the client's display and capabilities
   * @param tokens the parameter tokens
   * @returns the open tunnel
   * @throws {ServerError} when guacd cannot be reached or the handshake fails
   * @throws {UpstreamTimeoutError} when connecting to guacd times out
   * @throws {UnsupportedError} when the bundled proxy does not serve the protocol
   * @throws {GuacamoleError} the error guacd reports during the handshake
   */
  async connect(info: Readonly<ClientInformation>, tokens: TokenMap): Promise<Tunnel> {
    const connector = this.#resolveConnector();
    const configuration = new GuacamoleConfiguration(this.#configuration);
    if (this.#interpretTokens) new TokenFilter(tokens).filterValues(configuration.parameters);
    return new Tunnel(await connector.connect(configuration, info));
  }

  /** The explicit connector, else the one for the proxy configuration, else the default. */
  #resolveConnector(): GuacdConnector {
    if (this.#connector !== undefined) return this.#connector;
    const proxy = typeof this.#proxy === 'function' ? this.#proxy() : this.#proxy;
    if (proxy === undefined) {
      const fallback = defaultGuacdConnector();
      if (fallback !== undefined) return fallback;
    }
    const { hostname, port, encryptionMethod } = proxy ?? DEFAULT_PROXY_CONFIGURATION;
    return guacdConnectorFor({ hostname, port, ssl: encryptionMethod === 'SSL' });
  }
}
