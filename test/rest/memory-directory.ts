/**
 * @module In-memory directory parts for the REST tests: a writable directory whose `tryAtomically`
 * rolls back a failed batch, and an object permission set that applies and records every change.
 */
import {
  ResourceNotFoundError,
  type AtomicDirectoryOperation,
  type Directory,
  type Identifiable,
  type ObjectPermission,
  type ObjectPermissionSet,
  type ObjectPermissionType,
} from '../../src/extensions/api.js';

/** A writable directory; `tryAtomically` restores everything when the batch throws. */
export class MemoryDirectory<T extends Identifiable> implements Directory<T> {
  readonly objects = new Map<string, T>();
  #next = 1;

  constructor(
    readonly prefix: string,
    objects: readonly T[] = [],
  ) {
    for (const object of objects) this.objects.set(object.identifier, object);
  }
  get(identifier: string): T | undefined {
    return this.objects.get(identifier);
  }
  getAll(identifiers: Iterable<string>): T[] {
    return [...identifiers].flatMap((id) => this.objects.get(id) ?? []);
  }
  getIdentifiers(): ReadonlySet<string> {
    return new Set(this.objects.keys());
  }
  add(object: T): void {
    if (object.identifier === 'fail') throw new ResourceNotFoundError('Refused.');
    object.identifier = `${this.prefix}${this.#next++}`;
    this.objects.set(object.identifier, object);
  }
  update(object: T): void {
    this.objects.set(object.identifier, object);
  }
  remove(identifier: string): void {
    if (!this.objects.delete(identifier)) throw new ResourceNotFoundError(`No "${identifier}".`);
  }
  async tryAtomically(operation: AtomicDirectoryOperation<T>): Promise<void> {
    const snapshot = new Map(this.objects);
    try {
      await operation(true, this);
    } catch (error) {
      this.objects.clear();
      for (const [id, object] of snapshot) this.objects.set(id, object);
      throw error;
    }
  }
}

/** An object permission set that applies and records every change. */
export class MemoryPermissionSet implements ObjectPermissionSet {
  readonly #granted = new Map<string, Set<ObjectPermissionType>>();

  constructor(readonly changes: string[]) {}
  getPermissions(): ObjectPermission[] {
    return [...this.#granted].flatMap(([objectIdentifier, types]) =>
      [...types].map((type) => ({ type, objectIdentifier })),
    );
  }
  hasPermission(type: ObjectPermissionType, identifier: string): boolean {
    return this.#granted.get(identifier)?.has(type) ?? false;
  }
  getAccessibleObjects(types: readonly ObjectPermissionType[], ids: Iterable<string>): string[] {
    return [...ids].filter((id) => types.some((type) => this.hasPermission(type, id)));
  }
  addPermission(type: ObjectPermissionType, identifier: string): void {
    this.addPermissions([{ type, objectIdentifier: identifier }]);
  }
  removePermission(type: ObjectPermissionType, identifier: string): void {
    this.removePermissions([{ type, objectIdentifier: identifier }]);
  }
  addPermissions(permissions: readonly ObjectPermission[]): void {
    for (const { type, objectIdentifier } of permissions) {
      this.changes.push(`+${type}:${objectIdentifier}`);
      const types = this.#granted.get(objectIdentifier) ?? new Set();
      this.#granted.set(objectIdentifier, types.add(type));
    }
  }
  removePermissions(permissions: readonly ObjectPermission[]): void {
    for (const { type, objectIdentifier } of permissions) {
      this.changes.push(`-${type}:${objectIdentifier}`);
      this.#granted.get(objectIdentifier)?.delete(type);
    }
  }
}
