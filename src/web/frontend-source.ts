/**
 * @module Reads the official frontend's files from a `guacamole.war` (a zip, read with fflate) or an
 * unpacked web app directory into memory. `WEB-INF/` and `META-INF/` are never read: a servlet
 * container does not serve them either, and the war's jars are most of its size.
 */
import { readdir, readFile, stat } from 'node:fs/promises';
import { join, relative, sep } from 'node:path';
import { unzipSync } from 'fflate';

/** Why the frontend source could not be read. */
export class FrontendSourceError extends Error {}

/** Entries under these folders are private to the servlet container. */
const PRIVATE = /^(?:WEB-INF|META-INF)(?:\/|$)/i;

/**
 * Whether a file name may be served: a relative path of plain segments outside the private folders.
 * @param name a zip entry name or a relative path with `/` separators
 * @returns true if it is a servable file
 */
export function isServableName(name: string): boolean {
  if (name.endsWith('/') || PRIVATE.test(name)) return false;
  return name
    .split('/')
    .every(
      (s) => s !== '' && s !== '.' && s !== '..' && !/[\\\0]/.test(s) && !/^[A-Za-z]:/.test(s),
    );
}

/**
 * Unpacks the servable entries of a war (nothing else is inflated).
 * @param bytes the zip file
 * @returns entry name → bytes
 * @throws {Error} fflate's, when the zip is corrupt
 */
function readWar(bytes: Uint8Array): Map<string, Uint8Array> {
  return new Map(Object.entries(unzipSync(bytes, { filter: (f) => isServableName(f.name) })));
}

/**
 * Reads the servable files under a directory (symbolic links are not followed).
 * @param root the unpacked web app
 * @returns relative path → bytes
 */
async function readDirectory(root: string): Promise<Map<string, Uint8Array>> {
  const files = new Map<string, Uint8Array>();
  for (const entry of await readdir(root, { recursive: true, withFileTypes: true })) {
    if (!entry.isFile()) continue;
    const path = join(entry.parentPath, entry.name);
    const name = relative(root, path).split(sep).join('/');
    if (isServableName(name)) files.set(name, await readFile(path));
  }
  return files;
}

/**
 * Reads the frontend's files.
 * @param source a `.war` (any zip) or an unpacked web app directory
 * @returns path (`index.html`, `translations/en.json`, …) → bytes
 * @throws FrontendSourceError when the source is missing, unreadable, or has no `index.html`
 */
export async function readFrontendFiles(source: string): Promise<Map<string, Uint8Array>> {
  let files: Map<string, Uint8Array>;
  try {
    files = (await stat(source)).isDirectory()
      ? await readDirectory(source)
      : readWar(await readFile(source));
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw new FrontendSourceError(`Unable to read the frontend "${source}": ${reason}`, {
      cause: error,
    });
  }
  if (!files.has('index.html')) {
    throw new FrontendSourceError(`"${source}" is not a Guacamole web app: it has no index.html.`);
  }
  return files;
}
