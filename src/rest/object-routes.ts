/**
 * @module The sub-resources of each object type (webapp `ConnectionResource`, `ConnectionGroupResource`,
 * `SharingProfileResource`, `UserResource`, `UserGroupResource`, `ActiveConnectionResource`).
 */
import type { Request } from 'express';
import {
  CredentialsError,
  Credentials,
  ObjectPermissionType,
  SecurityError,
  SystemPermissionType,
  type ActiveConnection,
  type Connection,
  type ConnectionGroup,
  type SharingProfile,
  type User,
  type UserContext,
  type UserGroup,
} from '../extensions/api.js';
import { objectBody, stringOf } from './api-input.js';
import { connectionGroupTree } from './connection-group-tree.js';
import { CONNECTIONS, SHARING_PROFILES, USERS, type ObjectScope } from './directory-kinds.js';
import { getObject, withDirectoryEvents } from './directory-events.js';
import {
  createDirectoryRouter,
  createObjectRouter,
  permissionFilter,
  type DirectoryRouteOptions,
} from './directory-resource.js';
import { DirectoryView } from './directory-view.js';
import { createHistoryRouter, historyOrEmpty } from './history-resource.js';
import { permissionSetResource } from './permission-set-resource.js';
import { relatedObjectSetResource } from './related-object-set-resource.js';
import { queryParameterMap, readJson, requestDetailsOf } from './request.js';
import type { RestContext } from './rest-context.js';
import { noContent, param, resource, sendJson, sublocator } from './routing.js';

type Routes<T extends { identifier: string }> = NonNullable<
  DirectoryRouteOptions<T>['objectRoutes']
>;

/** Whether the user may read an object's parameters: system ADMINISTER or UPDATE on the object. */
async function mayReadParameters(
  context: UserContext,
  set: 'getConnectionPermissions' | 'getSharingProfilePermissions',
  identifier: string,
): Promise<boolean> {
  const effective = await (await context.self()).getEffectivePermissions();
  if (
    await (await effective.getSystemPermissions()).hasPermission(SystemPermissionType.ADMINISTER)
  ) {
    return true;
  }
  return await (await effective[set]()).hasPermission(ObjectPermissionType.UPDATE, identifier);
}

/**
 * Adds a sharing profile's `parameters` (ADMINISTER or UPDATE only).
 * @returns the routes of a sharing profile
 */
export function sharingProfileRoutes(): Routes<SharingProfile> {
  return (router, object) => {
    resource(router, '/parameters', {
      GET: async (req, res) => {
        const { userContext, object: profile } = await object(req);
        if (
          !(await mayReadParameters(
            userContext,
            'getSharingProfilePermissions',
            profile.identifier,
          ))
        ) {
          throw new SecurityError('Permission to read sharing profile parameters denied.');
        }
        sendJson(res, profile.getParameters());
      },
    });
  };
}

/**
 * Adds a connection's `parameters` (ADMINISTER or UPDATE only), `history` and `sharingProfiles`.
 * @param rest shared dependencies
 * @returns the routes of a connection
 */
export function connectionRoutes(rest: RestContext): Routes<Connection> {
  return (router, object) => {
    resource(router, '/parameters', {
      GET: async (req, res) => {
        const { userContext, object: connection } = await object(req);
        if (
          !(await mayReadParameters(userContext, 'getConnectionPermissions', connection.identifier))
        ) {
          throw new SecurityError('Permission to read connection parameters denied.');
        }
        sendJson(res, (await connection.getConfiguration()).getParameters());
      },
    });
    router.use(
      '/history',
      createHistoryRouter(async (req) => {
        const connection = (await object(req)).object;
        return await historyOrEmpty(async () =>
          (await connection.getConnectionHistory()).sort('START_DATE', true),
        );
      }),
    );
    const profiles = sublocator(object, async ({ authenticatedUser, userContext, object: c }) => ({
      authenticatedUser,
      userContext,
      directory: new DirectoryView<SharingProfile>(
        await userContext.getSharingProfileDirectory(),
        await c.getSharingProfileIdentifiers(),
      ),
    }));
    router.use(
      '/sharingProfiles',
      profiles.middleware,
      createDirectoryRouter(SHARING_PROFILES, profiles, rest, {
        objectRoutes: sharingProfileRoutes(),
      }),
    );
  };
}

/**
 * Adds a connection group's `tree`.
 * @returns the routes of a connection group
 */
export function connectionGroupRoutes(): Routes<ConnectionGroup> {
  return (router, object) => {
    resource(router, '/tree', {
      GET: async (req, res) => {
        const types = permissionFilter(req);
        const { userContext, object: group } = await object(req);
        sendJson(res, await connectionGroupTree(userContext, group, types));
      },
    });
  };
}

