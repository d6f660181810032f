/**
 * @module History record sets (webapp `ActivityRecordSetResource`, `ActivityRecordResource`,
 * `ActivityLogResource`): `?contains=` and `?order=[-]startDate` refinements, at most 1000 records,
 * one record by identifier, and a record's logs as raw content.
 */
import type { Request, Router } from 'express';
import {
  ClientError,
  ResourceNotFoundError,
  SimpleActivityRecordSet,
  UnsupportedError,
  type ActivityLogType,
  type ActivityRecord,
  type ActivityRecordSet,
  type MaybePromise,
} from '../extensions/api.js';
import { toApiRecord } from './api-objects.js';
import { queryParameters } from './request.js';
import { locator, newRouter, param, resource, sendJson } from './routing.js';

/** The most records one request returns (`MAXIMUM_HISTORY_SIZE`). */
export const MAXIMUM_HISTORY_SIZE = 1000;

/** The content type each log type is served with (`ActivityLog.Type.getContentType`). */
const LOG_CONTENT_TYPES: Readonly<Record<ActivityLogType, string>> = {
  GUACAMOLE_SESSION_RECORDING: 'application/octet-stream',
  SERVER_LOG: 'text/plain',
  TYPESCRIPT: 'application/octet-stream',
  TYPESCRIPT_TIMING: 'text/plain',
};

/**
 * Reads a history, treating UnsupportedError as an empty one (as the Java resources do).
 * @param read reads the history
 * @returns the history, or an empty set
 */
export async function historyOrEmpty<R extends ActivityRecord>(
  read: () => MaybePromise<ActivityRecordSet<R>>,
): Promise<ActivityRecordSet<R>> {
  try {
    return await read();
  } catch (error) {
    if (error instanceof UnsupportedError) return new SimpleActivityRecordSet<R>();
    throw error;
  }
}

function refine<R extends ActivityRecord>(
  req: Request,
  history: ActivityRecordSet<R>,
): ActivityRecordSet<R> {
  const query = queryParameters(req);
  let refined = history;
  for (const required of query.getAll('contains')) {
    if (required !== '') refined = refined.contains(required);
  }
  for (const order of query.getAll('order')) {
    const descending = order.startsWith('-');
    const property = descending ? order.slice(1) : order;
    if (property !== 'startDate') throw new ClientError(`Invalid sort property: "${property}"`);
    refined = refined.sort('START_DATE', descending);
  }
  return refined.limit(MAXIMUM_HISTORY_SIZE);
}

/**
 * Creates the routes of one record set.
 * @param history reads the request's record set
 * @returns a router to mount where the set lives
 */
export function createHistoryRouter<R extends ActivityRecord>(
  history: (req: Request) => Promise<ActivityRecordSet<R>>,
): Router {
  const router = newRouter();
  resource(router, '/', {
    GET: async (req, res) => {
      const records = await refine(req, await history(req)).asCollection();
      sendJson(res, records.map(toApiRecord));
    },
  });
  const record = locator(async (req) => {
    const identifier = param(req, 'identifier');
    const found = await (await history(req)).get(identifier);
    if (found === undefined) throw new ResourceNotFoundError(`Not found: "${identifier}"`);
    return found;
  });
  router.use('/:identifier', record.middleware);
  resource(router, '/:identifier', {
    GET: async (req, res) => {
      sendJson(res, toApiRecord(await record(req)));
    },
  });
  resource(router, '/:identifier/logs/:name', {
    GET: async (req, res) => {
      const log = (await record(req)).getLogs()[param(req, 'name')];
      if (log === undefined) throw new ResourceNotFoundError('No such log.');
      res.status(200).type(LOG_CONTENT_TYPES[log.type]);
      if (log.size >= 0) res.set('Content-Length', String(log.size));
      const content = await log.getContent();
      if (content instanceof Uint8Array) {
        res.end(content);
        return;
      }
      for await (const chunk of content) res.write(chunk);
      res.end();
    },
  });
  return router;
}
