/**
 * @module Extension REST resources (webapp `ExtensionRESTService`, `SessionResource.getExtensionResource`):
 * what a provider's `getResource()` (public, `/api/ext/<id>/…`) or a user context's `getResource()`
 * (`/api/session/ext/<id>/…`) returns — an Express router or Connect-style middleware — is handed the
 * rest of the request.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import { ResourceNotFoundError } from '../extensions/api.js';

/**
 * Passes a request to an extension's resource.
 * @param resource what `getResource()` returned
 * @param req the request, its URL relative to the resource's mount point
 * @param res the response
 * @param next continues with the next route (a 404 when nothing else matches)
 * @throws {ResourceNotFoundError} "No such resource." when there is no usable resource
 */
export function serveExtensionResource(
  resource: unknown,
  req: Request,
  res: Response,
  next: NextFunction,
): void {
  if (typeof resource !== 'function') throw new ResourceNotFoundError('No such resource.');
  (resource as RequestHandler)(req, res, next);
}
