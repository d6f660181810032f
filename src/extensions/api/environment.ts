/**
 * @module Environment (guacamole-ext `Environment`/`LocalEnvironment`): what an extension may read of the
 * server — GUACAMOLE_HOME, typed guacamole.properties access and a logger — plus readers for the default
 * guacd and for case sensitivity.
 */
import { CASE_SENSITIVITY, Configuration, type Property } from '../../config/index.js';
import { GUACD_HOSTNAME, GUACD_PORT, GUACD_SSL } from '../../guacd/index.js';
import { SILENT_EXTENSION_LOGGER, type ExtensionLogger } from './types.js';

/** Typed read access to guacamole.properties; the app's `Configuration` satisfies it. */
export interface PropertyReader {
  /**
   * @param property a declared property
   * @returns its value, its default, or undefined
   * @throws {ConfigurationError} if the value is present but invalid
   */
  get<T>(property: Property<T>): T | undefined;
  /**
   * @param property a declared property
   * @returns its value or default
   * @throws {ConfigurationError} if it is absent with no default, or invalid
   */
  require<T>(property: Property<T>): T;
}

/** Encryption between this server and guacd (`EncryptionMethod`). */
export type ProxyEncryptionMethod = 'NONE' | 'SSL';

/** Where and how to reach guacd (`GuacamoleProxyConfiguration`). */
export interface GuacamoleProxyConfiguration {
  /** guacd's host name or address. */
  readonly hostname: string;
  /** guacd's port. */
  readonly port: number;
  /** NONE for plain TCP, SSL for TLS. */
  readonly encryptionMethod: ProxyEncryptionMethod;
}

/** Which identifiers compare case-sensitively (`CaseSensitivity`). */
export interface CaseSensitivitySettings {
  /** Whether usernames are case-sensitive. */
  readonly usernames: boolean;
  /** Whether group names are case-sensitive. */
  readonly groupNames: boolean;
}

/**
 * The server as an extension sees it; the loader passes one to every provider and listener constructor
 * (its `ExtensionEnvironment` has exactly this shape).
 * @example
 * ```ts
 * export default class MyProvider extends AbstractAuthenticationProvider {
 *   readonly #secret: string;
 *   constructor(environment: Environment) {
 *     super(environment);
 *     this.#secret = environment.configuration.require(MY_SECRET); // a stringProperty(...)
 *   }
 *   getIdentifier(): string { return 'my-provider'; }
 * }
 * ```
 */
export interface Environment {
  /** The absolute path of GUACAMOLE_HOME. */
  readonly guacamoleHome: string;
  /** guacamole.properties (and, when enabled, environment variables). */
  readonly configuration: PropertyReader;
  /** A logger for the extension. */
  readonly logger: ExtensionLogger;
}

/**
 * Reads guacd's address as `guacd-hostname`, `guacd-port` and `guacd-ssl` configure it
 * (`Environment.getDefaultGuacamoleProxyConfiguration`).
 * @param configuration guacamole.properties
 * @returns the proxy configuration, Java's defaults where unset
 * @throws {ConfigurationError} if one of the properties is invalid
 */
export function readProxyConfiguration(configuration: PropertyReader): GuacamoleProxyConfiguration {
  return {
    hostname: configuration.require(GUACD_HOSTNAME),
    port: configuration.require(GUACD_PORT),
    encryptionMethod: configuration.require(GUACD_SSL) ? 'SSL' : 'NONE',
  };
}

/**
 * Reads `case-sensitivity` (`Environment.getCaseSensitivity`).
 * @param configuration guacamole.properties
 * @returns which identifiers are case-sensitive (both, by default)
 * @throws {ConfigurationError} if the property is invalid
 */
export function readCaseSensitivity(configuration: PropertyReader): CaseSensitivitySettings {
  const value = configuration.require(CASE_SENSITIVITY);
  return {
    usernames: value === 'enabled' || value === 'usernames',
    groupNames: value === 'enabled' || value === 'group-names',
  };
}

/** What {@link createEnvironment} builds an Environment from. */
export interface EnvironmentInit {
  /** Property access. Default: an empty configuration (every property at its default). */
  readonly configuration?: PropertyReader;
  /** The absolute path of GUACAMOLE_HOME. */
  readonly guacamoleHome: string;
  /** The logger. Default: silent. */
  readonly logger?: ExtensionLogger;
}

/**
 * Builds an Environment (for tests, and for code that creates providers itself).
 * @param init GUACAMOLE_HOME, configuration and logger
 * @returns the environment
 */
export function createEnvironment(init: EnvironmentInit): Environment {
  return Object.freeze({
    guacamoleHome: init.guacamoleHome,
    configuration: init.configuration ?? new Configuration(),
    logger: init.logger ?? SILENT_EXTENSION_LOGGER,
  });
}
