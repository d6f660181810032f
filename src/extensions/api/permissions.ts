/**
 * @module The permissions model (guacamole-ext `net/auth/permission/*`): object and system permission
 * types, permission sets, the seven-set `Permissions` interface, and the read-only simple sets.
 */
import { SecurityError } from '../../protocol/index.js';
import type { MaybePromise } from './types.js';

/** Object permission types (`ObjectPermission.Type`). */
export const ObjectPermissionType = Object.freeze({
  READ: 'READ',
  UPDATE: 'UPDATE',
  DELETE: 'DELETE',
  ADMINISTER: 'ADMINISTER',
} as const);

/** One object permission type name. */
export type ObjectPermissionType = (typeof ObjectPermissionType)[keyof typeof ObjectPermissionType];

/** System permission types (`SystemPermission.Type`); `AUDIT` is new in 1.6.0. */
export const SystemPermissionType = Object.freeze({
  CREATE_USER: 'CREATE_USER',
  CREATE_USER_GROUP: 'CREATE_USER_GROUP',
  CREATE_CONNECTION: 'CREATE_CONNECTION',
  CREATE_CONNECTION_GROUP: 'CREATE_CONNECTION_GROUP',
  CREATE_SHARING_PROFILE: 'CREATE_SHARING_PROFILE',
  AUDIT: 'AUDIT',
  ADMINISTER: 'ADMINISTER',
} as const);

/** One system permission type name. */
export type SystemPermissionType = (typeof SystemPermissionType)[keyof typeof SystemPermissionType];

/** A permission of one type on one object (`ObjectPermission`). */
export interface ObjectPermission {
  /** What the permission allows. */
  readonly type: ObjectPermissionType;
  /** The identifier of the object it applies to. */
  readonly objectIdentifier: string;
}

/** A system-wide permission (`SystemPermission`). */
export interface SystemPermission {
  /** What the permission allows. */
  readonly type: SystemPermissionType;
}

/** The object permissions a user or group holds for one object type (`ObjectPermissionSet`). */
export interface ObjectPermissionSet {
  /** @returns every permission in the set */
  getPermissions(): MaybePromise<readonly ObjectPermission[]>;
  /**
   * @param type the permission type
   * @param identifier the object identifier
   * @returns whether the set holds that permission
   */
  hasPermission(type: ObjectPermissionType, identifier: string): MaybePromise<boolean>;
  /**
   * Filters identifiers down to those the set grants **any** of the given types on.
   * @param types the acceptable permission types
   * @param identifiers the candidate identifiers
   * @returns the accessible identifiers, in input order
   */
  getAccessibleObjects(
    types: readonly ObjectPermissionType[],
    identifiers: Iterable<string>,
  ): MaybePromise<string[]>;
  /** Grants one permission; read-only sets throw SecurityError "Permission denied.". */
  addPermission(type: ObjectPermissionType, identifier: string): MaybePromise<void>;
  /** Revokes one permission; read-only sets throw SecurityError "Permission denied.". */
  removePermission(type: ObjectPermissionType, identifier: string): MaybePromise<void>;
  /** Grants several permissions; read-only sets throw SecurityError. */
  addPermissions(permissions: readonly ObjectPermission[]): MaybePromise<void>;
  /** Revokes several permissions; read-only sets throw SecurityError. */
  removePermissions(permissions: readonly ObjectPermission[]): MaybePromise<void>;
}

/** The system permissions a user or group holds (`SystemPermissionSet`). */
export interface SystemPermissionSet {
  /** @returns every permission in the set */
  getPermissions(): MaybePromise<readonly SystemPermission[]>;
  /**
   * @param type the permission type
   * @returns whether the set holds it
   */
  hasPermission(type: SystemPermissionType): MaybePromise<boolean>;
  /** Grants a permission; read-only sets throw SecurityError "Permission denied.". */
  addPermission(type: SystemPermissionType): MaybePromise<void>;
  /** Revokes a permission; read-only sets throw SecurityError "Permission denied.". */
  removePermission(type: SystemPermissionType): MaybePromise<void>;
  /** Grants several permissions; read-only sets throw SecurityError. */
  addPermissions(permissions: readonly SystemPermission[]): MaybePromise<void>;
  /** Revokes several permissions; read-only sets throw SecurityError. */
  removePermissions(permissions: readonly SystemPermission[]): MaybePromise<void>;
}

