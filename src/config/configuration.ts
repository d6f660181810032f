/**
 * @module The effective configuration: guacamole.properties, then (when enabled) environment variables,
 * then files named by `*_FILE` variables; the first source with a value wins (`LocalEnvironment`).
 */
import { readFileSync } from 'node:fs';
import { ConfigurationError } from './configuration-error.js';
import { canonicalPropertyName } from './environment.js';
import { ENABLE_ENVIRONMENT_PROPERTIES, ENABLE_FILE_ENVIRONMENT_PROPERTIES } from './properties.js';
import type { ParsedProperties } from './properties-file.js';
import { PropertyValueError } from './property.js';
import type { Property } from './property.js';

/** Where a raw value came from. */
export type ValueOrigin =
  | { readonly kind: 'file'; readonly file: string; readonly line: number }
  | { readonly kind: 'environment'; readonly variable: string }
  | { readonly kind: 'environment-file'; readonly variable: string; readonly path: string };

/** A raw property value and its origin. */
export interface RawValue {
  /** Trimmed if it came from guacamole.properties; exactly as found otherwise. */
  readonly value: string;
  /** The source that supplied it. */
  readonly origin: ValueOrigin;
}

/** One line of {@link Configuration.describe}. */
export interface EffectiveSetting {
  /** The property name. */
  readonly name: string;
  /** The raw or default value (`********` for secrets), or undefined when unset. */
  readonly value: string | undefined;
  /** Where the value came from: a `file:line`, a variable, `default` or `unset`. */
  readonly source: string;
}

/** The sources a {@link Configuration} reads. */
export interface ConfigurationSources {
  /** The environment, for `*_FILE` and (when enabled) property variables. Default: `{}`. */
  readonly env?: NodeJS.ProcessEnv;
  /** The parsed guacamole.properties, or undefined when there is none. Default: undefined. */
  readonly file?: ParsedProperties | undefined;
  /** Reads a file named by a `*_FILE` variable as UTF-8. Default: `fs.readFileSync(path, 'utf8')`. */
  readonly readTextFile?: (path: string) => string;
}

/** The text shown instead of a secret value. */
export const SECRET_MASK = '********';

/**
 * Trims like Java's `String.trim()`: every char up to U+0020 at both ends (controls too, but not
 * U+00A0 or other Unicode spaces).
 */
function javaTrim(value: string): string {
  let start = 0;
  let end = value.length;
  while (start < end && value.charCodeAt(start) <= 0x20) start++;
  while (end > start && value.charCodeAt(end - 1) <= 0x20) end--;
  return value.slice(start, end);
}

/**
 * Names where a value came from, for messages.
 * @param origin the origin
 * @returns `file:line`, `environment variable NAME` or `file "path" (from environment variable NAME)`
 */
export function describeOrigin(origin: ValueOrigin): string {
  switch (origin.kind) {
    case 'file':
      return `${origin.file}:${origin.line}`;
    case 'environment':
      return `environment variable ${origin.variable}`;
    case 'environment-file':
      return `file "${origin.path}" (from environment variable ${origin.variable})`;
  }
}

/** Typed access to the effective configuration, applying Guacamole's source precedence. */
export class Configuration {
  readonly #env: NodeJS.ProcessEnv;
  readonly #file: ParsedProperties | undefined;
  readonly #readTextFile: (path: string) => string;
  readonly #fileValues = new Map<string, RawValue | undefined>();
  readonly #warnings: string[] = [];
  readonly #environmentEnabled: boolean = false;
  readonly #fileEnvironmentEnabled: boolean = false;

  /** @param sources guacamole.properties, the environment and a file reader */
  constructor(sources: ConfigurationSources = {}) {
    this.#env = sources.env ?? {};
    this.#file = sources.file;
    this.#readTextFile = sources.readTextFile ?? ((path) => readFileSync(path, 'utf8'));
    // Java adds the sources one at a time and reads each switch through the sources added so far:
    // the first only from the file, the second from the file or (if now enabled) the environment.
    this.#environmentEnabled = this.#flag(ENABLE_ENVIRONMENT_PROPERTIES);
    this.#fileEnvironmentEnabled = this.#flag(ENABLE_FILE_ENVIRONMENT_PROPERTIES);
  }

  /** Whether environment variables are a source (`enable-environment-properties`). */
  get environmentEnabled(): boolean {
    return this.#environmentEnabled;
  }

