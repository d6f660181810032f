/**
 * @module Where configuration lives: GUACAMOLE_HOME resolution (`LocalEnvironment.findGuacamoleHome`)
 * and the environment-variable name of a property (`TokenName.canonicalize`).
 */
import { existsSync } from 'node:fs';
import { homedir as osHomedir } from 'node:os';
import { join, resolve } from 'node:path';

/**
 * Finds GUACAMOLE_HOME in Guacamole's order. Java first honours the system property
 * `guacamole.home`; Node has none, so the `GUACAMOLE_HOME` environment variable comes first here.
 * Then `~/.guacamole`, unless it does not exist and `/etc` does, in which case `/etc/guacamole`
 * (whether or not that exists). Nothing checks that the result exists, as in Java.
 * @param env the environment; a set but empty `GUACAMOLE_HOME` means the working directory, as in Java
 * @param homedir the user's home directory
 * @param exists reports whether a path exists (injected for tests)
 * @returns the absolute path of GUACAMOLE_HOME
 */
export function resolveGuacamoleHome(
  env: NodeJS.ProcessEnv = process.env,
  homedir: string = osHomedir(),
  exists: (path: string) => boolean = existsSync,
): string {
  const explicit = env.GUACAMOLE_HOME;
  if (explicit !== undefined) return resolve(explicit);
  const userHome = join(homedir, '.guacamole');
  if (!exists(userHome) && exists('/etc')) return '/etc/guacamole';
  return resolve(userHome);
}

// TokenName.STRING_NAME_GROUPING. \p{Uppercase}/\p{Lowercase} are Java's \p{javaUpperCase}/
// \p{javaLowerCase} (Lu/Ll plus Other_Uppercase/Other_Lowercase); with the u flag \w and \b are ASCII,
// like Java's defaults.
const WORD_GROUPS =
  /\p{Uppercase}\p{Lowercase}+|[0-9]+|\p{Uppercase}+(?!\p{Lowercase})|\p{Lowercase}+|\b\w+\b/gu;

/**
 * Turns a property name into the environment variable that overrides it (`TokenName.canonicalize`):
 * word groups (camel words, digit runs, capital runs, lower-case runs) upper-cased and joined with `_`,
 * so `guacd-hostname` becomes `GUACD_HOSTNAME`. Upper-casing is locale-independent (Java uses the
 * default locale, which only matters for Turkish dotted i).
 * @param name the property name
 * @returns the environment variable name
 */
export function canonicalPropertyName(name: string): string {
  const groups = name.match(WORD_GROUPS);
  if (groups === null) return name.toUpperCase();
  return groups.map((group) => group.toUpperCase()).join('_');
}
