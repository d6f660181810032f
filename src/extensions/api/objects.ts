/**
 * @module The object types of guacamole-ext (`Identifiable`, `Connectable`, `Connection`,
 * `ConnectionGroup`, `User`, `UserGroup`, `SharingProfile`, `ActiveConnection`, `RelatedObjectSet`).
 * Plain identity fields are properties; anything an implementation may compute or load is a method.
 */
import type { ClientInformation, GuacamoleConfiguration } from '../../protocol/index.js';
import type { Tunnel } from '../../tunnel/index.js';
import type { UserCredentials } from './credentials-errors.js';
import type { Permissions } from './permissions.js';
import type { ActivityRecord, ActivityRecordSet, ConnectionRecord } from './records.js';
import type { MaybePromise } from './types.js';

/** Parameter tokens for `connect`: name → value, as a Map or a plain object. */
export type TokenMap = ReadonlyMap<string, string> | Readonly<Record<string, string>>;

/** Arbitrary string attributes; a present key with a null value is meaningful to the REST layer. */
export type AttributeMap = Readonly<Record<string, string | null>>;

/** An object with a unique identifier within its directory (`Identifiable`). */
export interface Identifiable {
  /** The identifier; assigned by the directory when the object is added. */
  identifier: string;
}

/** An object with a human-readable name (`Nameable`). */
export interface Nameable {
  /** The display name. */
  name: string;
}

/** An object with arbitrary attributes (`Attributes`). */
export interface HasAttributes {
  /** @returns the attributes; implementations may return a fixed `{}` */
  getAttributes(): AttributeMap;
  /** @param attributes the attributes to store; implementations may ignore them */
  setAttributes(attributes: AttributeMap): void;
}

/** An object that can be disabled (`Disableable`). */
export interface Disableable {
  /** Whether the object is disabled (logins or connections refused). */
  disabled: boolean;
}

/**
 * Something a tunnel can be opened to (`Connectable`).
 * @example
 * ```ts
 * const tunnel = await connection.connect(info, standardTokens(user));
 * ```
 */
export interface Connectable {
  /**
   * Opens a tunnel to guacd for this object.
   * @param info the client's display and capabilities
   * @param tokens parameter tokens (`GUAC_USERNAME`, …) to substitute into the parameters
   * @returns the open tunnel
   * @throws {SecurityError} if connecting is not allowed (e.g. to an organizational group)
   */
  connect(info: Readonly<ClientInformation>, tokens: TokenMap): Promise<Tunnel>;
  /** @returns how many tunnels are currently open to this object */
  getActiveConnections(): MaybePromise<number>;
}

/** A connection (`Connection`). */
export interface Connection extends Identifiable, Nameable, HasAttributes, Connectable {
  /** The identifier of the group containing it (`ROOT` for the root group). */
  parentIdentifier: string;
  /** @returns the protocol and parameters (implementations may load them lazily) */
  getConfiguration(): MaybePromise<GuacamoleConfiguration>;
  /** @param configuration the new protocol and parameters (persisted by `Directory.update`) */
  setConfiguration(configuration: GuacamoleConfiguration): void;
  /** @returns when it was last used, or undefined if never or unknown */
  getLastActive(): Date | undefined;
  /** @returns its usage history */
  getConnectionHistory(): MaybePromise<ActivityRecordSet<ConnectionRecord>>;
  /** @returns the identifiers of the sharing profiles attached to it */
  getSharingProfileIdentifiers(): MaybePromise<ReadonlySet<string>>;
}

/** Connection group types (`ConnectionGroup.Type`). */
export const ConnectionGroupType = Object.freeze({
  ORGANIZATIONAL: 'ORGANIZATIONAL',
  BALANCING: 'BALANCING',
} as const);

/** One connection group type name. */
export type ConnectionGroupType = (typeof ConnectionGroupType)[keyof typeof ConnectionGroupType];

