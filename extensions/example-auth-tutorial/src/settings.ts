/**
 * @module The tutorial provider's guacamole.properties settings: each one declared with a property
 * factory of the extension API, then all read and validated together, so that a misconfigured server
 * reports every problem at once, each naming its property. Secret values never appear in messages.
 */
import {
  ConfigurationError,
  enumProperty,
  stringProperty,
  type Property,
  type PropertyReader,
} from '../../../src/extensions/api.js';

/** The protocols guacd 1.6.0 supports, the legal values of `tutorial-protocol`. */
export const PROTOCOLS = ['kubernetes', 'rdp', 'ssh', 'telnet', 'vnc'] as const;

/** A protocol `tutorial-protocol` accepts. */
export type Protocol = (typeof PROTOCOLS)[number];

/** `tutorial-user`: the username of the only user this provider knows. Required. */
export const TUTORIAL_USER = stringProperty('tutorial-user', {
  description: 'The username of the one user the tutorial provider authenticates.',
});

/** `tutorial-password`: that user's password, compared in constant time. Required; secret. */
export const TUTORIAL_PASSWORD = stringProperty('tutorial-password', {
  description: 'The password of the tutorial user.',
  secret: true,
});

/** `tutorial-protocol`: the protocol of the user's connection. Required. */
export const TUTORIAL_PROTOCOL = enumProperty('tutorial-protocol', PROTOCOLS, {
  description: 'The protocol of the tutorial connection.',
});

/**
 * `tutorial-parameters`: the connection's parameters as comma-separated `name=value` pairs, values
 * percent-encoded where they contain `,` or `%` (e.g. `hostname=pc, port=5900, password=a%2Cb`).
 * Optional (default: no parameters); secret, since it usually holds a connection password.
 */
export const TUTORIAL_PARAMETERS = stringProperty('tutorial-parameters', {
  description: 'The tutorial connection parameters, as comma-separated name=value pairs.',
  secret: true,
});

/** `tutorial-connection`: the connection's name (and identifier). Default: `Tutorial`. */
export const TUTORIAL_CONNECTION = stringProperty('tutorial-connection', {
  description: 'The name of the tutorial connection.',
  default: 'Tutorial',
});

/** Every property the provider reads, for documentation and configuration listings. */
export const TUTORIAL_PROPERTIES: readonly Property<unknown>[] = [
  TUTORIAL_USER,
  TUTORIAL_PASSWORD,
  TUTORIAL_PROTOCOL,
  TUTORIAL_PARAMETERS,
  TUTORIAL_CONNECTION,
];

/** The validated settings. */
export interface TutorialSettings {
  /** The user's username, never empty. */
  readonly username: string;
  /** The user's password, never empty. Keep it out of logs and messages. */
  readonly password: string;
  /** The connection's name and identifier, never empty. */
  readonly connection: string;
  /** The connection's protocol. */
  readonly protocol: Protocol;
  /** The connection's parameters, decoded, in the order written. */
  readonly parameters: ReadonlyMap<string, string>;
}

// Guacamole's parameter names: letters, digits, `-` and `_` (e.g. `color-depth`, `enable-sftp`).
const PARAMETER_NAME = /^[A-Za-z0-9_-]+$/;

/**
 * Parses the value of `tutorial-parameters`. Problems name the property and the parameter or item
 * number, never a value, since values may be passwords.
 * @param text the property's value
 * @param problems where problems are added
 * @returns the parameters in the order written
 */
export function parseParameters(text: string, problems: string[]): Map<string, string> {
  const where = `Property "${TUTORIAL_PARAMETERS.name}"`;
  const parameters = new Map<string, string>();
  text.split(',').forEach((item, index) => {
    const pair = item.trim();
    if (pair === '') return;
    const equals = pair.indexOf('=');
    if (equals < 0) {
      problems.push(`${where}: item ${index + 1} is not a name=value pair.`);
      return;
    }
    const name = pair.slice(0, equals).trim();
    if (!PARAMETER_NAME.test(name)) {
      problems.push(
        `${where}: item ${index + 1} has an invalid parameter name` +
          `${name === '' ? '' : ` "${name}"`} (use letters, digits, "-" and "_").`,
      );
      return;
    }
    if (parameters.has(name)) {
      problems.push(`${where}: the parameter "${name}" is given more than once.`);
      return;
    }
    try {
      parameters.set(name, decodeURIComponent(pair.slice(equals + 1).trim()));
    } catch {
      problems.push(
        `${where}: the value of "${name}" is not valid percent-encoding (write "%" as "%25").`,
      );
    }
  });
  return parameters;
}

/**
 * Reads one property, turning an invalid or (when required) missing value into a problem.
 * @param configuration guacamole.properties
 * @param property the property
 * @param problems where problems are added
 * @param required whether a missing value is a problem
 * @returns the value, or undefined when there was a problem or (if optional) no value
 */
function read<T>(
  configuration: PropertyReader,
  property: Property<T>,
  problems: string[],
  required: boolean,
): T | undefined {
  let value: T | undefined;
  try {
    value = configuration.get(property);
  } catch (error) {
    // The server's message names the property, the file and the line.
    if (!(error instanceof ConfigurationError)) throw error;
    problems.push(...error.problems);
    return undefined;
  }
  if (value === undefined && required)
    problems.push(`Property "${property.name}" is required: ${property.description}`);
  return value;
}

/**
 * Reads a string property that must not be empty.
 * @param configuration guacamole.properties
 * @param property the property
 * @param problems where problems are added
 * @returns the value, or undefined when there was a problem
 */
function readNonEmpty(
  configuration: PropertyReader,
  property: Property<string>,
  problems: string[],
): string | undefined {
  const value = read(configuration, property, problems, true);
  if (value !== '') return value;
  problems.push(`Property "${property.name}" must not be empty.`);
  return undefined;
}

/**
 * Reads and validates every tutorial property.
 * @param configuration guacamole.properties, as the provider's Environment offers it
 * @returns the settings
 * @throws {ConfigurationError} listing every problem, one per line, each naming its property
 */
export function readTutorialSettings(configuration: PropertyReader): TutorialSettings {
  const problems: string[] = [];
  const username = readNonEmpty(configuration, TUTORIAL_USER, problems);
  const password = readNonEmpty(configuration, TUTORIAL_PASSWORD, problems);
  const protocol = read(configuration, TUTORIAL_PROTOCOL, problems, true);
  const text = read(configuration, TUTORIAL_PARAMETERS, problems, false);
  const parameters = parseParameters(text ?? '', problems);
  const connection = readNonEmpty(configuration, TUTORIAL_CONNECTION, problems);
  if (
    username === undefined ||
    password === undefined ||
    protocol === undefined ||
    connection === undefined ||
    problems.length > 0
  ) {
    throw new ConfigurationError(problems);
  }
  return { username, password, connection, protocol, parameters };
}
