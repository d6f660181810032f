/**
 * @module Sends `<base>` to `<base>/`, as Tomcat does for a context root: both frontends use relative
 * URLs (`api/tokens`, `websocket-tunnel`, `app.js`), which only resolve under the base path when the
 * page's own URL ends with a slash.
 */
import type { Request, Response } from 'express';

/**
 * Redirects (302) when the request path of a mounted index route lacks its trailing slash.
 * @param req the request, routed to the router's `/`
 * @param res the response
 * @returns true when a redirect was sent
 */
export function redirectToSlash(req: Request, res: Response): boolean {
  const queryAt = req.originalUrl.indexOf('?');
  const pathname = queryAt === -1 ? req.originalUrl : req.originalUrl.slice(0, queryAt);
  if (pathname.endsWith('/')) return false;
  const query = queryAt === -1 ? '' : req.originalUrl.slice(queryAt);
  // Relative to the current URL, so it survives a proxy that rewrites the prefix; `./` keeps a
  // segment such as `a:b` from reading as a URL scheme.
  const last = pathname.slice(pathname.lastIndexOf('/') + 1);
  res.redirect(302, `./${last}/${query}`);
  return true;
}
