/**
 * @module One data source of a session (webapp `UserContextResource`): `self`, the six directories,
 * `history` and `schema`, served from the user context the provider with that identifier created.
 */
import type { Request, Router } from 'express';
import type {
  AuthenticatedUser,
  Directory,
  Identifiable,
  MaybePromise,
  UserContext,
} from '../extensions/api.js';
import {
  ACTIVE_CONNECTIONS,
  CONNECTION_GROUPS,
  CONNECTIONS,
  SHARING_PROFILES,
  USER_GROUPS,
  USERS,
  type DirectoryKind,
  type DirectoryScope,
} from './directory-kinds.js';
import {
  createDirectoryRouter,
  createObjectRouter,
  type DirectoryRouteOptions,
} from './directory-resource.js';
import { createHistoryRouter, historyOrEmpty } from './history-resource.js';
import {
  activeConnectionRoutes,
  connectionGroupRoutes,
  connectionRoutes,
  ownPasswordRule,
  sharingProfileRoutes,
  userGroupRoutes,
  userRoutes,
} from './object-routes.js';
import type { RestContext } from './rest-context.js';
import { newRouter, sublocator, type Locator } from './routing.js';
import { createSchemaRouter } from './schema-resource.js';

/** A session's user and one of its contexts. */
export interface DataSourceScope {
  readonly authenticatedUser: AuthenticatedUser;
  readonly userContext: UserContext;
}

/** The identifier `connectionGroups/ROOT` names the root group by (`APIConnectionGroup.ROOT_IDENTIFIER`). */
export const ROOT_IDENTIFIER = 'ROOT';

function mountDirectory<T extends Identifiable>(
  router: Router,
  path: string,
  parts: {
    readonly scope: Locator<DataSourceScope>;
    readonly rest: RestContext;
    readonly kind: DirectoryKind<T>;
    readonly directory: (context: UserContext) => MaybePromise<Directory<T>>;
    readonly options: DirectoryRouteOptions<T>;
  },
): void {
  const directory = sublocator(
    parts.scope,
    async ({ authenticatedUser, userContext }): Promise<DirectoryScope<T>> => ({
      authenticatedUser,
      userContext,
      directory: await parts.directory(userContext),
    }),
  );
  router.use(
    path,
    directory.middleware,
    createDirectoryRouter(parts.kind, directory, parts.rest, parts.options),
  );
}

/**
 * Creates the routes of one data source.
 * @param scope locates the session's user and the context of `{dataSource}`
 * @param rest shared dependencies
 * @returns a router to mount at `data/{dataSource}`
 */
export function createUserContextRouter(
  scope: Locator<DataSourceScope>,
  rest: RestContext,
): Router {
  const router = newRouter();
  const users = { objectRoutes: userRoutes(rest), beforeUpdate: ownPasswordRule };
  const self = sublocator(scope, async ({ authenticatedUser, userContext }) => ({
    authenticatedUser,
    userContext,
    directory: await userContext.getUserDirectory(),
    object: await userContext.self(),
  }));
  router.use('/self', self.middleware, createObjectRouter(USERS, self, rest, users));
  const mount = { scope, rest };
  mountDirectory(router, '/activeConnections', {
    ...mount,
    kind: ACTIVE_CONNECTIONS,
    directory: (context) => context.getActiveConnectionDirectory(),
    options: { objectRoutes: activeConnectionRoutes(rest) },
  });
  mountDirectory(router, '/connections', {
    ...mount,
    kind: CONNECTIONS,
    directory: (context) => context.getConnectionDirectory(),
    options: { objectRoutes: connectionRoutes(rest) },
  });
  mountDirectory(router, '/connectionGroups', {
    ...mount,
    kind: CONNECTION_GROUPS,
    directory: (context) => context.getConnectionGroupDirectory(),
    options: {
      objectRoutes: connectionGroupRoutes(),
      // ROOT is the context's root group, whatever the directory holds, and fires no event.
      special: async ({ userContext }, identifier) =>
        identifier === ROOT_IDENTIFIER ? await userContext.getRootConnectionGroup() : undefined,
    },
  });
  mountDirectory(router, '/sharingProfiles', {
    ...mount,
    kind: SHARING_PROFILES,
    directory: (context) => context.getSharingProfileDirectory(),
    options: { objectRoutes: sharingProfileRoutes() },
  });
  mountDirectory(router, '/users', {
    ...mount,
    kind: USERS,
    directory: (context) => context.getUserDirectory(),
    options: users,
  });
  mountDirectory(router, '/userGroups', {
    ...mount,
    kind: USER_GROUPS,
    directory: (context) => context.getUserGroupDirectory(),
    options: { objectRoutes: userGroupRoutes(rest) },
  });
  const context = async (req: Request): Promise<UserContext> => (await scope(req)).userContext;
  router.use(
    '/history/connections',
    createHistoryRouter(async (req) => {
      const userContext = await context(req);
      return await historyOrEmpty(() => userContext.getConnectionHistory());
    }),
  );
  router.use(
    '/history/users',
    createHistoryRouter(async (req) => {
      const userContext = await context(req);
      return await historyOrEmpty(() => userContext.getUserHistory());
    }),
  );
  router.use('/schema', createSchemaRouter(context, rest.protocols));
  return router;
}
