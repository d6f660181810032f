/**
 * @module FileAuthenticationProvider (webapp `auth/file/FileAuthenticationProvider`): the built-in
 * provider `default`, reading `GUACAMOLE_HOME/user-mapping.xml` and re-reading it whenever its
 * modification time changes (one cheap `stat` per lookup, no file watching).
 */
import { readFile, stat } from 'node:fs/promises';
import { join } from 'node:path';
import {
  SimpleAuthenticationProvider,
  type Credentials,
  type Environment,
  type GuacamoleConfiguration,
} from '../../extensions/api.js';
import { describeError } from '../listener-service.js';
import { decodeXml } from './decode-xml.js';
import { parseUserMapping, UserMappingSyntaxError } from './parse-user-mapping.js';
import type { UserMapping } from './user-mapping.js';

/** The file's name inside GUACAMOLE_HOME. */
export const USER_MAPPING_FILENAME = 'user-mapping.xml';

/** The provider's identifier, and so the data source name of its connections. */
export const FILE_PROVIDER_IDENTIFIER = 'default';

/** The file operations the provider uses; injectable for tests. */
export interface UserMappingFileSystem {
  /** @returns the file's modification time in ms; rejects with code ENOENT when it does not exist */
  modifiedTime(path: string): Promise<number>;
  /** @returns the file's bytes */
  read(path: string): Promise<Uint8Array>;
}

const NODE_FILE_SYSTEM: UserMappingFileSystem = {
  modifiedTime: async (path) => (await stat(path)).mtimeMs,
  read: async (path) => await readFile(path),
};

/** Options of {@link FileAuthenticationProvider}. */
export interface FileAuthenticationProviderOptions {
  /** File access. Default: node:fs. */
  readonly fileSystem?: UserMappingFileSystem;
}

function isMissing(error: unknown): boolean {
  return (error as { code?: unknown } | null)?.code === 'ENOENT';
}

/**
 * The user-mapping.xml provider; the app always adds it last.
 * @example
 * ```ts
 * const provider = new FileAuthenticationProvider(createEnvironment({ guacamoleHome: '/etc/guacamole' }));
 * ```
 */
export class FileAuthenticationProvider extends SimpleAuthenticationProvider {
  /** The absolute path of user-mapping.xml. */
  readonly path: string;
  readonly #fileSystem: UserMappingFileSystem;
  #lastModified: number | undefined;
  #cached: UserMapping | undefined;

  /**
   * @param environment GUACAMOLE_HOME, logger and guacd settings
   * @param options file access
   */
  constructor(environment: Environment, options: FileAuthenticationProviderOptions = {}) {
    super(environment);
    this.path = join(environment.guacamoleHome, USER_MAPPING_FILENAME);
    this.#fileSystem = options.fileSystem ?? NODE_FILE_SYSTEM;
  }

  getIdentifier(): string {
    return FILE_PROVIDER_IDENTIFIER;
  }

  /**
   * Looks the username up and checks the password; both logins and context creation call this.
   * @param credentials the login's credentials
   * @returns the user's connections sorted by name, or null (unknown user, wrong password, or no
   *   usable file)
   */
  async getAuthorizedConfigurations(
    credentials: Credentials,
  ): Promise<Map<string, GuacamoleConfiguration> | null> {
    const mapping = await this.#userMapping();
    const authorization = mapping?.getAuthorization(credentials.username);
    if (authorization?.validate(credentials.username, credentials.password) !== true) return null;
    return authorization.getConfigurations();
  }

  /**
   * The current mapping: re-parsed when the modification time changed. A file that cannot be read or
   * parsed gives no mapping (the previous one is not used) and is tried again on the next lookup.
   */
  async #userMapping(): Promise<UserMapping | undefined> {
    const logger = this.environment.logger;
    let modified: number;
    try {
      modified = await this.#fileSystem.modifiedTime(this.path);
    } catch (error) {
      if (isMissing(error)) {
        logger.debug(`User mapping file "${this.path}" does not exist and will not be read.`);
      } else {
        logger.warn(`Unable to read user mapping file "${this.path}": ${describeError(error)}`);
      }
      return undefined;
    }
    if (modified === this.#lastModified) return this.#cached;
    logger.debug(`Reading user mapping file: "${this.path}"`);
    try {
      const mapping = parseUserMapping(decodeXml(await this.#fileSystem.read(this.path)));
      this.#lastModified = modified;
      this.#cached = mapping;
      return mapping;
    } catch (error) {
      if (error instanceof UserMappingSyntaxError) {
        logger.warn(`User mapping file "${this.path}" is not valid: ${error.message}`);
      } else {
        logger.warn(`Unable to read user mapping file "${this.path}": ${describeError(error)}`);
      }
      return undefined;
    }
  }
}
