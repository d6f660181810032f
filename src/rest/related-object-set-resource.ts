/**
 * @module A set of related identifiers (webapp `RelatedObjectSetResource`): a user's groups, a group's
 * members. GET lists them; PATCH `[{op: add|remove, path: "/", value: <id>}]` changes them.
 */
import type { Request, Router } from 'express';
import { ClientError, type RelatedObjectSet } from '../extensions/api.js';
import { listBody, stringOf } from './api-input.js';
import { readJson } from './request.js';
import type { RestContext } from './rest-context.js';
import { noContent, resource, sendJson } from './routing.js';

async function patchObjects(objects: RelatedObjectSet, body: unknown): Promise<void> {
  const added = new Set<string>();
  const removed = new Set<string>();
  for (const patch of body === null ? [] : listBody(body, 'APIPatch')) {
    const path = stringOf(patch, 'path') ?? '';
    if (path !== '/') throw new ClientError(`Unsupported patch path: "${path}"`);
    const op = stringOf(patch, 'op');
    const identifier = stringOf(patch, 'value') ?? '';
    if (op === 'add') added.add(identifier);
    else if (op === 'remove') removed.add(identifier);
    else throw new ClientError(`Unsupported patch operation: "${op ?? 'null'}"`);
  }
  if (added.size > 0) await objects.addObjects(added);
  if (removed.size > 0) await objects.removeObjects(removed);
}

/**
 * Adds a related-object-set resource.
 * @param router the object's router
 * @param path where the resource lives, e.g. `/userGroups`
 * @param objects the set of the request's object
 * @param rest shared dependencies
 */
export function relatedObjectSetResource(
  router: Router,
  path: string,
  objects: (req: Request) => Promise<RelatedObjectSet>,
  rest: RestContext,
): void {
  resource(router, path, {
    GET: async (req, res) => {
      sendJson(res, [...(await (await objects(req)).getObjects())]);
    },
    PATCH: async (req, res) => {
      const set = await objects(req);
      await patchObjects(set, await readJson(req, rest.maxRequestSize));
      noContent(res);
    },
  });
}
