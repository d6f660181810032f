/**
 * @module DirectoryView (webapp `DirectoryView`): a read-only view of the objects of a directory whose
 * identifiers are in a given set, e.g. the sharing profiles of one connection.
 */
import { UnsupportedError, type Directory, type Identifiable } from '../extensions/api.js';

const READ_ONLY = 'Directory view is read-only';

/** The part of a directory a set of identifiers selects; changes throw UnsupportedError. */
export class DirectoryView<T extends Identifiable> implements Directory<T> {
  readonly #directory: Directory<T>;
  readonly #identifiers: ReadonlySet<string>;

  /**
   * @param directory the whole directory
   * @param identifiers the identifiers the view shows
   */
  constructor(directory: Directory<T>, identifiers: ReadonlySet<string>) {
    this.#directory = directory;
    this.#identifiers = identifiers;
  }

  async get(identifier: string): Promise<T | null | undefined> {
    if (!this.#identifiers.has(identifier)) return undefined;
    return await this.#directory.get(identifier);
  }

  async getAll(identifiers: Iterable<string>): Promise<readonly T[]> {
    return await this.#directory.getAll([...identifiers].filter((id) => this.#identifiers.has(id)));
  }

  getIdentifiers(): ReadonlySet<string> {
    return this.#identifiers;
  }

  add(): never {
    throw new UnsupportedError(READ_ONLY);
  }

  update(): never {
    throw new UnsupportedError(READ_ONLY);
  }

  remove(): never {
    throw new UnsupportedError(READ_ONLY);
  }
}
