/**
 * @module ExtensionSource: where one extension's files come from — a `.jar`/`.zip` archive (Guacamole's
 * format) or a folder (this server's TypeScript/JavaScript extensions) — behind one reading interface.
 */
import { mkdtemp, readFile } from 'node:fs/promises';
import { basename, join } from 'node:path';
import { ExtensionError, describeError } from './extension-error.js';
import { MANIFEST_NAME } from './manifest.js';
import { isSafeResourcePath } from './resource-path.js';
import { ZipArchive, ZipArchiveError } from './zip-archive.js';

/** Reads one extension's files. */
export interface ExtensionSource {
  /** The file or folder name inside `GUACAMOLE_HOME/extensions`. */
  readonly file: string;
  /** Its absolute path. */
  readonly path: string;
  /** Whether it is an archive or a folder. */
  readonly kind: 'archive' | 'folder';
  /**
   * Reads guac-manifest.json from the root.
   * @throws ExtensionError if there is none
   */
  readManifest(): Promise<Uint8Array>;
  /**
   * Reads resources by manifest path; missing or unsafe paths are absent from the result.
   * @param paths manifest paths
   */
  readAll(paths: Iterable<string>): Promise<Map<string, Uint8Array>>;
  /**
   * The directory modules are imported from: the folder itself, or a temporary extraction of the
   * archive made on first use.
   */
  moduleRoot(): Promise<string>;
}

/** Creates and remembers temporary directories so they can all be removed at shutdown. */
export interface TemporaryDirectories {
  /** Creates a new empty directory whose name starts with `prefix`. */
  create(prefix: string): Promise<string>;
}

const isMissing = (error: unknown): boolean => {
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'ENOENT' || code === 'EISDIR' || code === 'ENOTDIR';
};

/**
 * Opens a folder extension.
 * @param path the folder's absolute path
 * @returns its source
 */
export function folderSource(path: string): ExtensionSource {
  const file = basename(path);
  return {
    file,
    path,
    kind: 'folder',
    async readManifest() {
      try {
        return await readFile(join(path, MANIFEST_NAME));
      } catch (error) {
        if (isMissing(error))
          throw new ExtensionError(file, `${MANIFEST_NAME} is missing from its root`);
        throw new ExtensionError(file, `${MANIFEST_NAME} cannot be read: ${describeError(error)}`);
      }
    },
    async readAll(paths) {
      const result = new Map<string, Uint8Array>();
      for (const resource of new Set(paths)) {
        if (!isSafeResourcePath(resource)) continue;
        try {
          result.set(resource, await readFile(join(path, resource)));
        } catch (error) {
          if (!isMissing(error)) throw error;
        }
      }
      return result;
    },
    moduleRoot: () => Promise.resolve(path),
  };
}

/**
 * Opens an archive extension, reading it into memory.
 * @param path the archive's absolute path
 * @param temporary where to extract it if its modules must be imported
 * @returns its source
 * @throws ExtensionError if it is not a valid zip file or cannot be read
 */
export async function archiveSource(
  path: string,
  temporary: TemporaryDirectories,
): Promise<ExtensionSource> {
  const file = basename(path);
  let archive: ZipArchive;
  try {
    archive = await ZipArchive.open(path);
  } catch (error) {
    const reason =
      error instanceof ZipArchiveError
        ? `it is not a valid zip file (${error.message})`
        : `it cannot be read (${describeError(error)})`;
    throw new ExtensionError(file, reason, { cause: error });
  }
  let extracted: Promise<string> | undefined;
  const read = (paths: Iterable<string>): Map<string, Uint8Array> => {
    try {
      return archive.read(paths);
    } catch (error) {
      throw new ExtensionError(file, `an entry cannot be inflated: ${describeError(error)}`, {
        cause: error,
      });
    }
  };
  return {
    file,
    path,
    kind: 'archive',
    readManifest() {
      const manifest = archive.has(MANIFEST_NAME)
        ? read([MANIFEST_NAME]).get(MANIFEST_NAME)
        : undefined;
      if (manifest === undefined)
        return Promise.reject(
          new ExtensionError(file, `${MANIFEST_NAME} is missing from its root`),
        );
      return Promise.resolve(manifest);
    },
    readAll: (paths) => Promise.resolve(read([...paths].filter((p) => isSafeResourcePath(p)))),
    moduleRoot() {
      extracted ??= (async () => {
        const directory = await temporary.create('guac-extension-');
        try {
          await archive.extractTo(directory);
        } catch (error) {
          throw new ExtensionError(file, `it cannot be extracted: ${describeError(error)}`, {
            cause: error,
          });
        }
        return directory;
      })();
      return extracted;
    },
  };
}

/**
 * The default {@link TemporaryDirectories}: `mkdtemp` under a base directory.
 * @param base the parent directory, usually `os.tmpdir()`
 * @param created receives every directory made, for later removal
 * @returns the factory
 */
export function temporaryDirectoriesIn(base: string, created: string[]): TemporaryDirectories {
  return {
    async create(prefix) {
      const directory = await mkdtemp(join(base, prefix));
      created.push(directory);
      return directory;
    },
  };
}