/**
 * Adds a user's `password`, `permissions`, `effectivePermissions`, `userGroups` and `history`.
 * @param rest shared dependencies
 * @returns the routes of a user
 */
export function userRoutes(rest: RestContext): Routes<User> {
  return (router, object) => {
    resource(router, '/password', {
      PUT: async (req, res) => {
        const scope = await object(req);
        const body =
          objectBody(await readJson(req, rest.maxRequestSize), 'APIUserPasswordUpdate') ?? {};
        const user = scope.object;
        const credentials = new Credentials({
          username: user.identifier,
          password: stringOf(body, 'oldPassword'),
          request: requestDetailsOf(req, queryParameterMap(req)),
        });
        const provider = scope.userContext.getAuthenticationProvider();
        try {
          const verified = await provider.authenticateUser(credentials);
          if (verified === null || verified === undefined)
            throw new SecurityError('Permission denied.');
        } catch (error) {
          if (error instanceof CredentialsError) throw new SecurityError('Permission denied.');
          throw error;
        }
        const target = () => ({
          operation: 'UPDATE' as const,
          identifier: user.identifier,
          object: user,
        });
        await withDirectoryEvents(rest.auth.listeners, USERS, scope, target, async () => {
          user.password = stringOf(body, 'newPassword');
          await scope.directory.update(user);
        });
        noContent(res);
      },
    });
    permissionSetResource(router, '/permissions', async (req) => (await object(req)).object, rest);
    permissionSetResource(
      router,
      '/effectivePermissions',
      async (req) => await (await object(req)).object.getEffectivePermissions(),
      rest,
      false,
    );
    relatedObjectSetResource(
      router,
      '/userGroups',
      async (req) => await (await object(req)).object.getUserGroups(),
      rest,
    );
    router.use(
      '/history',
      createHistoryRouter(async (req) => {
        const user = (await object(req)).object;
        return await historyOrEmpty(() => user.getUserHistory());
      }),
    );
  };
}

/**
 * Adds a user group's `userGroups`, `memberUsers`, `memberUserGroups` and `permissions`.
 * @param rest shared dependencies
 * @returns the routes of a user group
 */
export function userGroupRoutes(rest: RestContext): Routes<UserGroup> {
  return (router, object) => {
    const group = async (req: Request): Promise<UserGroup> => (await object(req)).object;
    relatedObjectSetResource(
      router,
      '/userGroups',
      async (req) => await (await group(req)).getUserGroups(),
      rest,
    );
    relatedObjectSetResource(
      router,
      '/memberUsers',
      async (req) => await (await group(req)).getMemberUsers(),
      rest,
    );
    relatedObjectSetResource(
      router,
      '/memberUserGroups',
      async (req) => await (await group(req)).getMemberUserGroups(),
      rest,
    );
    permissionSetResource(router, '/permissions', group, rest);
  };
}

/**
 * Adds an active connection's `connection` and `sharingCredentials/{profile}`.
 * @param rest shared dependencies
 * @returns the routes of an active connection
 */
export function activeConnectionRoutes(rest: RestContext): Routes<ActiveConnection> {
  return (router, object) => {
    const connection = sublocator(
      object,
      async ({ authenticatedUser, userContext, object: active }) => {
        const scope = {
          authenticatedUser,
          userContext,
          directory: await userContext.getConnectionDirectory(),
        };
        // Java looks up getConnectionIdentifier() as is: a missing one is "Not found: "null"".
        const identifier = active.connectionIdentifier ?? 'null';
        return {
          ...scope,
          object: await getObject(rest.auth.listeners, CONNECTIONS, scope, identifier),
        };
      },
    );
    router.use(
      '/connection',
      connection.middleware,
      createObjectRouter(CONNECTIONS, connection, rest, { objectRoutes: connectionRoutes(rest) }),
    );
    resource(router, '/sharingCredentials/:sharingProfile', {
      GET: async (req, res) => {
        const active = (await object(req)).object;
        const credentials = await active.getSharingCredentials(param(req, 'sharingProfile'));
        sendJson(res, { expected: credentials.expected, values: credentials.values });
      },
    });
  };
}

/**
 * Java's `UserResource.updateObject`: users change their own password only through `password`.
 * @param scope the user being updated
 * @param submitted the submitted user
 * @throws {SecurityError} when the own account is updated with a password
 */
export async function ownPasswordRule(scope: ObjectScope<User>, submitted: User): Promise<void> {
  const self = await scope.userContext.self();
  if (self.identifier === scope.object.identifier && submitted.password !== undefined) {
    throw new SecurityError(
      "Permission denied. The password update endpoint must be used to change the current user's password.",
    );
  }
}
