/**
 * @module Finding extensions in `GUACAMOLE_HOME/extensions` (Java's `ExtensionModule.getExtensions`):
 * regular files ending in `.jar` (Guacamole's format) or `.zip`, and — for this server's own
 * extensions — folders with guac-manifest.json at their root. Symbolic links are followed;
 * subfolders are not searched.
 */
import { readdir, stat } from 'node:fs/promises';
import { join } from 'node:path';
import type { ExtensionLogger } from './environment.js';
import { describeError } from './extension-error.js';
import { MANIFEST_NAME } from './manifest.js';

/** One extension found on disk, not yet read. */
export interface ExtensionCandidate {
  /** The file or folder name. */
  readonly file: string;
  /** Its absolute path. */
  readonly path: string;
  /** How to read it. */
  readonly kind: 'archive' | 'folder';
}

/** The name of the folder under GUACAMOLE_HOME that holds extensions. */
export const EXTENSIONS_DIRECTORY = 'extensions';

const ARCHIVE_SUFFIXES = ['.jar', '.zip'] as const;

async function isDirectory(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

async function isFile(path: string): Promise<boolean> {
  return (await stat(path).catch(() => undefined))?.isFile() ?? false;
}

/**
 * Lists the extensions in a directory, sorted by file name.
 * @param directory usually `GUACAMOLE_HOME/extensions`
 * @param logger told about unreadable directories and skipped entries
 * @returns the candidates; none if the directory is missing or unreadable
 */
export async function discoverExtensions(
  directory: string,
  logger: ExtensionLogger,
): Promise<ExtensionCandidate[]> {
  if (!(await isDirectory(directory))) {
    logger.debug(`No extensions directory at "${directory}"; no extensions are loaded.`);
    return [];
  }
  let names: string[];
  try {
    names = await readdir(directory);
  } catch (error) {
    logger.warn(
      `Although GUACAMOLE_HOME/${EXTENSIONS_DIRECTORY} exists, its contents cannot be read: ` +
        describeError(error),
    );
    return [];
  }
  const candidates: ExtensionCandidate[] = [];
  for (const file of names.sort()) {
    const path = join(directory, file);
    if (ARCHIVE_SUFFIXES.some((suffix) => file.endsWith(suffix)) && (await isFile(path))) {
      candidates.push({ file, path, kind: 'archive' });
    } else if ((await isDirectory(path)) && (await isFile(join(path, MANIFEST_NAME)))) {
      candidates.push({ file, path, kind: 'folder' });
    } else {
      logger.debug(
        `Ignoring "${file}" in GUACAMOLE_HOME/${EXTENSIONS_DIRECTORY}: not an extension.`,
      );
    }
  }
  return candidates;
}