  /** Whether `*_FILE` files are a source (`enable-file-environment-properties`). */
  get fileEnvironmentEnabled(): boolean {
    return this.#fileEnvironmentEnabled;
  }

  /** Problems that did not stop loading, such as an unreadable `*_FILE` file, in order. */
  get warnings(): readonly string[] {
    return [...this.#warnings];
  }

  /**
   * Finds the raw value of a property in the first source that has one.
   * @param name the property name
   * @returns the value and its origin, or undefined if no source has it
   */
  raw(name: string): RawValue | undefined {
    const file = this.#file;
    const entry = file?.entries.get(name);
    if (file !== undefined && entry !== undefined) {
      // PropertiesGuacamoleProperties trims; the environment sources do not.
      const origin = { kind: 'file', file: file.file, line: entry.line } as const;
      return { value: javaTrim(entry.value), origin };
    }
    if (!this.#environmentEnabled && !this.#fileEnvironmentEnabled) return undefined;
    const variable = canonicalPropertyName(name);
    const fromEnv = this.#environmentEnabled ? this.#env[variable] : undefined;
    if (fromEnv !== undefined) return { value: fromEnv, origin: { kind: 'environment', variable } };
    return this.#fileEnvironmentEnabled ? this.#fromFile(name, `${variable}_FILE`) : undefined;
  }

  /**
   * Whether any source supplies the property (its default does not count).
   * @param property the property
   * @returns true if a value is present
   */
  has(property: Property<unknown>): boolean {
    return this.raw(property.name) !== undefined;
  }

  /**
   * Reads a property, falling back to its default only when no source has a value.
   * @param property the property
   * @returns the parsed value, the default, or undefined
   * @throws ConfigurationError if the value is present but invalid, naming where it came from
   */
  get<T>(property: Property<T>): T | undefined {
    const raw = this.raw(property.name);
    if (raw === undefined) return property.defaultValue;
    try {
      return property.parse(raw.value);
    } catch (error) {
      if (!(error instanceof PropertyValueError)) throw error;
      const where = describeOrigin(raw.origin);
      throw new ConfigurationError([`${where}: property "${property.name}": ${error.message}`], {
        cause: error,
      });
    }
  }

  /**
   * Reads a property that must have a value (from a source or its default).
   * @param property the property
   * @returns the parsed value
   * @throws ConfigurationError "Property <name> is required." if there is none, or if it is invalid
   */
  require<T>(property: Property<T>): T {
    const value = this.get(property);
    if (value === undefined)
      throw new ConfigurationError([`Property ${property.name} is required.`]);
    return value;
  }

  /**
   * Lists the effective raw values for logging, secrets masked; nothing is parsed, so it never throws.
   * @param properties the properties to describe, in the order wanted
   * @returns one setting per property
   */
  describe(properties: readonly Property<unknown>[]): EffectiveSetting[] {
    return properties.map((property) => {
      const raw = this.raw(property.name);
      const value = raw?.value ?? property.defaultText;
      const source =
        raw !== undefined
          ? describeOrigin(raw.origin)
          : property.defaultText !== undefined
            ? 'default'
            : 'unset';
      const shown = value !== undefined && property.secret ? SECRET_MASK : value;
      return { name: property.name, value: shown, source };
    });
  }

  #flag(property: Property<boolean>): boolean {
    const raw = this.raw(property.name);
    if (raw === undefined) return property.defaultValue ?? false;
    try {
      return property.parse(raw.value);
    } catch (error) {
      // Java logs the error and leaves the source out; the loader reports it as a problem.
      if (error instanceof PropertyValueError) return false;
      throw error;
    }
  }

  // SystemFileEnvironmentGuacamoleProperties: the whole file as UTF-8, untrimmed, so a trailing
  // newline stays. Java re-reads on each lookup; reading once keeps validated values stable.
  #fromFile(name: string, variable: string): RawValue | undefined {
    if (this.#fileValues.has(name)) return this.#fileValues.get(name);
    const path = this.#env[variable];
    let result: RawValue | undefined;
    if (path !== undefined) {
      try {
        result = {
          value: this.#readTextFile(path),
          origin: { kind: 'environment-file', variable, path },
        };
      } catch (error) {
        const reason = error instanceof Error ? error.message : String(error);
        this.#warnings.push(`Property "${name}" could not be read from file "${path}": ${reason}`);
      }
    }
    this.#fileValues.set(name, result);
    return result;
  }
}
