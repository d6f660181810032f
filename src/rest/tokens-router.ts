/**
 * @module `api/tokens` (webapp `TokenRESTService`): log in or refresh a session with a form (any extra
 * fields reach the providers; HTTP Basic credentials are used when the form has neither username nor
 * password), and revoke a token.
 */
import type { Request, Router } from 'express';
import { Credentials, ResourceNotFoundError, type ExtensionLogger } from '../extensions/api.js';
import { readForm, requestDetailsOf } from './request.js';
import type { RestContext } from './rest-context.js';
import { newRouter, noContent, param, resource, sendJson } from './routing.js';

const BASIC_PREFIX = 'Basic ';
const BASE64 = /^[A-Za-z0-9+/]*$/;

/**
 * Reads `Authorization: Basic …` as `TokenRESTService.getCredentials` does: split at the first colon,
 * UTF-8. Base64 that Guava would refuse makes the request fail (Java answers 500).
 * @param header the Authorization header
 * @param logger told about a header without a colon
 * @returns the username and password, or nothing
 * @throws {Error} for malformed base64
 */
export function basicCredentials(
  header: string | undefined,
  logger: ExtensionLogger,
): { username?: string; password?: string } {
  if (header?.startsWith(BASIC_PREFIX) !== true) return {};
  const encoded = header.slice(BASIC_PREFIX.length).replace(/=+$/, '');
  if (!BASE64.test(encoded) || encoded.length % 4 === 1) {
    throw new Error('Unrecognized character or length in the HTTP Basic "Authorization" header.');
  }
  const decoded = Buffer.from(encoded, 'base64').toString('utf8');
  const colon = decoded.indexOf(':');
  if (colon < 0) {
    logger.debug('Invalid HTTP Basic "Authorization" header received.');
    return {};
  }
  return { username: decoded.slice(0, colon), password: decoded.slice(colon + 1) };
}

async function credentialsOf(
  req: Request,
  rest: RestContext,
): Promise<{
  credentials: Credentials;
  token: string | undefined;
}> {
  const fields = await readForm(req, rest.maxRequestSize);
  let username = fields.get('username')?.[0];
  let password = fields.get('password')?.[0];
  if (username === undefined && password === undefined) {
    ({ username, password } = basicCredentials(req.get('Authorization'), rest.logger));
  }
  // Providers see the form fields only, never the query string (Java's APIRequest).
  const request = requestDetailsOf(req, fields);
  return {
    credentials: new Credentials({ username, password, request }),
    token: fields.get('token')?.[0],
  };
}

/**
 * Creates the routes of `api/tokens`.
 * @param rest shared dependencies
 * @returns a router to mount at `tokens`
 */
export function createTokensRouter(rest: RestContext): Router {
  const router = newRouter();
  resource(router, '/', {
    POST: async (req, res) => {
      const { credentials, token } = await credentialsOf(req, rest);
      const result = await rest.auth.authenticate(credentials, token);
      sendJson(res, {
        authToken: result.token,
        username: result.authenticatedUser.identifier,
        dataSource: result.dataSource,
        availableDataSources: result.availableDataSources,
      });
    },
  });
  resource(router, '/:token', {
    DELETE: async (req, res) => {
      if (!(await rest.auth.destroySession(param(req, 'token')))) {
        throw new ResourceNotFoundError('No such token.');
      }
      noContent(res);
    },
  });
  return router;
}
