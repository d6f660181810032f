/**
 * @module The tutorial authentication provider (the guacamole-auth-tutorial idea): it knows exactly
 * one user, whose username, password and single connection come from guacamole.properties. The
 * module's default export is the class the server instantiates as `new Provider(environment)`.
 */
import { createHash, timingSafeEqual } from 'node:crypto';
import {
  GuacamoleConfiguration,
  SimpleAuthenticationProvider,
  type ConfigurationMap,
  type Credentials,
  type Environment,
} from '../../../src/extensions/api.js';
import { readTutorialSettings, type Protocol } from './settings.js';

/** The provider's identifier: its data source name, `skip-if-unavailable` key and REST path. */
export const TUTORIAL_IDENTIFIER = 'tutorial';

/**
 * Hashes a secret, so that comparisons take the same time whatever the lengths and contents.
 * @param value the text
 * @returns its SHA-256 digest
 */
function digest(value: string): Buffer {
  return createHash('sha256').update(value, 'utf8').digest();
}

/**
 * Authenticates the one user of `tutorial-user`/`tutorial-password` and gives them one connection
 * (`tutorial-connection`, `tutorial-protocol`, `tutorial-parameters`). Every other login is left to
 * the providers after it (`null`). Settings are validated when the server starts: a bad value makes
 * the constructor throw, so the server logs every problem and keeps running without this provider.
 * @example
 * ```properties
 * tutorial-user: tutor
 * tutorial-password: correct horse battery staple
 * tutorial-protocol: vnc
 * tutorial-parameters: hostname=desktop.example.net, port=5900, password=potato
 * ```
 */
export default class TutorialAuthenticationProvider extends SimpleAuthenticationProvider {
  readonly #username: Buffer;
  readonly #password: Buffer;
  readonly #connection: string;
  readonly #protocol: Protocol;
  readonly #parameters: ReadonlyMap<string, string>;

  /**
   * Reads and validates the settings; only digests of the credentials are kept.
   * @param environment the server environment (guacamole.properties and a logger)
   * @throws {ConfigurationError} listing every missing or invalid property
   */
  constructor(environment: Environment) {
    super(environment);
    const settings = readTutorialSettings(environment.configuration);
    this.#username = digest(settings.username);
    this.#password = digest(settings.password);
    this.#connection = settings.connection;
    this.#protocol = settings.protocol;
    this.#parameters = settings.parameters;
    // Names only: parameter values may be passwords, and the password is never logged.
    const names = [...settings.parameters.keys()].join(', ') || 'none';
    environment.logger.info(
      `Tutorial user "${settings.username}" may use the ${settings.protocol} connection ` +
        `"${settings.connection}" (parameters: ${names}).`,
    );
  }

  getIdentifier(): string {
    return TUTORIAL_IDENTIFIER;
  }

  /**
   * Checks the credentials against the configured user. Called at login and again when the user's
   * context is built, always with the credentials of the login.
   * @param credentials the login's credentials
   * @returns the one connection by name, or null when the credentials are not the tutorial user's
   */
  getAuthorizedConfigurations(credentials: Credentials): ConfigurationMap | null {
    const { username, password } = credentials;
    if (username === undefined || password === undefined) return null;
    // Both comparisons always run, so the time taken does not reveal which one failed.
    const userMatches = timingSafeEqual(digest(username), this.#username);
    const passwordMatches = timingSafeEqual(digest(password), this.#password);
    if (!userMatches || !passwordMatches) return null;
    // A fresh configuration each time: callers may change the one they receive.
    const configuration = new GuacamoleConfiguration({
      protocol: this.#protocol,
      parameters: this.#parameters,
    });
    return new Map([[this.#connection, configuration]]);
  }
}
