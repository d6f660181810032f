/**
 * @module ZipArchive: a `.jar` or `.zip` read once into memory (fflate). Java opens extensions with
 * `java.util.zip.ZipFile`; like it, entry names are matched literally, so a resource path is found
 * only if an entry has exactly that name.
 */
import { mkdir, readFile, writeFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { unzipSync } from 'fflate';
import { describeError } from './extension-error.js';
import { isSafeResourcePath } from './resource-path.js';

/** Why an archive could not be opened or extracted. */
export class ZipArchiveError extends Error {}

/** The entries of one archive; entry bodies are inflated on demand. */
export class ZipArchive {
  readonly #bytes: Uint8Array;
  readonly #names: ReadonlySet<string>;
  /** Every entry name in central-directory order (directories end with `/`). */
  readonly names: readonly string[];

  private constructor(bytes: Uint8Array, names: readonly string[]) {
    this.#bytes = bytes;
    this.#names = new Set(names);
    this.names = names;
  }

  /**
   * Reads an archive and lists its entries.
   * @param path the archive's path
   * @returns the archive
   * @throws ZipArchiveError if the file is not a readable zip; I/O errors as thrown by `readFile`
   */
  static async open(path: string): Promise<ZipArchive> {
    const bytes = await readFile(path);
    const names: string[] = [];
    try {
      // A filter that declines every entry walks the central directory without inflating anything.
      unzipSync(bytes, {
        filter: (file) => {
          names.push(file.name);
          return false;
        },
      });
    } catch (error) {
      throw new ZipArchiveError(describeError(error), { cause: error });
    }
    return new ZipArchive(bytes, names);
  }

  /**
   * Whether an entry of exactly this name exists.
   * @param name the entry name
   * @returns true if it exists
   */
  has(name: string): boolean {
    return this.#names.has(name);
  }

  /**
   * Inflates the named entries.
   * @param wanted entry names; missing ones are simply absent from the result
   * @returns name → content
   * @throws ZipArchiveError if an entry cannot be inflated
   */
  read(wanted: Iterable<string>): Map<string, Uint8Array> {
    const set = new Set(wanted);
    try {
      const files = unzipSync(this.#bytes, { filter: (file) => set.has(file.name) });
      return new Map(Object.entries(files));
    } catch (error) {
      throw new ZipArchiveError(describeError(error), { cause: error });
    }
  }

  /**
   * Writes every entry under a directory (so Node's module resolution works inside it).
   * @param directory an existing, empty directory
   * @throws ZipArchiveError if an entry name could leave the directory or cannot be inflated
   */
  async extractTo(directory: string): Promise<void> {
    const unsafe = this.names.find((name) => !isSafeResourcePath(name, true));
    if (unsafe !== undefined)
      throw new ZipArchiveError(`entry "${unsafe}" would be extracted outside the extension`);
    for (const [name, content] of this.read(this.names)) {
      const target = join(directory, name);
      if (name.endsWith('/')) {
        await mkdir(target, { recursive: true });
      } else {
        await mkdir(dirname(target), { recursive: true });
        await writeFile(target, content);
      }
    }
  }
}
