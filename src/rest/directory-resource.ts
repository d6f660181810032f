/**
 * @module Generic directory resources (webapp `DirectoryResource` and `DirectoryObjectResource`): list
 * with `?permission=` filtering, create, batch patch, and per object get, update and delete, each with
 * its directory events. Type-specific sub-resources are added by the caller.
 */
import type { Request, Router } from 'express';
import {
  ClientError,
  ObjectPermissionType,
  SystemPermissionType,
  type Identifiable,
} from '../extensions/api.js';
import { HttpAnswer } from './api-error.js';
import { objectBody } from './api-input.js';
import type { DirectoryKind, DirectoryScope, ObjectScope } from './directory-kinds.js';
import { fireDirectoryFailure, getObject, withDirectoryEvents } from './directory-events.js';
import { patchDirectory } from './directory-patch.js';
import { queryParameters, readJson } from './request.js';
import type { RestContext } from './rest-context.js';
import {
  newRouter,
  noContent,
  param,
  resource,
  sendJson,
  sublocator,
  type Locator,
} from './routing.js';

/** Options of a directory's routes. */
export interface DirectoryRouteOptions<T extends Identifiable> {
  /** Adds the sub-resources of one object (e.g. `parameters`, `permissions`). */
  readonly objectRoutes?: (router: Router, object: Locator<ObjectScope<T>>) => void;
  /** Resolves an identifier before the directory does (`ROOT` for groups); undefined = not special. */
  readonly special?: (scope: DirectoryScope<T>, identifier: string) => Promise<T | undefined>;
  /** Runs before an update is applied (the own-password rule for users). */
  readonly beforeUpdate?: (scope: ObjectScope<T>, submitted: T) => Promise<void>;
}

const OBJECT_TYPES = new Set<string>(Object.values(ObjectPermissionType));

/**
 * Reads `?permission=` as JAX-RS converts a `List<ObjectPermission.Type>`: an unknown name is a 404.
 * @param req the request
 * @returns the requested types (empty for none)
 * @throws {HttpAnswer} 404 for an unknown type
 */
export function permissionFilter(req: Request): ObjectPermissionType[] {
  const types = queryParameters(req).getAll('permission');
  for (const type of types) if (!OBJECT_TYPES.has(type)) throw new HttpAnswer(404);
  return types as ObjectPermissionType[];
}

/**
 * Serves one object: GET, PUT and DELETE, plus the type's sub-resources.
 * @param kind the directory type
 * @param object locates the object
 * @param rest shared dependencies
 * @param options sub-resources and update rules
 * @returns the router to mount at the object's path
 */
export function createObjectRouter<T extends Identifiable>(
  kind: DirectoryKind<T>,
  object: Locator<ObjectScope<T>>,
  rest: RestContext,
  options: DirectoryRouteOptions<T> = {},
): Router {
  const router = newRouter();
  const listeners = rest.auth.listeners;
  resource(router, '/', {
    GET: async (req, res) => {
      sendJson(res, await kind.toExternal((await object(req)).object));
    },
    PUT: async (req, res) => {
      const scope = await object(req);
      const body = objectBody(await readJson(req, rest.maxRequestSize), 'object');
      if (body === null) throw new ClientError('Data must be submitted when updating objects.');
      const target = () => ({
        operation: 'UPDATE' as const,
        identifier: scope.object.identifier,
        object: scope.object,
      });
      const submitted = kind.toInternal(body);
      try {
        await options.beforeUpdate?.(scope, submitted);
      } catch (error) {
        await fireDirectoryFailure(listeners, kind, scope, target(), error);
        throw error;
      }
      await kind.filter(scope.userContext, scope.object, submitted);
      await kind.applyChanges(scope.object, submitted);
      await withDirectoryEvents(listeners, kind, scope, target, async () => {
        await scope.directory.update(scope.object);
      });
      noContent(res);
    },
    DELETE: async (req, res) => {
      const scope = await object(req);
      const identifier = scope.object.identifier;
      const target = () => ({ operation: 'REMOVE' as const, identifier, object: scope.object });
      await withDirectoryEvents(listeners, kind, scope, target, async () => {
        await scope.directory.remove(identifier);
      });
      noContent(res);
    },
  });
  options.objectRoutes?.(router, object);
  return router;
}

/**
 * Serves a directory: the list, creation, batch patch, and `/{identifier}` objects.
 * @param kind the directory type
 * @param directory locates the directory
 * @param rest shared dependencies
 * @param options sub-resources, special identifiers and update rules
 * @returns the router to mount at the directory's path
 */
export function createDirectoryRouter<T extends Identifiable>(
  kind: DirectoryKind<T>,
  directory: Locator<DirectoryScope<T>>,
  rest: RestContext,
  options: DirectoryRouteOptions<T> = {},
): Router {
  const router = newRouter();
  const listeners = rest.auth.listeners;
  resource(router, '/', {
    GET: async (req, res) => {
      const types = permissionFilter(req);
      const scope = await directory(req);
      const effective = await (await scope.userContext.self()).getEffectivePermissions();
      const system = await effective.getSystemPermissions();
      let identifiers: Iterable<string> = await scope.directory.getIdentifiers();
      if (!(await system.hasPermission(SystemPermissionType.ADMINISTER)) && types.length > 0) {
        const permissions = await kind.permissions(effective);
        identifiers = await permissions.getAccessibleObjects(types, identifiers);
      }
      const objects: Record<string, unknown> = {};
      for (const item of await scope.directory.getAll(identifiers)) {
        objects[item.identifier] = await kind.toExternal(item);
      }
      sendJson(res, objects);
    },
    POST: async (req, res) => {
      const scope = await directory(req);
      const body = objectBody(await readJson(req, rest.maxRequestSize), 'object');
      if (body === null) throw new ClientError('Data must be submitted when creating objects.');
      const submitted = kind.toInternal(body);
      await kind.filter(scope.userContext, undefined, submitted);
      const target = () => ({
        operation: 'ADD' as const,
        identifier: submitted.identifier,
        object: submitted,
      });
      await withDirectoryEvents(listeners, kind, scope, target, async () => {
        await scope.directory.add(submitted);
      });
      sendJson(res, submitted.toJSON());
    },
    PATCH: async (req, res) => {
      const scope = await directory(req);
      const body = await readJson(req, rest.maxRequestSize);
      sendJson(res, await patchDirectory(listeners, kind, scope, body));
    },
  });
  const object = sublocator(directory, async (scope, req): Promise<ObjectScope<T>> => {
    const identifier = param(req, 'identifier');
    const special = await options.special?.(scope, identifier);
    if (special !== undefined) return { ...scope, object: special };
    return { ...scope, object: await getObject(listeners, kind, scope, identifier) };
  });
  router.use('/:identifier', object.middleware, createObjectRouter(kind, object, rest, options));
  return router;
}