/** A connection group (`ConnectionGroup`); connecting to a BALANCING one picks a child connection. */
export interface ConnectionGroup extends Identifiable, Nameable, HasAttributes, Connectable {
  /** The identifier of the parent group, or undefined for the root group. */
  parentIdentifier: string | undefined;
  /** ORGANIZATIONAL or BALANCING. */
  type: ConnectionGroupType;
  /** @returns identifiers of the connections directly inside it */
  getConnectionIdentifiers(): MaybePromise<ReadonlySet<string>>;
  /** @returns identifiers of the groups directly inside it */
  getConnectionGroupIdentifiers(): MaybePromise<ReadonlySet<string>>;
}

/** A set of related object identifiers that may be changed (`RelatedObjectSet`). */
export interface RelatedObjectSet {
  /** @returns the identifiers */
  getObjects(): MaybePromise<ReadonlySet<string>>;
  /** Adds identifiers; read-only sets throw SecurityError. */
  addObjects(identifiers: ReadonlySet<string>): MaybePromise<void>;
  /** Removes identifiers; read-only sets throw SecurityError. */
  removeObjects(identifiers: ReadonlySet<string>): MaybePromise<void>;
}

/** The standard user attribute names (`User.Attribute`). */
export const UserAttribute = Object.freeze({
  FULL_NAME: 'guac-full-name',
  EMAIL_ADDRESS: 'guac-email-address',
  ORGANIZATION: 'guac-organization',
  ORGANIZATIONAL_ROLE: 'guac-organizational-role',
} as const);

/** A user (`User`): its own permissions are the `Permissions` methods. */
export interface User extends Identifiable, HasAttributes, Disableable, Permissions {
  /** The password when creating or changing it; never filled in when read. */
  password: string | undefined;
  /** @returns when the user was last active, or undefined */
  getLastActive(): Date | undefined;
  /** @returns the user's login history */
  getUserHistory(): MaybePromise<ActivityRecordSet<ActivityRecord>>;
  /** @returns the groups the user is a direct member of */
  getUserGroups(): MaybePromise<RelatedObjectSet>;
  /** @returns own plus inherited permissions */
  getEffectivePermissions(): MaybePromise<Permissions>;
}

/** A user group (`UserGroup`). */
export interface UserGroup extends Identifiable, HasAttributes, Disableable, Permissions {
  /** @returns the groups this group is a member of */
  getUserGroups(): MaybePromise<RelatedObjectSet>;
  /** @returns the users that are members */
  getMemberUsers(): MaybePromise<RelatedObjectSet>;
  /** @returns the groups that are members */
  getMemberUserGroups(): MaybePromise<RelatedObjectSet>;
}

/** A sharing profile: parameters for users joining a connection (`SharingProfile`). */
export interface SharingProfile extends Identifiable, Nameable, HasAttributes {
  /** The connection it shares. */
  primaryConnectionIdentifier: string;
  /** @returns the parameters applied to joining users */
  getParameters(): Readonly<Record<string, string>>;
  /** @param parameters the new parameters */
  setParameters(parameters: Readonly<Record<string, string>>): void;
}

/** A connection in use (`ActiveConnection`). */
export interface ActiveConnection extends Identifiable, Connectable {
  /** The connection in use, or undefined. */
  connectionIdentifier: string | undefined;
  /** The sharing profile used to join, or undefined for the primary user. */
  sharingProfileIdentifier: string | undefined;
  /** When the connection started, or undefined. */
  startDate: Date | undefined;
  /** The client's address, or undefined. */
  remoteHost: string | undefined;
  /** The user, or undefined. */
  username: string | undefined;
  /** @returns the tunnel, or undefined if not visible to this user */
  getTunnel(): Tunnel | undefined;
  /** @returns whether others may join it (`GUAC_TYPE=a`); Java's default is false */
  isConnectable(): boolean;
  /**
   * @param sharingProfileIdentifier the profile to share with
   * @returns the credentials a joining user needs
   */
  getSharingCredentials(sharingProfileIdentifier: string): MaybePromise<UserCredentials>;
}
