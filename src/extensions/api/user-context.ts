/**
 * @module UserContext (guacamole-ext `UserContext`): one provider's view of the data a user may see, and
 * AbstractUserContext with Java's defaults (root group `ROOT` holding every connection, empty
 * directories, a user directory of just `self`).
 */
import type { Directory } from './directory.js';
import { SimpleDirectory } from './directory.js';
import type { Form } from './fields.js';
import type {
  ActiveConnection,
  Connection,
  ConnectionGroup,
  SharingProfile,
  User,
  UserGroup,
} from './objects.js';
import type { AuthenticationProvider } from './provider.js';
import type { ActivityRecord, ActivityRecordSet, ConnectionRecord } from './records.js';
import { SimpleActivityRecordSet } from './records.js';
import { SimpleConnectionGroup } from './simple/connection-group.js';
import type { MaybePromise } from './types.js';

/** The identifier and name of the root connection group (`DEFAULT_ROOT_CONNECTION_GROUP`). */
export const ROOT_CONNECTION_GROUP = 'ROOT';

/**
 * Everything one provider lets one user see and do. The REST layer serves each context under
 * `/api/session/data/<provider identifier>/`.
 * @example
 * ```ts
 * class MyContext extends AbstractUserContext {
 *   constructor(provider: AuthenticationProvider, private readonly user: User) { super(provider); }
 *   self(): User { return this.user; }
 *   getConnectionDirectory(): Directory<Connection> { return new SimpleDirectory(myConnections); }
 * }
 * ```
 */
export interface UserContext {
  /** @returns the user this context belongs to */
  self(): MaybePromise<User>;
  /** @returns false to have the session evicted at the next sweep (Java's default: true) */
  isValid(): boolean;
  /**
   * @returns an authenticated REST resource mounted at `/api/session/ext/<identifier>/` (an Express
   *   Router or Connect-style middleware), or null/undefined for none
   */
  getResource(): MaybePromise<unknown>;
  /** @returns the provider that created this context */
  getAuthenticationProvider(): AuthenticationProvider;
  /** @returns the users visible to this user */
  getUserDirectory(): MaybePromise<Directory<User>>;
  /** @returns the user groups visible to this user */
  getUserGroupDirectory(): MaybePromise<Directory<UserGroup>>;
  /** @returns the connections visible to this user */
  getConnectionDirectory(): MaybePromise<Directory<Connection>>;
  /** @returns the connection groups visible to this user */
  getConnectionGroupDirectory(): MaybePromise<Directory<ConnectionGroup>>;
  /** @returns the active connections visible to this user */
  getActiveConnectionDirectory(): MaybePromise<Directory<ActiveConnection>>;
  /** @returns the sharing profiles visible to this user */
  getSharingProfileDirectory(): MaybePromise<Directory<SharingProfile>>;
  /** @returns connection history visible to this user */
  getConnectionHistory(): MaybePromise<ActivityRecordSet<ConnectionRecord>>;
  /** @returns login history visible to this user */
  getUserHistory(): MaybePromise<ActivityRecordSet<ActivityRecord>>;
  /** @returns the root connection group (REST identifier `ROOT`) */
  getRootConnectionGroup(): MaybePromise<ConnectionGroup>;
  /** @returns the user attribute forms (administration) */
  getUserAttributes(): readonly Form[];
  /** @returns the attribute forms users may edit on themselves (Java's default: none) */
  getUserPreferenceAttributes(): readonly Form[];
  /** @returns the user group attribute forms */
  getUserGroupAttributes(): readonly Form[];
  /** @returns the connection attribute forms */
  getConnectionAttributes(): readonly Form[];
  /** @returns the connection group attribute forms */
  getConnectionGroupAttributes(): readonly Form[];
  /** @returns the sharing profile attribute forms */
  getSharingProfileAttributes(): readonly Form[];
  /** Releases resources at logout or session expiry. */
  invalidate(): MaybePromise<void>;
  /** @returns a context with elevated rights for trusted extension code (Java's default: this) */
  getPrivileged(): UserContext;
}

/**
 * A UserContext with guacamole-ext's defaults (`AbstractUserContext`); implement `self()` and override
 * the directories you have.
 */
export abstract class AbstractUserContext implements UserContext {
  readonly #provider: AuthenticationProvider;

  /** @param provider the provider that creates this context */
  constructor(provider: AuthenticationProvider) {
    this.#provider = provider;
  }

  abstract self(): MaybePromise<User>;

  isValid(): boolean {
    return true;
  }

  getResource(): MaybePromise<unknown> {
    return undefined;
  }

  getAuthenticationProvider(): AuthenticationProvider {
    return this.#provider;
  }

  async getUserDirectory(): Promise<Directory<User>> {
    return new SimpleDirectory([await this.self()]);
  }

  getUserGroupDirectory(): MaybePromise<Directory<UserGroup>> {
    return new SimpleDirectory<UserGroup>();
  }

  getConnectionDirectory(): MaybePromise<Directory<Connection>> {
    return new SimpleDirectory<Connection>();
  }

  async getConnectionGroupDirectory(): Promise<Directory<ConnectionGroup>> {
    return new SimpleDirectory([await this.getRootConnectionGroup()]);
  }

  getActiveConnectionDirectory(): MaybePromise<Directory<ActiveConnection>> {
    return new SimpleDirectory<ActiveConnection>();
  }

  getSharingProfileDirectory(): MaybePromise<Directory<SharingProfile>> {
    return new SimpleDirectory<SharingProfile>();
  }

  getConnectionHistory(): MaybePromise<ActivityRecordSet<ConnectionRecord>> {
    return new SimpleActivityRecordSet<ConnectionRecord>();
  }

  getUserHistory(): MaybePromise<ActivityRecordSet<ActivityRecord>> {
    return new SimpleActivityRecordSet<ActivityRecord>();
  }

  async getRootConnectionGroup(): Promise<ConnectionGroup> {
    const connections = await this.getConnectionDirectory();
    return new SimpleConnectionGroup({
      name: ROOT_CONNECTION_GROUP,
      identifier: ROOT_CONNECTION_GROUP,
      connectionIdentifiers: await connections.getIdentifiers(),
    });
  }

  getUserAttributes(): readonly Form[] {
    return [];
  }

  getUserPreferenceAttributes(): readonly Form[] {
    return [];
  }

  getUserGroupAttributes(): readonly Form[] {
    return [];
  }

  getConnectionAttributes(): readonly Form[] {
    return [];
  }

  getConnectionGroupAttributes(): readonly Form[] {
    return [];
  }

  getSharingProfileAttributes(): readonly Form[] {
    return [];
  }

  invalidate(): MaybePromise<void> {
    return undefined;
  }

  getPrivileged(): UserContext {
    return this;
  }
}
