/**
 * @module Routing in Jersey's terms: locators (sub-resource methods, resolved once per request and in
 * path order, so a bad token fails before an unknown path does), resources whose other methods answer
 * 405, JSON and 204 answers, and path parameters.
 */
import express, {
  type NextFunction,
  type Request,
  type RequestHandler,
  type Response,
  type Router,
} from 'express';
import { HttpAnswer } from './api-error.js';

/** Resolves what a path prefix names (a session, a user context, a directory object…). */
export interface Locator<T> {
  /** @returns the value for this request, resolved at most once */
  (req: Request): Promise<T>;
  /** Resolves the value before anything below the prefix runs; a failure goes to the error handler. */
  readonly middleware: RequestHandler;
}

/**
 * Creates a locator; mount its middleware where the prefix is matched, so path parameters are there.
 * @param resolve computes the value
 * @returns the locator
 */
export function locator<T>(resolve: (req: Request) => Promise<T> | T): Locator<T> {
  const cache = new WeakMap<Request, Promise<T>>();
  const get = (req: Request): Promise<T> => {
    let value = cache.get(req);
    if (value === undefined) {
      value = Promise.resolve().then(() => resolve(req));
      cache.set(req, value);
    }
    return value;
  };
  const middleware: RequestHandler = (req, _res, next) => {
    get(req).then(() => {
      next();
    }, next);
  };
  return Object.assign(get, { middleware });
}

/**
 * Creates a locator below another one.
 * @param parent the enclosing locator
 * @param resolve computes the value from the parent's
 * @returns the locator
 */
export function sublocator<P, T>(
  parent: Locator<P>,
  resolve: (value: P, req: Request) => Promise<T> | T,
): Locator<T> {
  return locator(async (req) => await resolve(await parent(req), req));
}

/** A router as Jersey matches: case-sensitive paths. */
export function newRouter(): Router {
  return express.Router({ caseSensitive: true });
}

/** HTTP methods a resource may answer. */
export type Method = 'GET' | 'POST' | 'PUT' | 'DELETE' | 'PATCH' | 'HEAD';

/**
 * Registers a resource: its methods, and 405 with `Allow` for any other (JAX-RS's answer).
 * @param router the router
 * @param path the resource's path
 * @param handlers a handler per method; GET also answers HEAD unless HEAD is given
 */
export function resource(
  router: Router,
  path: string,
  handlers: Partial<Record<Method, RequestHandler>>,
): void {
  const route = router.route(path);
  const allowed = new Set<string>();
  for (const [method, handler] of Object.entries(handlers) as [Method, RequestHandler][]) {
    allowed.add(method);
    if (method === 'GET') allowed.add('HEAD');
    route[method.toLowerCase() as Lowercase<Method>](handler);
  }
  allowed.add('OPTIONS');
  const allow = [...allowed].sort().join(', ');
  route.all((req, res) => {
    if (req.method === 'OPTIONS') {
      res.status(200).set('Allow', allow).end();
      return;
    }
    throw new HttpAnswer(405, '', { Allow: allow });
  });
}

/**
 * Sends a value as JSON (200).
 * @param res the response
 * @param value the value, already in its REST shape
 */
export function sendJson(res: Response, value: unknown): void {
  res.status(200).json(value);
}

/**
 * Answers a `void` resource method: 204 No Content.
 * @param res the response
 */
export function noContent(res: Response): void {
  res.status(204).end();
}

/**
 * Reads a path parameter.
 * @param req the request
 * @param name a path parameter of the matched route
 * @returns its (decoded) value
 * @throws {Error} if the route has no such parameter (a programming error)
 */
export function param(req: Request, name: string): string {
  const value = (req.params as Record<string, string | undefined>)[name];
  if (value === undefined) throw new Error(`The route has no parameter "${name}".`);
  return value;
}

/** Answers everything nobody matched with JAX-RS's empty 404. */
export const notFound: RequestHandler = (_req: Request, _res: Response, next: NextFunction) => {
  next(new HttpAnswer(404));
};
