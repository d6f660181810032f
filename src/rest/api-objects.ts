/**
 * @module The JSON the REST API sends for each object type (webapp `APIConnection`, `APIConnectionGroup`,
 * `APIUser`, `APIUserGroup`, `APISharingProfile`, `APIActiveConnection`, `APIPermissionSet`, records).
 * The five `@JsonInclude(NON_NULL)` types omit absent properties; the others write `null`. Dates are
 * epoch milliseconds, as Jackson writes `java.util.Date`.
 */
import {
  ObjectPermissionType,
  SystemPermissionType,
  type ActiveConnection,
  type ActivityRecord,
  type Connection,
  type ConnectionGroup,
  type ConnectionRecord,
  type ObjectPermissionSet,
  type Permissions,
  type SharingProfile,
  type User,
  type UserGroup,
} from '../extensions/api.js';

/** A JSON object as sent. */
export type JsonObject = Record<string, unknown>;

/**
 * Drops null and undefined properties (`@JsonInclude(NON_NULL)`; values inside maps are kept).
 * @param value the object
 * @returns a copy without absent properties
 */
export function nonNull(value: JsonObject): JsonObject {
  return Object.fromEntries(Object.entries(value).filter(([, v]) => v !== null && v !== undefined));
}

const epoch = (date: Date | undefined): number | null => date?.getTime() ?? null;

/**
 * Translates a connection to `APIConnection`.
 * @param connection a connection
 * @returns its `APIConnection` (no parameters, no sharing profiles)
 */
export async function toApiConnection(connection: Connection): Promise<JsonObject> {
  const configuration = await connection.getConfiguration();
  return nonNull({
    name: connection.name,
    identifier: connection.identifier,
    parentIdentifier: connection.parentIdentifier,
    protocol: configuration.protocol,
    attributes: connection.getAttributes(),
    activeConnections: await connection.getActiveConnections(),
    lastActive: epoch(connection.getLastActive()),
  });
}

/**
 * Translates a connection group to `APIConnectionGroup`.
 * @param group a connection group
 * @returns its `APIConnectionGroup` (no children)
 */
export async function toApiConnectionGroup(group: ConnectionGroup): Promise<JsonObject> {
  return nonNull({
    name: group.name,
    identifier: group.identifier,
    parentIdentifier: group.parentIdentifier,
    type: group.type,
    activeConnections: await group.getActiveConnections(),
    attributes: group.getAttributes(),
  });
}

/**
 * Translates a user to `APIUser`.
 * @param user a user
 * @returns its `APIUser` (a password only if the object carries one)
 */
export function toApiUser(user: User): JsonObject {
  return nonNull({
    username: user.identifier,
    password: user.password,
    disabled: user.disabled,
    attributes: user.getAttributes(),
    lastActive: epoch(user.getLastActive()),
  });
}

/**
 * Translates a user group to `APIUserGroup`.
 * @param group a user group
 * @returns its `APIUserGroup`
 */
export function toApiUserGroup(group: UserGroup): JsonObject {
  return nonNull({
    identifier: group.identifier,
    disabled: group.disabled,
    attributes: group.getAttributes(),
  });
}

/**
 * Translates a sharing profile to `APISharingProfile`.
 * @param profile a sharing profile
 * @returns its `APISharingProfile` (no parameters)
 */
export function toApiSharingProfile(profile: SharingProfile): JsonObject {
  return nonNull({
    name: profile.name,
    identifier: profile.identifier,
    primaryConnectionIdentifier: profile.primaryConnectionIdentifier,
    attributes: profile.getAttributes(),
  });
}

/**
 * Translates an active connection to `APIActiveConnection`.
 * @param active an active connection
 * @returns its `APIActiveConnection`, nulls included
 */
export function toApiActiveConnection(active: ActiveConnection): JsonObject {
  return {
    identifier: active.identifier,
    connectionIdentifier: active.connectionIdentifier ?? null,
    startDate: epoch(active.startDate),
    remoteHost: active.remoteHost ?? null,
    username: active.username ?? null,
    connectable: active.isConnectable(),
  };
}

const OBJECT_ORDER = Object.values(ObjectPermissionType);
const SYSTEM_ORDER = Object.values(SystemPermissionType);

async function objectPermissions(set: ObjectPermissionSet): Promise<Record<string, string[]>> {
  const byObject = new Map<string, Set<string>>();
  for (const { type, objectIdentifier } of await set.getPermissions()) {
    const types = byObject.get(objectIdentifier) ?? new Set<string>();
    types.add(type);
    byObject.set(objectIdentifier, types);
  }
  // Java's EnumSet lists types in declaration order.
  return Object.fromEntries(
    [...byObject].map(([id, types]) => [id, OBJECT_ORDER.filter((type) => types.has(type))]),
  );
}

/**
 * Translates permissions to `APIPermissionSet` (types in Java's enum order).
 * @param permissions a user's or group's permissions
 * @returns its `APIPermissionSet`
 */
export async function toApiPermissionSet(permissions: Permissions): Promise<JsonObject> {
  const system = new Set<string>(
    (await (await permissions.getSystemPermissions()).getPermissions()).map((p) => p.type),
  );
  return {
    connectionPermissions: await objectPermissions(await permissions.getConnectionPermissions()),
    connectionGroupPermissions: await objectPermissions(
      await permissions.getConnectionGroupPermissions(),
    ),
    sharingProfilePermissions: await objectPermissions(
      await permissions.getSharingProfilePermissions(),
    ),
    activeConnectionPermissions: await objectPermissions(
      await permissions.getActiveConnectionPermissions(),
    ),
    userPermissions: await objectPermissions(await permissions.getUserPermissions()),
    userGroupPermissions: await objectPermissions(await permissions.getUserGroupPermissions()),
    systemPermissions: SYSTEM_ORDER.filter((type) => system.has(type)),
  };
}

/**
 * Translates a history record to `APIActivityRecord` or `APIConnectionRecord`.
 * @param record a login or connection record
 * @returns its `APIActivityRecord`, plus the `APIConnectionRecord` fields for connection records
 */
export function toApiRecord(record: ActivityRecord | ConnectionRecord): JsonObject {
  const logs = Object.fromEntries(
    Object.entries(record.getLogs()).map(([name, log]) => [
      name,
      { type: log.type, description: log.description },
    ]),
  );
  const json: JsonObject = {
    startDate: epoch(record.startDate),
    endDate: epoch(record.endDate),
    remoteHost: record.remoteHost ?? null,
    username: record.username,
    active: record.active,
    identifier: record.identifier ?? record.uuid ?? null,
    uuid: record.uuid ?? null,
    attributes: record.getAttributes(),
    logs,
  };
  if ('connectionName' in record) {
    json.connectionIdentifier = record.connectionIdentifier ?? null;
    json.connectionName = record.connectionName;
    json.sharingProfileIdentifier = record.sharingProfileIdentifier ?? null;
    json.sharingProfileName = record.sharingProfileName ?? null;
  }
  return json;
}
