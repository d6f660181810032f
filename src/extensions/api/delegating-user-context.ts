/**
 * @module DelegatingUserContext (guacamole-ext `DelegatingUserContext`): a UserContext that forwards every
 * call to another one. Decorating providers extend it and override only what they change.
 */
import type { Directory } from './directory.js';
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
import type { MaybePromise } from './types.js';
import type { UserContext } from './user-context.js';

/**
 * Forwards everything to a wrapped context.
 * @example
 * ```ts
 * class AuditingContext extends DelegatingUserContext {
 *   override async getConnectionDirectory() {
 *     return new AuditingDirectory(await super.getConnectionDirectory());
 *   }
 * }
 * // in a provider: decorate(context) { return new AuditingContext(context); }
 * ```
 */
export class DelegatingUserContext implements UserContext {
  readonly #delegate: UserContext;

  /** @param delegate the context every call is forwarded to */
  constructor(delegate: UserContext) {
    this.#delegate = delegate;
  }

  /** @returns the wrapped context (`getDelegateUserContext()`) */
  getDelegateUserContext(): UserContext {
    return this.#delegate;
  }

  self(): MaybePromise<User> {
    return this.#delegate.self();
  }

  isValid(): boolean {
    return this.#delegate.isValid();
  }

  getResource(): MaybePromise<unknown> {
    return this.#delegate.getResource();
  }

  getAuthenticationProvider(): AuthenticationProvider {
    return this.#delegate.getAuthenticationProvider();
  }

  getUserDirectory(): MaybePromise<Directory<User>> {
    return this.#delegate.getUserDirectory();
  }

  getUserGroupDirectory(): MaybePromise<Directory<UserGroup>> {
    return this.#delegate.getUserGroupDirectory();
  }

  getConnectionDirectory(): MaybePromise<Directory<Connection>> {
    return this.#delegate.getConnectionDirectory();
  }

  getConnectionGroupDirectory(): MaybePromise<Directory<ConnectionGroup>> {
    return this.#delegate.getConnectionGroupDirectory();
  }

  getActiveConnectionDirectory(): MaybePromise<Directory<ActiveConnection>> {
    return this.#delegate.getActiveConnectionDirectory();
  }

  getSharingProfileDirectory(): MaybePromise<Directory<SharingProfile>> {
    return this.#delegate.getSharingProfileDirectory();
  }

  getConnectionHistory(): MaybePromise<ActivityRecordSet<ConnectionRecord>> {
    return this.#delegate.getConnectionHistory();
  }

  getUserHistory(): MaybePromise<ActivityRecordSet<ActivityRecord>> {
    return this.#delegate.getUserHistory();
  }

  getRootConnectionGroup(): MaybePromise<ConnectionGroup> {
    return this.#delegate.getRootConnectionGroup();
  }

  getUserAttributes(): readonly Form[] {
    return this.#delegate.getUserAttributes();
  }

  getUserPreferenceAttributes(): readonly Form[] {
    return this.#delegate.getUserPreferenceAttributes();
  }

  getUserGroupAttributes(): readonly Form[] {
    return this.#delegate.getUserGroupAttributes();
  }

  getConnectionAttributes(): readonly Form[] {
    return this.#delegate.getConnectionAttributes();
  }

  getConnectionGroupAttributes(): readonly Form[] {
    return this.#delegate.getConnectionGroupAttributes();
  }

  getSharingProfileAttributes(): readonly Form[] {
    return this.#delegate.getSharingProfileAttributes();
  }

  invalidate(): MaybePromise<void> {
    return this.#delegate.invalidate();
  }

  getPrivileged(): UserContext {
    return this.#delegate.getPrivileged();
  }
}
