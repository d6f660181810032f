/**
 * @module A data source's schema (webapp `SchemaResource`): the attribute forms of each object type and
 * the connection parameter forms of every protocol.
 */
import type { Request, Router } from 'express';
import type { Form, UserContext } from '../extensions/api.js';
import { nonNull } from './api-objects.js';
import type { ProtocolRegistry } from './protocols.js';
import { newRouter, resource, sendJson } from './routing.js';

/**
 * Translates forms to their JSON.
 * @param forms attribute or parameter forms
 * @returns their JSON (`Form` omits absent properties; fields serialise themselves)
 */
export function formsJson(forms: readonly Form[]): unknown[] {
  return forms.map((form) => nonNull({ name: form.name, fields: form.fields }));
}

const ATTRIBUTE_SCHEMAS = {
  userAttributes: (context) => context.getUserAttributes(),
  userPreferenceAttributes: (context) => context.getUserPreferenceAttributes(),
  userGroupAttributes: (context) => context.getUserGroupAttributes(),
  connectionAttributes: (context) => context.getConnectionAttributes(),
  sharingProfileAttributes: (context) => context.getSharingProfileAttributes(),
  connectionGroupAttributes: (context) => context.getConnectionGroupAttributes(),
} as const satisfies Record<string, (context: UserContext) => readonly Form[]>;

/**
 * Creates the schema routes.
 * @param userContext the request's user context
 * @param protocols the protocol definitions (the same for every data source)
 * @returns a router to mount at `schema`
 */
export function createSchemaRouter(
  userContext: (req: Request) => Promise<UserContext>,
  protocols: ProtocolRegistry,
): Router {
  const router = newRouter();
  for (const [name, read] of Object.entries(ATTRIBUTE_SCHEMAS)) {
    resource(router, `/${name}`, {
      GET: async (req, res) => {
        sendJson(res, formsJson(read(await userContext(req))));
      },
    });
  }
  resource(router, '/protocols', {
    GET: (_req, res) => {
      sendJson(res, protocols.all());
    },
  });
  return router;
}
