/**
 * @module The REST API router, mounted at `<http-base-path>/api` (webapp `RESTServiceModule`):
 * `tokens`, `languages`, `ext/{id}` and `session`, then JAX-RS's 404 and the one error mapper.
 * `api/patches` is served by the extension UI router, which the app mounts first.
 */
import type { Router } from 'express';
import type { AuthenticationService } from '../auth/index.js';
import { SILENT_EXTENSION_LOGGER, type ExtensionLogger } from '../extensions/api.js';
import { createRestErrorHandler } from './error-handler.js';
import { serveExtensionResource } from './extension-resource.js';
import type { ProtocolRegistry } from './protocols.js';
import type { RestContext } from './rest-context.js';
import { newRouter, notFound, param, resource, sendJson } from './routing.js';
import { createSessionRouter } from './session-router.js';
import { createTokensRouter } from './tokens-router.js';
import type { TunnelRequestService } from './tunnel-request-service.js';

/** What the REST API is built from. */
export interface RestRouterOptions {
  /** Sessions, providers and listeners. */
  readonly auth: AuthenticationService;
  /** `GET api/languages`: language key → display name. Default: none. */
  readonly languages?: Readonly<Record<string, string>>;
  /** Where the REST layer logs. Default: silent. */
  readonly logger?: ExtensionLogger;
  /** `api-max-request-size` in bytes, 0 for no limit. */
  readonly maxRequestSize: number;
  /** Protocol definitions for `schema/protocols` and `tunnels/{uuid}/protocol`. */
  readonly protocols: ProtocolRegistry;
  /** The service both tunnels connect through (it knows each tunnel's context and protocol). */
  readonly tunnels: TunnelRequestService;
}

/**
 * Creates the REST API.
 * @param options sessions, limits, protocols, tunnels and languages
 * @returns a router to mount at `<base>/api`
 */
export function createRestRouter(options: RestRouterOptions): Router {
  const rest: RestContext = {
    auth: options.auth,
    logger: options.logger ?? SILENT_EXTENSION_LOGGER,
    maxRequestSize: options.maxRequestSize,
    protocols: options.protocols,
    tunnels: options.tunnels,
  };
  const languages = options.languages ?? {};
  const router = newRouter();
  router.use('/tokens', createTokensRouter(rest));
  resource(router, '/languages', {
    GET: (_req, res) => {
      sendJson(res, languages);
    },
  });
  router.use('/ext/:identifier', async (req, res, next) => {
    const identifier = param(req, 'identifier');
    const provider = rest.auth.providers.find((p) => p.getIdentifier() === identifier);
    serveExtensionResource(await provider?.getResource(), req, res, next);
  });
  router.use('/session', createSessionRouter(rest));
  router.use(notFound);
  router.use(createRestErrorHandler({ auth: rest.auth, logger: rest.logger }));
  return router;
}
