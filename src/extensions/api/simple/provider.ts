/**
 * @module SimpleAuthenticationProvider (guacamole-ext `SimpleAuthenticationProvider`): the easiest kind of
 * provider — map credentials to a set of configurations, or to nothing.
 */
import { randomUUID } from 'node:crypto';
import { SimpleAuthenticatedUser, type AuthenticatedUser } from '../authenticated-user.js';
import type { Credentials } from '../credentials.js';
import { readCaseSensitivity, readProxyConfiguration } from '../environment.js';
import { AbstractAuthenticationProvider } from '../provider.js';
import type { MaybePromise } from '../types.js';
import type { UserContext } from '../user-context.js';
import { SimpleUserContext, type ConfigurationMap } from './user-context.js';

/**
 * A provider defined by one function: which configurations do these credentials authorize? The user's
 * identifier is the username (a random UUID when it is empty); its context lists the configurations as
 * connections under `ROOT`, with parameter tokens substituted at connect time.
 * @example
 * ```ts
 * export default class OneConnection extends SimpleAuthenticationProvider {
 *   getIdentifier(): string { return 'one'; }
 *   getAuthorizedConfigurations(credentials: Credentials): ConfigurationMap | null {
 *     if (credentials.username !== 'demo') return null;
 *     return { desktop: new GuacamoleConfiguration({ protocol: 'vnc', parameters: { hostname: 'pc' } }) };
 *   }
 * }
 * ```
 */
export abstract class SimpleAuthenticationProvider extends AbstractAuthenticationProvider {
  /**
   * @param credentials the login's credentials
   * @returns the authorized configurations by identifier, or null/undefined if not authorized
   */
  abstract getAuthorizedConfigurations(
    credentials: Credentials,
  ): MaybePromise<ConfigurationMap | null | undefined>;

  override async authenticateUser(credentials: Credentials): Promise<AuthenticatedUser | null> {
    const configurations = await this.getAuthorizedConfigurations(credentials);
    if (configurations === null || configurations === undefined) return null;
    const username = credentials.username;
    return new SimpleAuthenticatedUser({
      identifier: username !== undefined && username !== '' ? username : randomUUID(),
      authenticationProvider: this,
      credentials,
      caseSensitive: readCaseSensitivity(this.environment.configuration).usernames,
    });
  }

  override async getUserContext(authenticatedUser: AuthenticatedUser): Promise<UserContext | null> {
    const configurations = await this.getAuthorizedConfigurations(
      authenticatedUser.getCredentials(),
    );
    if (configurations === null || configurations === undefined) return null;
    return new SimpleUserContext(this, {
      username: authenticatedUser.identifier,
      configurations,
      interpretTokens: true,
      proxy: () => readProxyConfiguration(this.environment.configuration),
    });
  }
}
