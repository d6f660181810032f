/**
 * @module A user's or group's permissions (webapp `PermissionSetResource`): GET the `APIPermissionSet`,
 * PATCH `[{op: add|remove, path: /<set>Permissions/<id> | /systemPermissions, value: <type>}]`.
 */
import type { Request, Router } from 'express';
import {
  ClientError,
  ObjectPermissionType,
  SystemPermissionType,
  type ObjectPermission,
  type ObjectPermissionSet,
  type Permissions,
  type SystemPermission,
  type SystemPermissionSet,
} from '../extensions/api.js';
import { listBody, stringOf } from './api-input.js';
import { toApiPermissionSet } from './api-objects.js';
import { readJson } from './request.js';
import type { RestContext } from './rest-context.js';
import { noContent, resource, sendJson } from './routing.js';

type ObjectSetName =
  | 'getConnectionPermissions'
  | 'getConnectionGroupPermissions'
  | 'getSharingProfilePermissions'
  | 'getActiveConnectionPermissions'
  | 'getUserPermissions'
  | 'getUserGroupPermissions';

/** Patch path prefixes and the sets they change, in the order Java applies them. */
const OBJECT_SETS: readonly (readonly [string, ObjectSetName])[] = [
  ['/connectionPermissions/', 'getConnectionPermissions'],
  ['/connectionGroupPermissions/', 'getConnectionGroupPermissions'],
  ['/sharingProfilePermissions/', 'getSharingProfilePermissions'],
  ['/activeConnectionPermissions/', 'getActiveConnectionPermissions'],
  ['/userPermissions/', 'getUserPermissions'],
  ['/userGroupPermissions/', 'getUserGroupPermissions'],
];
const SYSTEM_PATH = '/systemPermissions';

/** Additions and removals for one permission set (`PermissionSetPatch`). */
class SetPatch<P> {
  readonly added: P[] = [];
  readonly removed: P[] = [];

  record(op: string | undefined, permission: P): void {
    if (op === 'add') this.added.push(permission);
    else if (op === 'remove') this.removed.push(permission);
    else throw new ClientError(`Unsupported patch operation: "${op ?? 'null'}"`);
  }

  async apply(set: {
    addPermissions(p: readonly P[]): unknown;
    removePermissions(p: readonly P[]): unknown;
  }): Promise<void> {
    if (this.added.length > 0) await set.addPermissions(this.added);
    if (this.removed.length > 0) await set.removePermissions(this.removed);
  }
}

/** Java's `Enum.valueOf`: an unknown name is an IllegalArgumentException, i.e. a 500. */
function enumValue<T extends string>(values: Readonly<Record<string, T>>, value: unknown): T {
  const found = Object.values(values).find((candidate) => candidate === value);
  if (found === undefined) throw new Error(`No enum constant ${String(value)}`);
  return found;
}

async function patchPermissions(permissions: Permissions, body: unknown): Promise<void> {
  const objectPatches = new Map(
    OBJECT_SETS.map(([, name]) => [name, new SetPatch<ObjectPermission>()]),
  );
  const systemPatch = new SetPatch<SystemPermission>();
  for (const patch of body === null ? [] : listBody(body, 'APIPatch')) {
    const path = stringOf(patch, 'path') ?? '';
    const op = stringOf(patch, 'op');
    const entry = OBJECT_SETS.find(([prefix]) => path.startsWith(prefix));
    if (entry !== undefined) {
      const objectIdentifier = path.slice(entry[0].length);
      const type = enumValue(ObjectPermissionType, patch.value);
      objectPatches.get(entry[1])?.record(op, { type, objectIdentifier });
    } else if (path === SYSTEM_PATH) {
      systemPatch.record(op, { type: enumValue(SystemPermissionType, patch.value) });
    } else {
      throw new ClientError(`Unsupported patch path: "${path}"`);
    }
  }
  for (const [, name] of OBJECT_SETS) {
    const set: ObjectPermissionSet = await permissions[name]();
    await objectPatches.get(name)?.apply(set);
  }
  const system: SystemPermissionSet = await permissions.getSystemPermissions();
  await systemPatch.apply(system);
}

/**
 * Adds the permission set resource.
 * @param router the object's router
 * @param path where the resource lives, e.g. `/permissions`
 * @param permissions the permissions of the request's object
 * @param rest shared dependencies
 * @param writable whether PATCH is served (`effectivePermissions` is read-only)
 */
export function permissionSetResource(
  router: Router,
  path: string,
  permissions: (req: Request) => Promise<Permissions>,
  rest: RestContext,
  writable = true,
): void {
  resource(router, path, {
    GET: async (req, res) => {
      sendJson(res, await toApiPermissionSet(await permissions(req)));
    },
    ...(writable
      ? {
          PATCH: async (req, res) => {
            const target = await permissions(req);
            await patchPermissions(target, await readJson(req, rest.maxRequestSize));
            noContent(res);
          },
        }
      : {}),
  });
}
