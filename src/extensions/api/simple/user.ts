/**
 * @module SimpleUser and SimpleRelatedObjectSet (guacamole-ext `SimpleUser`, `SimpleRelatedObjectSet`):
 * a read-only user holding READ permissions on given objects.
 */
import { SecurityError } from '../../../protocol/index.js';
import type { AttributeMap, RelatedObjectSet, User } from '../objects.js';
import {
  SimpleObjectPermissionSet,
  SimpleSystemPermissionSet,
  type ObjectPermissionSet,
  type Permissions,
  type SystemPermissionSet,
  type SystemPermissionType,
} from '../permissions.js';
import { SimpleActivityRecordSet, type ActivityRecord } from '../records.js';

/**
 * A read-only set of related identifiers (`SimpleRelatedObjectSet`); changes throw SecurityError.
 * @example
 * ```ts
 * const groups = new SimpleRelatedObjectSet(['staff']);
 * ```
 */
export class SimpleRelatedObjectSet implements RelatedObjectSet {
  readonly #objects: ReadonlySet<string>;

  /** @param identifiers the identifiers; default none */
  constructor(identifiers: Iterable<string> = []) {
    this.#objects = new Set(identifiers);
  }

  getObjects(): ReadonlySet<string> {
    return this.#objects;
  }

  addObjects(): never {
    throw new SecurityError('Permission denied.');
  }

  removeObjects(): never {
    throw new SecurityError('Permission denied.');
  }
}

/** What a {@link SimpleUser} is built from; every identifier list gets READ permission. */
export interface SimpleUserInit {
  /** Connections the user may read. Default: none. */
  readonly connectionIdentifiers?: Iterable<string>;
  /** Connection groups the user may read. Default: none. */
  readonly connectionGroupIdentifiers?: Iterable<string>;
  /** The username. */
  readonly identifier: string;
  /** System permissions. Default: none. */
  readonly systemPermissions?: Iterable<SystemPermissionType>;
  /** Users the user may read. Default: none. */
  readonly userIdentifiers?: Iterable<string>;
}

/**
 * A read-only user with READ permissions on given objects (`SimpleUser`); its effective permissions are
 * its own.
 * @example
 * ```ts
 * const me = new SimpleUser({ identifier: 'alice', connectionIdentifiers: ['a'], connectionGroupIdentifiers: ['ROOT'] });
 * ```
 */
export class SimpleUser implements User, Permissions {
  identifier: string;
  password: string | undefined = undefined;
  disabled = false;
  readonly #connections: SimpleObjectPermissionSet;
  readonly #groups: SimpleObjectPermissionSet;
  readonly #users: SimpleObjectPermissionSet;
  readonly #system: SimpleSystemPermissionSet;

  /** @param init the username and what it may read */
  constructor(init: SimpleUserInit) {
    this.identifier = init.identifier;
    this.#connections = SimpleObjectPermissionSet.of(init.connectionIdentifiers ?? []);
    this.#groups = SimpleObjectPermissionSet.of(init.connectionGroupIdentifiers ?? []);
    this.#users = SimpleObjectPermissionSet.of(init.userIdentifiers ?? []);
    this.#system = new SimpleSystemPermissionSet(init.systemPermissions ?? []);
  }

  getAttributes(): AttributeMap {
    return {};
  }

  setAttributes(): void {
    // A simple user has no attributes; Java's AbstractUser ignores them too.
  }

  getLastActive(): Date | undefined {
    return undefined;
  }

  getUserHistory(): SimpleActivityRecordSet<ActivityRecord> {
    return new SimpleActivityRecordSet<ActivityRecord>();
  }

  getUserGroups(): RelatedObjectSet {
    return new SimpleRelatedObjectSet();
  }

  getEffectivePermissions(): Permissions {
    return this;
  }

  getSystemPermissions(): SystemPermissionSet {
    return this.#system;
  }

  getConnectionPermissions(): ObjectPermissionSet {
    return this.#connections;
  }

  getConnectionGroupPermissions(): ObjectPermissionSet {
    return this.#groups;
  }

  getSharingProfilePermissions(): ObjectPermissionSet {
    return SimpleObjectPermissionSet.EMPTY;
  }

  getActiveConnectionPermissions(): ObjectPermissionSet {
    return SimpleObjectPermissionSet.EMPTY;
  }

  getUserPermissions(): ObjectPermissionSet {
    return this.#users;
  }

  getUserGroupPermissions(): ObjectPermissionSet {
    return SimpleObjectPermissionSet.EMPTY;
  }
}
