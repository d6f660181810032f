/**
 * @module The connection tree the home page shows (webapp `ConnectionGroupTree`): a group with all its
 * descendants, read breadth-first; `?permission=` filters connections and sharing profiles (never
 * groups), and anything whose parent was not read is left out.
 */
import type {
  Connection,
  ConnectionGroup,
  ObjectPermissionType,
  SharingProfile,
  UserContext,
} from '../extensions/api.js';
import {
  toApiConnection,
  toApiConnectionGroup,
  toApiSharingProfile,
  type JsonObject,
} from './api-objects.js';

function appendChild(parent: JsonObject, key: string, child: JsonObject): void {
  const children = parent[key];
  if (Array.isArray(children)) children.push(child);
  else parent[key] = [child];
}

/**
 * Builds the tree below a group.
 * @param context the user's context
 * @param root the group at the top (usually the root group)
 * @param permissions the `?permission=` types; empty for no filtering
 * @returns the group's `APIConnectionGroup` with `childConnectionGroups` and `childConnections`
 */
export async function connectionGroupTree(
  context: UserContext,
  root: ConnectionGroup,
  permissions: readonly ObjectPermissionType[],
): Promise<JsonObject> {
  const rootJson = await toApiConnectionGroup(root);
  const groups = new Map<string | undefined, JsonObject>([[root.identifier, rootJson]]);
  const connections = new Map<string, JsonObject>();
  const effective = await (await context.self()).getEffectivePermissions();
  const connectionPermissions = await effective.getConnectionPermissions();
  const sharingProfilePermissions = await effective.getSharingProfilePermissions();
  const connectionDirectory = await context.getConnectionDirectory();
  const groupDirectory = await context.getConnectionGroupDirectory();
  const profileDirectory = await context.getSharingProfileDirectory();

  const addSharingProfiles = async (parents: readonly Connection[]): Promise<void> => {
    let identifiers: string[] = [];
    for (const parent of parents)
      identifiers.push(...(await parent.getSharingProfileIdentifiers()));
    if (permissions.length > 0) {
      identifiers = await sharingProfilePermissions.getAccessibleObjects(permissions, identifiers);
    }
    if (identifiers.length === 0) return;
    const profiles: readonly SharingProfile[] = await profileDirectory.getAll(identifiers);
    for (const profile of profiles) {
      const primary = connections.get(profile.primaryConnectionIdentifier);
      if (primary !== undefined)
        appendChild(primary, 'sharingProfiles', toApiSharingProfile(profile));
    }
  };

  const addDescendants = async (parents: readonly ConnectionGroup[]): Promise<void> => {
    if (parents.length === 0) return;
    let connectionIds: string[] = [];
    const groupIds: string[] = [];
    for (const parent of parents) {
      connectionIds.push(...(await parent.getConnectionIdentifiers()));
      groupIds.push(...(await parent.getConnectionGroupIdentifiers()));
    }
    if (permissions.length > 0) {
      connectionIds = await connectionPermissions.getAccessibleObjects(permissions, connectionIds);
    }
    if (connectionIds.length > 0) {
      const children = await connectionDirectory.getAll(connectionIds);
      for (const child of children) {
        const parent = groups.get(child.parentIdentifier);
        if (parent === undefined) continue;
        const json = await toApiConnection(child);
        connections.set(child.identifier, json);
        appendChild(parent, 'childConnections', json);
      }
      await addSharingProfiles(children);
    }
    if (groupIds.length > 0) {
      const children = await groupDirectory.getAll(groupIds);
      for (const child of children) {
        const parent = groups.get(child.parentIdentifier);
        if (parent === undefined) continue;
        const json = await toApiConnectionGroup(child);
        groups.set(child.identifier, json);
        appendChild(parent, 'childConnectionGroups', json);
      }
      await addDescendants(children);
    }
  };

  await addDescendants([root]);
  return rootJson;
}
