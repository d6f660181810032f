/**
 * @module Directory<T> (guacamole-ext `Directory`): a user's view of one kind of object, by identifier,
 * plus atomic batch operations, and the read-only SimpleDirectory.
 */
import { SecurityError } from '../../protocol/index.js';
import type { Identifiable } from './objects.js';
import type { MaybePromise } from './types.js';

/** The kinds of directory (`Directory.Type`). */
export const DirectoryType = Object.freeze({
  ACTIVE_CONNECTION: 'ACTIVE_CONNECTION',
  CONNECTION: 'CONNECTION',
  CONNECTION_GROUP: 'CONNECTION_GROUP',
  SHARING_PROFILE: 'SHARING_PROFILE',
  USER: 'USER',
  USER_GROUP: 'USER_GROUP',
} as const);

/** One directory type name. */
export type DirectoryType = (typeof DirectoryType)[keyof typeof DirectoryType];

/**
 * A batch of changes run by {@link Directory.tryAtomically}.
 * @param atomic whether the directory guarantees all-or-nothing
 * @param directory the directory to change inside the batch
 */
export type AtomicDirectoryOperation<T extends Identifiable> = (
  atomic: boolean,
  directory: Directory<T>,
) => MaybePromise<void>;

/**
 * The objects of one type visible to a user.
 * @example
 * ```ts
 * const connections = await context.getConnectionDirectory();
 * for (const id of await connections.getIdentifiers()) {
 *   const connection = await connections.get(id);
 * }
 * ```
 */
export interface Directory<T extends Identifiable> {
  /**
   * @param identifier the object identifier
   * @returns the object, or undefined (or null) if absent or not visible
   */
  get(identifier: string): MaybePromise<T | null | undefined>;
  /**
   * @param identifiers the wanted identifiers
   * @returns the objects found; absent identifiers are skipped
   */
  getAll(identifiers: Iterable<string>): MaybePromise<readonly T[]>;
  /** @returns every visible identifier */
  getIdentifiers(): MaybePromise<ReadonlySet<string>>;
  /**
   * Adds an object; the directory assigns its identifier.
   * @throws {SecurityError} if the user may not create such objects
   */
  add(object: T): MaybePromise<void>;
  /**
   * Stores changes to an object.
   * @throws {SecurityError} if the user may not change it
   */
  update(object: T): MaybePromise<void>;
  /**
   * Deletes an object.
   * @throws {SecurityError} if the user may not delete it
   */
  remove(identifier: string): MaybePromise<void>;
  /**
   * Runs a batch of changes atomically if the directory can; optional, see {@link tryAtomically}.
   * @param operation the batch
   */
  tryAtomically?(operation: AtomicDirectoryOperation<T>): MaybePromise<void>;
}

/**
 * Runs a batch through `directory.tryAtomically`, or non-atomically when the directory has none
 * (Java's default method).
 * @param directory the directory
 * @param operation the batch; it receives `atomic = false` from directories without support
 * @returns when the batch has run
 */
export async function tryAtomically<T extends Identifiable>(
  directory: Directory<T>,
  operation: AtomicDirectoryOperation<T>,
): Promise<void> {
  if (directory.tryAtomically !== undefined) {
    await directory.tryAtomically(operation);
    return;
  }
  await operation(false, directory);
}

/**
 * A read-only directory over a fixed set of objects (`SimpleDirectory`); changes throw
 * SecurityError "Permission denied.".
 * @example
 * ```ts
 * const directory = new SimpleDirectory([connectionA, connectionB]);
 * ```
 */
export class SimpleDirectory<T extends Identifiable> implements Directory<T> {
  readonly #objects: ReadonlyMap<string, T>;

  /** @param objects the objects, as a list (keyed by identifier) or a map; default none */
  constructor(objects: Iterable<T> | ReadonlyMap<string, T> = []) {
    this.#objects =
      objects instanceof Map
        ? new Map(objects)
        : new Map([...(objects as Iterable<T>)].map((object) => [object.identifier, object]));
  }

  get(identifier: string): T | undefined {
    return this.#objects.get(identifier);
  }

  getAll(identifiers: Iterable<string>): T[] {
    const found: T[] = [];
    for (const identifier of identifiers) {
      const object = this.#objects.get(identifier);
      if (object !== undefined) found.push(object);
    }
    return found;
  }

  getIdentifiers(): ReadonlySet<string> {
    return new Set(this.#objects.keys());
  }

  add(): never {
    throw new SecurityError('Permission denied.');
  }

  update(): never {
    throw new SecurityError('Permission denied.');
  }

  remove(): never {
    throw new SecurityError('Permission denied.');
  }
}
