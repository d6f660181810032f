/**
 * @module The six directory types the REST API serves and how each translates between the extension
 * API and JSON (webapp `*ObjectTranslator` and `*DirectoryResource.getObjectPermissions`).
 */
import {
  DirectoryType,
  GuacamoleConfiguration,
  UnsupportedError,
  type ActiveConnection,
  type AuthenticatedUser,
  type Connection,
  type ConnectionGroup,
  type Directory,
  type Identifiable,
  type MaybePromise,
  type ObjectPermissionSet,
  type Permissions,
  type SharingProfile,
  type User,
  type UserContext,
  type UserGroup,
} from '../extensions/api.js';
import { filterAttributes, presentValues, type InputObject } from './api-input.js';
import {
  toApiActiveConnection,
  toApiConnection,
  toApiConnectionGroup,
  toApiSharingProfile,
  toApiUser,
  toApiUserGroup,
  type JsonObject,
} from './api-objects.js';
import { ApiUserGroupWrapper, ApiUserWrapper } from './api-user-wrappers.js';
import {
  ApiConnectionGroupWrapper,
  ApiConnectionWrapper,
  ApiSharingProfileWrapper,
  type Submitted,
} from './api-wrappers.js';

/** A directory as one request sees it. */
export interface DirectoryScope<T extends Identifiable> {
  readonly authenticatedUser: AuthenticatedUser;
  readonly userContext: UserContext;
  readonly directory: Directory<T>;
}

/** One object of a directory. */
export interface ObjectScope<T extends Identifiable> extends DirectoryScope<T> {
  readonly object: T;
}

/** How one directory type is served. */
export interface DirectoryKind<T extends Identifiable> {
  /** The type events report. */
  readonly type: DirectoryType;
  /** @returns the permission set `?permission=` filters by */
  permissions(permissions: Permissions): MaybePromise<ObjectPermissionSet>;
  /** @returns the object's JSON */
  toExternal(object: T): MaybePromise<JsonObject>;
  /** @returns a submitted object; throws UnsupportedError for read-only types */
  toInternal(input: InputObject): T & Submitted;
  /** Copies a submitted object's changes onto an existing one. */
  applyChanges(existing: T, submitted: T & Submitted): MaybePromise<void>;
  /** Reduces a submitted object's attributes to the schema (`filterExternalObject`). */
  filter(
    context: UserContext,
    existing: T | undefined,
    submitted: T & Submitted,
  ): MaybePromise<void>;
}

/** Connections. */
export const CONNECTIONS: DirectoryKind<Connection> = {
  type: DirectoryType.CONNECTION,
  permissions: (p) => p.getConnectionPermissions(),
  toExternal: toApiConnection,
  toInternal: (input) => new ApiConnectionWrapper(input),
  async applyChanges(existing, submitted) {
    const submittedConfiguration = await submitted.getConfiguration();
    existing.setConfiguration(
      new GuacamoleConfiguration({
        protocol: submittedConfiguration.protocol,
        parameters: presentValues(submittedConfiguration.getParameters()),
      }),
    );
    existing.parentIdentifier = submitted.parentIdentifier;
    existing.name = submitted.name;
    existing.setAttributes(submitted.getAttributes());
  },
  filter(context, _existing, submitted) {
    submitted.setAttributes(
      filterAttributes(context.getConnectionAttributes(), submitted.getAttributes()),
    );
  },
};

/** Connection groups. */
export const CONNECTION_GROUPS: DirectoryKind<ConnectionGroup> = {
  type: DirectoryType.CONNECTION_GROUP,
  permissions: (p) => p.getConnectionGroupPermissions(),
  toExternal: toApiConnectionGroup,
  toInternal: (input) => new ApiConnectionGroupWrapper(input),
  applyChanges(existing, submitted) {
    existing.name = submitted.name;
    existing.parentIdentifier = submitted.parentIdentifier;
    existing.type = submitted.type;
    existing.setAttributes(submitted.getAttributes());
  },
  filter(context, _existing, submitted) {
    submitted.setAttributes(
      filterAttributes(context.getConnectionGroupAttributes(), submitted.getAttributes()),
    );
  },
};

/** Users; a user editing themself is filtered by the preference schema instead. */
export const USERS: DirectoryKind<User> = {
  type: DirectoryType.USER,
  permissions: (p) => p.getUserPermissions(),
  toExternal: toApiUser,
  toInternal: (input) => new ApiUserWrapper(input),
  applyChanges(existing, submitted) {
    if (submitted.password !== undefined) existing.password = submitted.password;
    existing.disabled = submitted.disabled;
    existing.setAttributes(submitted.getAttributes());
  },
  async filter(context, existing, submitted) {
    const self = existing?.identifier === (await context.self()).identifier;
    const schema = self ? context.getUserPreferenceAttributes() : context.getUserAttributes();
    submitted.setAttributes(filterAttributes(schema, submitted.getAttributes()));
  },
};

/** User groups. */
export const USER_GROUPS: DirectoryKind<UserGroup> = {
  type: DirectoryType.USER_GROUP,
  permissions: (p) => p.getUserGroupPermissions(),
  toExternal: toApiUserGroup,
  toInternal: (input) => new ApiUserGroupWrapper(input),
  applyChanges(existing, submitted) {
    existing.disabled = submitted.disabled;
    existing.setAttributes(submitted.getAttributes());
  },
  filter(context, _existing, submitted) {
    submitted.setAttributes(
      filterAttributes(context.getUserGroupAttributes(), submitted.getAttributes()),
    );
  },
};

/** Sharing profiles. */
export const SHARING_PROFILES: DirectoryKind<SharingProfile> = {
  type: DirectoryType.SHARING_PROFILE,
  permissions: (p) => p.getSharingProfilePermissions(),
  toExternal: toApiSharingProfile,
  toInternal: (input) => new ApiSharingProfileWrapper(input),
  applyChanges(existing, submitted) {
    existing.primaryConnectionIdentifier = submitted.primaryConnectionIdentifier;
    existing.name = submitted.name;
    existing.setParameters(submitted.getParameters());
    existing.setAttributes(submitted.getAttributes());
  },
  filter(context, _existing, submitted) {
    submitted.setAttributes(
      filterAttributes(context.getSharingProfileAttributes(), submitted.getAttributes()),
    );
  },
};

const READ_ONLY = 'Active connection records are read-only.';

/** Active connections: read-only records (create and update are 501). */
export const ACTIVE_CONNECTIONS: DirectoryKind<ActiveConnection> = {
  type: DirectoryType.ACTIVE_CONNECTION,
  permissions: (p) => p.getActiveConnectionPermissions(),
  toExternal: toApiActiveConnection,
  toInternal() {
    throw new UnsupportedError(READ_ONLY);
  },
  applyChanges() {
    throw new UnsupportedError(READ_ONLY);
  },
  filter: () => undefined,
};
