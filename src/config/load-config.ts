/**
 * @module Startup loading: read GUACAMOLE_HOME/guacamole.properties, build the {@link Configuration},
 * validate every declared property, and fail once with every problem rather than half-starting.
 */
import { join } from 'node:path';
import { Configuration } from './configuration.js';
import { ConfigurationError } from './configuration-error.js';
import { ENABLE_ENVIRONMENT_PROPERTIES, ENABLE_FILE_ENVIRONMENT_PROPERTIES } from './properties.js';
import { readPropertiesFile } from './properties-file.js';
import type { ParsedProperties } from './properties-file.js';
import type { Property } from './property.js';

/** The name of the main configuration file inside GUACAMOLE_HOME. */
export const PROPERTIES_FILE_NAME = 'guacamole.properties';

/** What {@link loadConfiguration} needs. */
export interface LoadConfigurationOptions {
  /** The environment, for `enable-environment-properties` and `*_FILE` lookups. */
  readonly env: NodeJS.ProcessEnv;
  /** GUACAMOLE_HOME, usually from `resolveGuacamoleHome()`. */
  readonly home: string;
  /** Every property the server and its modules declare; each is validated now. */
  readonly properties: readonly Property<unknown>[];
}

/** A validated configuration and what the caller should log. */
export interface LoadedConfiguration {
  /** The configuration; every declared property in it is known to be valid. */
  readonly configuration: Configuration;
  /** The guacamole.properties path that was read, or undefined if there was none. */
  readonly file: string | undefined;
  /**
   * Keys in guacamole.properties that no declared property uses. Log them as a warning only:
   * extensions may read properties this server does not declare.
   */
  readonly unknownKeys: readonly string[];
  /** Problems that did not stop startup (no guacamole.properties, unreadable `*_FILE` files). */
  readonly warnings: readonly string[];
}

function errorCode(error: unknown): unknown {
  return error instanceof Error && 'code' in error ? error.code : undefined;
}

/**
 * Reads guacamole.properties; a missing file is not an error (Java logs it and continues without
 * that source), but one that exists and cannot be read is, rather than running on defaults.
 */
function readMainFile(path: string, warnings: string[]): ParsedProperties | undefined {
  try {
    return readPropertiesFile(path);
  } catch (error) {
    const code = errorCode(error);
    if (code === 'ENOENT' || code === 'ENOTDIR') {
      warnings.push(`Unable to read guacamole.properties: "${path}" does not exist.`);
      return undefined;
    }
    const reason = error instanceof Error ? error.message : String(error);
    throw new ConfigurationError([`"${path}" cannot be read: ${reason}`], { cause: error });
  }
}

/**
 * Loads and validates the configuration in GUACAMOLE_HOME. Every declared property (plus the two
 * `enable-*` switches, which steer loading itself) is parsed once, and all problems are reported
 * together, each as `<file>:<line>: property "<name>": <problem>` (an environment variable or
 * `*_FILE` file named instead of `file:line` where the value came from there).
 * @param options GUACAMOLE_HOME, the environment and the declared properties
 * @returns the configuration, the file read, unknown keys and warnings
 * @throws ConfigurationError listing every malformed line and invalid value, or an unreadable file
 */
export function loadConfiguration(options: LoadConfigurationOptions): LoadedConfiguration {
  const path = join(options.home, PROPERTIES_FILE_NAME);
  const warnings: string[] = [];
  const parsed = readMainFile(path, warnings);
  // Problems located in the file are listed in line order, then environment-sourced ones.
  const problems: { readonly line: number; readonly text: string }[] =
    parsed?.problems.map((problem) => ({ line: problem.line, text: problem.message })) ?? [];

  const configuration = new Configuration({ env: options.env, file: parsed });
  const declared = new Set([
    ENABLE_ENVIRONMENT_PROPERTIES,
    ENABLE_FILE_ENVIRONMENT_PROPERTIES,
    ...options.properties,
  ]);
  for (const property of declared) {
    try {
      configuration.get(property);
    } catch (error) {
      if (!(error instanceof ConfigurationError)) throw error;
      const origin = configuration.raw(property.name)?.origin;
      const line = origin?.kind === 'file' ? origin.line : Number.MAX_SAFE_INTEGER;
      // Two modules may declare the same name; report an identical problem once.
      for (const text of error.problems) {
        if (!problems.some((problem) => problem.text === text)) problems.push({ line, text });
      }
    }
  }
  if (problems.length > 0) {
    throw new ConfigurationError(problems.sort((a, b) => a.line - b.line).map((p) => p.text));
  }

  warnings.push(...configuration.warnings);
  const names = new Set([...declared].map((property) => property.name));
  const unknownKeys = [...(parsed?.entries.keys() ?? [])].filter((key) => !names.has(key));
  return { configuration, file: parsed === undefined ? undefined : path, unknownKeys, warnings };
}
