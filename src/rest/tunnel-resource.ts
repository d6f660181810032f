/**
 * @module A session's tunnels (webapp `TunnelCollectionResource`, `TunnelResource`): their UUIDs, each
 * tunnel's protocol forms, its active connection and its streams (file transfer). Only the session's own tunnels are reachable;
 * tunnel tokens and guacd connection IDs are never exposed.
 */
import type { Router } from 'express';
import type { GuacamoleSession } from '../auth/index.js';
import { ResourceNotFoundError, type ActiveConnection } from '../extensions/api.js';
import { ACTIVE_CONNECTIONS, type ObjectScope } from './directory-kinds.js';
import { createObjectRouter } from './directory-resource.js';
import { activeConnectionRoutes } from './object-routes.js';
import type { RestContext } from './rest-context.js';
import { newRouter, param, resource, sendJson, sublocator, type Locator } from './routing.js';
import { streamHandlers } from './stream-resource.js';

/**
 * Creates the routes of `session/tunnels`.
 * @param session locates the request's session
 * @param rest shared dependencies
 * @returns a router to mount at `tunnels`
 */
export function createTunnelRouter(session: Locator<GuacamoleSession>, rest: RestContext): Router {
  const router = newRouter();
  resource(router, '/', {
    GET: async (req, res) => {
      sendJson(res, [...(await session(req)).getTunnels().keys()]);
    },
  });
  const tunnel = sublocator(session, (current, req) => {
    const found = current.getTunnels().get(param(req, 'tunnel'));
    const details = found === undefined ? undefined : rest.tunnels.details(found);
    if (found === undefined || details === undefined) {
      throw new ResourceNotFoundError('No such tunnel.');
    }
    return { tunnel: found, details, authenticatedUser: current.getAuthenticatedUser() };
  });
  router.use('/:tunnel', tunnel.middleware);
  resource(router, '/:tunnel/protocol', {
    GET: async (req, res) => {
      const { protocol } = (await tunnel(req)).details;
      if (protocol === undefined) {
        throw new ResourceNotFoundError('Protocol of tunnel is not known/exposed.');
      }
      sendJson(res, rest.protocols.get(protocol));
    },
  });
  const active = sublocator(tunnel, async (found): Promise<ObjectScope<ActiveConnection>> => {
    // UserTunnel.getActiveConnection: the readable active connection whose tunnel has this UUID.
    const { userContext } = found.details;
    const directory = await userContext.getActiveConnectionDirectory();
    for (const candidate of await directory.getAll(await directory.getIdentifiers())) {
      if (candidate.getTunnel()?.uuid === found.tunnel.uuid) {
        return {
          authenticatedUser: found.authenticatedUser,
          userContext,
          directory,
          object: candidate,
        };
      }
    }
    throw new ResourceNotFoundError('No readable active connection for tunnel.');
  });
  router.use(
    '/:tunnel/activeConnection',
    active.middleware,
    createObjectRouter(ACTIVE_CONNECTIONS, active, rest, {
      objectRoutes: activeConnectionRoutes(rest),
    }),
  );
  resource(
    router,
    '/:tunnel/streams/:index/:filename',
    streamHandlers(async (req) => (await tunnel(req)).tunnel, rest.logger),
  );
  return router;
}
