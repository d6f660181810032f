/**
 * @module `api/session` (webapp `SessionRESTService`, `SessionResource`): every path below needs a valid
 * token (403 otherwise). HEAD checks it, DELETE logs out; `data/{ds}`, `ext/{ds}` and `tunnels` serve
 * the session's data.
 */
import type { Router } from 'express';
import { ResourceNotFoundError } from '../extensions/api.js';
import { serveExtensionResource } from './extension-resource.js';
import { getAuthenticationToken } from './request.js';
import type { RestContext } from './rest-context.js';
import { locator, newRouter, noContent, param, resource, sublocator } from './routing.js';
import { createTunnelRouter } from './tunnel-resource.js';
import { createUserContextRouter } from './user-context-router.js';

/**
 * Creates the routes of `api/session`.
 * @param rest shared dependencies
 * @returns a router to mount at `session`
 */
export function createSessionRouter(rest: RestContext): Router {
  const router = newRouter();
  // As Jersey's locator, the token is checked before anything below is even matched.
  const session = locator((req) => rest.auth.getSession(getAuthenticationToken(req)));
  router.use(session.middleware);
  resource(router, '/', {
    HEAD: (_req, res) => {
      noContent(res);
    },
    DELETE: async (req, res) => {
      if (!(await rest.auth.destroySession(getAuthenticationToken(req)))) {
        throw new ResourceNotFoundError('No such token.');
      }
      noContent(res);
    },
  });
  const dataSource = sublocator(session, (current, req) => ({
    userContext: current.getUserContext(param(req, 'dataSource')),
    authenticatedUser: current.getAuthenticatedUser(),
  }));
  router.use('/data/:dataSource', dataSource.middleware, createUserContextRouter(dataSource, rest));
  router.use('/ext/:dataSource', async (req, res, next) => {
    const context = (await session(req)).getUserContext(param(req, 'dataSource'));
    serveExtensionResource(await context.getResource(), req, res, next);
  });
  router.use('/tunnels', createTunnelRouter(session, rest));
  return router;
}
