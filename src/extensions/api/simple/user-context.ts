/**
 * @module SimpleUserContext (guacamole-ext `SimpleUserContext`): a read-only context exposing a fixed
 * map of configurations as connections under `ROOT`.
 */
import type { GuacamoleConfiguration } from '../../../protocol/index.js';
import { ANONYMOUS_IDENTIFIER } from '../authenticated-user.js';
import { SimpleDirectory, type Directory } from '../directory.js';
import type { GuacamoleProxyConfiguration } from '../environment.js';
import type { Connection } from '../objects.js';
import type { AuthenticationProvider } from '../provider.js';
import { AbstractUserContext, ROOT_CONNECTION_GROUP } from '../user-context.js';
import { SimpleConnection } from './connection.js';
import { SimpleUser } from './user.js';

/** Configurations by connection identifier (also the connection's name). */
export type ConfigurationMap =
  ReadonlyMap<string, GuacamoleConfiguration> | Readonly<Record<string, GuacamoleConfiguration>>;

/** What a {@link SimpleUserContext} is built from. */
export interface SimpleUserContextInit {
  /** The connections: identifier (and name) → configuration. */
  readonly configurations: ConfigurationMap;
  /** Substitute parameter tokens at connect time. Default: false (Java's 3-argument constructor). */
  readonly interpretTokens?: boolean;
  /** guacd for every connection; see {@link SimpleConnectionInit.proxy}. Default: localhost:4822. */
  readonly proxy?: GuacamoleProxyConfiguration | (() => GuacamoleProxyConfiguration);
  /** The user's identifier. Default: anonymous (`""`). */
  readonly username?: string;
}

/**
 * A context whose only data is a fixed set of connections in the root group. `self()` grants READ on
 * every connection and on `ROOT` (Java swaps the two sets, a known cosmetic bug this port fixes).
 * @example
 * ```ts
 * return new SimpleUserContext(this, {
 *   username: user.identifier,
 *   configurations: { desktop: new GuacamoleConfiguration({ protocol: 'rdp', parameters: { hostname: 'pc' } }) },
 *   interpretTokens: true,
 * });
 * ```
 */
export class SimpleUserContext extends AbstractUserContext {
  readonly #username: string;
  readonly #connections: SimpleDirectory<Connection>;

  /**
   * @param provider the provider creating the context
   * @param init connections, username, token handling and guacd
   */
  constructor(provider: AuthenticationProvider, init: SimpleUserContextInit) {
    super(provider);
    this.#username = init.username ?? ANONYMOUS_IDENTIFIER;
    const entries =
      init.configurations instanceof Map
        ? [...init.configurations.entries()]
        : Object.entries(init.configurations);
    const connections = (entries as [string, GuacamoleConfiguration][]).map(
      ([identifier, configuration]) =>
        new SimpleConnection({
          identifier,
          name: identifier,
          configuration,
          parentIdentifier: ROOT_CONNECTION_GROUP,
          interpretTokens: init.interpretTokens ?? false,
          ...(init.proxy === undefined ? {} : { proxy: init.proxy }),
        }),
    );
    this.#connections = new SimpleDirectory<Connection>(connections);
  }

  self(): SimpleUser {
    return new SimpleUser({
      identifier: this.#username,
      connectionIdentifiers: this.#connections.getIdentifiers(),
      connectionGroupIdentifiers: [ROOT_CONNECTION_GROUP],
    });
  }

  override getConnectionDirectory(): Directory<Connection> {
    return this.#connections;
  }
}
