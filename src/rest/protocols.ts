/**
 * @module Connection parameter forms by protocol (Java's `ProtocolInfo`, read by `LocalEnvironment` once
 * at start-up): the built-in definitions of kubernetes, rdp, ssh, telnet and vnc (`./protocols/`), each
 * replaceable, and others addable, by a `*.json` file in `GUACAMOLE_HOME/protocols`.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { SILENT_EXTENSION_LOGGER, type ExtensionLogger } from '../extensions/api.js';
import { BUILT_IN_PROTOCOLS } from './protocols/index.js';

/** One protocol's forms as the REST API sends them. */
export interface ProtocolInfo {
  readonly name: string;
  readonly connectionForms: readonly unknown[];
  readonly sharingProfileForms: readonly unknown[];
}

/** The folder inside GUACAMOLE_HOME holding protocol definitions. */
export const PROTOCOLS_DIRECTORY = 'protocols';

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

function parseProtocol(text: string): ProtocolInfo {
  const json = JSON.parse(text) as unknown;
  if (typeof json !== 'object' || json === null || Array.isArray(json)) {
    throw new TypeError('the file does not hold a JSON object');
  }
  const { name, connectionForms, sharingProfileForms } = json as Record<string, unknown>;
  if (typeof name !== 'string') throw new TypeError('"name" is not a string');
  // Jackson builds ProtocolInfo with empty lists and overwrites only what the file has.
  return {
    name,
    connectionForms: Array.isArray(connectionForms) ? (connectionForms as unknown[]) : [],
    sharingProfileForms: Array.isArray(sharingProfileForms)
      ? (sharingProfileForms as unknown[])
      : [],
  };
}

/** The known protocols. */
export class ProtocolRegistry {
  readonly #protocols: ReadonlyMap<string, ProtocolInfo>;

  /** @param protocols the definitions, by name; the built-in ones by default */
  constructor(protocols: Iterable<ProtocolInfo> = BUILT_IN_PROTOCOLS) {
    this.#protocols = new Map([...protocols].map((protocol) => [protocol.name, protocol]));
  }

  /**
   * The built-in definitions, then every `*.json` in `GUACAMOLE_HOME/protocols`, a file replacing the
   * built-in definition of the same name; unreadable files are logged and skipped.
   * @param guacamoleHome GUACAMOLE_HOME
   * @param logger where problems go
   * @returns the registry
   */
  static load(
    guacamoleHome: string,
    logger: ExtensionLogger = SILENT_EXTENSION_LOGGER,
  ): ProtocolRegistry {
    const directory = join(guacamoleHome, PROTOCOLS_DIRECTORY);
    let files: string[];
    try {
      files = readdirSync(directory).filter((file) => file.endsWith('.json'));
    } catch {
      return new ProtocolRegistry(BUILT_IN_PROTOCOLS);
    }
    const protocols: ProtocolInfo[] = [...BUILT_IN_PROTOCOLS];
    for (const file of files.sort()) {
      const path = join(directory, file);
      try {
        protocols.push(parseProtocol(readFileSync(path, 'utf8')));
      } catch (error) {
        logger.error(
          `Unable to read connection parameter information from "${path}": ${describe(error)}`,
        );
      }
    }
    return new ProtocolRegistry(protocols);
  }

  /**
   * @param name a protocol name
   * @returns its definition, or just the name with no forms when none is known
   */
  get(name: string): ProtocolInfo {
    return this.#protocols.get(name) ?? { name, connectionForms: [], sharingProfileForms: [] };
  }

  /** @returns every known protocol by name (`schema/protocols`) */
  all(): Record<string, ProtocolInfo> {
    return Object.fromEntries(this.#protocols);
  }
}