/** The seven permission sets of a user or group (`Permissions`). */
export interface Permissions {
  /** @returns the system permissions */
  getSystemPermissions(): MaybePromise<SystemPermissionSet>;
  /** @returns permissions on connections */
  getConnectionPermissions(): MaybePromise<ObjectPermissionSet>;
  /** @returns permissions on connection groups */
  getConnectionGroupPermissions(): MaybePromise<ObjectPermissionSet>;
  /** @returns permissions on sharing profiles */
  getSharingProfilePermissions(): MaybePromise<ObjectPermissionSet>;
  /** @returns permissions on active connections */
  getActiveConnectionPermissions(): MaybePromise<ObjectPermissionSet>;
  /** @returns permissions on users */
  getUserPermissions(): MaybePromise<ObjectPermissionSet>;
  /** @returns permissions on user groups */
  getUserGroupPermissions(): MaybePromise<ObjectPermissionSet>;
}

function denied(): never {
  throw new SecurityError('Permission denied.');
}

const key = (type: string, identifier: string): string => `${type}\u0000${identifier}`;

/**
 * A read-only object permission set (`SimpleObjectPermissionSet`); changes throw SecurityError.
 * @example
 * ```ts
 * const readable = SimpleObjectPermissionSet.of(['1', '2']); // READ on connections 1 and 2
 * await readable.hasPermission(ObjectPermissionType.READ, '1'); // true
 * ```
 */
export class SimpleObjectPermissionSet implements ObjectPermissionSet {
  /** An empty read-only set (`ObjectPermissionSet.EMPTY_SET`). */
  static readonly EMPTY: SimpleObjectPermissionSet = new SimpleObjectPermissionSet([]);
  readonly #permissions = new Map<string, ObjectPermission>();

  /** @param permissions the permissions the set holds (duplicates collapse) */
  constructor(permissions: Iterable<ObjectPermission>) {
    for (const permission of permissions) {
      const { type, objectIdentifier } = permission;
      this.#permissions.set(key(type, objectIdentifier), Object.freeze({ type, objectIdentifier }));
    }
  }

  /**
   * Builds a set granting each type on each identifier.
   * @param identifiers the object identifiers
   * @param types the permission types; default READ only
   * @returns the set
   */
  static of(
    identifiers: Iterable<string>,
    types: readonly ObjectPermissionType[] = [ObjectPermissionType.READ],
  ): SimpleObjectPermissionSet {
    const ids = [...identifiers];
    return new SimpleObjectPermissionSet(
      types.flatMap((type) => ids.map((objectIdentifier) => ({ type, objectIdentifier }))),
    );
  }

  getPermissions(): readonly ObjectPermission[] {
    return [...this.#permissions.values()];
  }

  hasPermission(type: ObjectPermissionType, identifier: string): boolean {
    return this.#permissions.has(key(type, identifier));
  }

  getAccessibleObjects(
    types: readonly ObjectPermissionType[],
    identifiers: Iterable<string>,
  ): string[] {
    return [...identifiers].filter((id) => types.some((type) => this.hasPermission(type, id)));
  }

  addPermission(): never {
    return denied();
  }

  removePermission(): never {
    return denied();
  }

  addPermissions(): never {
    return denied();
  }

  removePermissions(): never {
    return denied();
  }
}

/** A read-only system permission set (`SimpleSystemPermissionSet`); changes throw SecurityError. */
export class SimpleSystemPermissionSet implements SystemPermissionSet {
  /** An empty read-only set. */
  static readonly EMPTY: SimpleSystemPermissionSet = new SimpleSystemPermissionSet([]);
  readonly #types: ReadonlySet<SystemPermissionType>;

  /** @param types the permission types the set holds */
  constructor(types: Iterable<SystemPermissionType>) {
    this.#types = new Set(types);
  }

  getPermissions(): readonly SystemPermission[] {
    return [...this.#types].map((type) => Object.freeze({ type }));
  }

  hasPermission(type: SystemPermissionType): boolean {
    return this.#types.has(type);
  }

  addPermission(): never {
    return denied();
  }

  removePermission(): never {
    return denied();
  }

  addPermissions(): never {
    return denied();
  }

  removePermissions(): never {
    return denied();
  }
}
