/**
 * @module Reading the rest of the API (spec §6.6) from an in-memory provider: object shapes, the tree
 * with nested groups and sharing profiles, parameters, history with logs, a connection's sharing
 * profiles, active connections with sharing credentials, schemas and extension resources.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { ActivityLog, ConnectionRecord } from '../../src/extensions/api.js';
import { activeConnection, MemoryProvider } from './memory-provider.js';
import { errorBody, startRest, type RestHarness } from './support.js';

const DATA = '/api/session/data/memory';

function record(start: number, name: string): ConnectionRecord {
  const log: ActivityLog = {
    type: 'SERVER_LOG',
    description: { key: 'LOG.SERVER' },
    size: 5,
    getContent: () => new TextEncoder().encode('hello'),
  };
  return {
    startDate: new Date(start),
    endDate: undefined,
    remoteHost: '10.0.0.9',
    username: name,
    active: true,
    identifier: `r${start}`,
    uuid: undefined,
    getLogs: () => ({ server: log }),
    getAttributes: () => ({}),
    connectionIdentifier: '1',
    connectionName: 'Desk',
    sharingProfileIdentifier: undefined,
    sharingProfileName: undefined,
  };
}

describe('reading the directories of an extension', () => {
  let rest: RestHarness;
  let token: string;
  let provider: MemoryProvider;
  before(async () => {
    provider = new MemoryProvider();
    provider.context.history.push(record(1000, 'ann'), record(3000, 'bob'), record(2000, 'cid'));
    provider.context.active.objects.set('a1', activeConnection('a1'));
    rest = await startRest({ providers: [provider] });
    token = await rest.login('admin', 'admin');
  });
  after(async () => {
    await rest.close();
  });

  const call = async (method: string, path: string, json?: unknown) => {
    const reply = await rest.request(method, `${DATA}${path}`, {
      token,
      ...(json === undefined ? {} : { json }),
    });
    return {
      status: reply.status,
      body: reply.text === '' ? undefined : reply.json(),
    };
  };

  it('writes lastActive as epoch milliseconds and drops absent properties', async () => {
    assert.deepEqual((await call('GET', '/connections/1')).body, {
      name: 'Desk',
      identifier: '1',
      parentIdentifier: 'ROOT',
      protocol: 'vnc',
      attributes: {},
      activeConnections: 2,
      lastActive: 1712345678901,
    });
  });

  it('builds the tree breadth-first with groups, sharing profiles, and without orphans', async () => {
    const tree = (await call('GET', '/connectionGroups/ROOT/tree')).body as Record<string, unknown>;
    const connections = tree.childConnections as Record<string, unknown>[];
    assert.deepEqual(
      connections.map((c) => c.identifier),
      ['1'],
    );
    assert.deepEqual(connections[0]?.sharingProfiles, [
      { name: 'Watch', identifier: 'sp1', primaryConnectionIdentifier: '1', attributes: {} },
    ]);
    const groups = tree.childConnectionGroups as Record<string, unknown>[];
    assert.equal(groups[0]?.identifier, 'g1');
    assert.deepEqual(
      (groups[0].childConnections as { identifier: string }[]).map((c) => c.identifier),
      ['2'],
    );
  });

  it('serves parameters to an administrator', async () => {
    assert.deepEqual(await call('GET', '/connections/1/parameters'), {
      status: 200,
      body: { hostname: 'h' },
    });
    assert.deepEqual(await call('GET', '/sharingProfiles/sp1/parameters'), {
      status: 200,
      body: { 'read-only': 'true' },
    });
  });

  it('serves history newest first, refined by contains, with records and their logs', async () => {
    const history = (await call('GET', '/history/connections?order=-startDate')).body as {
      username: string;
    }[];
    assert.deepEqual(
      history.map((r) => r.username),
      ['bob', 'cid', 'ann'],
    );
    const refined = (await call('GET', '/history/connections?contains=ci&contains='))
      .body as unknown[];
    assert.equal(refined.length, 1);
    assert.deepEqual((await call('GET', '/history/connections/r3000')).body, {
      startDate: 3000,
      endDate: null,
      remoteHost: '10.0.0.9',
      username: 'bob',
      active: true,
      identifier: 'r3000',
      uuid: null,
      attributes: {},
      logs: { server: { type: 'SERVER_LOG', description: { key: 'LOG.SERVER' } } },
      connectionIdentifier: '1',
      connectionName: 'Desk',
      sharingProfileIdentifier: null,
      sharingProfileName: null,
    });
    const log = await rest.request('GET', `${DATA}/history/connections/r3000/logs/server`, {
      token,
    });
    assert.deepEqual(
      [log.status, log.text, log.headers.get('content-length')],
      [200, 'hello', '5'],
    );
    assert.match(log.headers.get('content-type') ?? '', /^text\/plain/);
    assert.deepEqual(await call('GET', '/history/connections/r3000/logs/none'), {
      status: 404,
      body: errorBody('No such log.', 'NOT_FOUND'),
    });
    assert.deepEqual(await call('GET', '/history/connections/zz'), {
      status: 404,
      body: errorBody('Not found: "zz"', 'NOT_FOUND'),
    });
  });

  it('serves the sharing profiles of a connection as a read-only view', async () => {
    assert.deepEqual(
      Object.keys((await call('GET', '/connections/1/sharingProfiles')).body as object),
      ['sp1'],
    );
    assert.equal((await call('GET', '/connections/2/sharingProfiles/sp1')).status, 404);
    const created = await call('POST', '/connections/1/sharingProfiles', { name: 'x' });
    assert.deepEqual(created, {
      status: 501,
      body: errorBody('Directory view is read-only', 'INTERNAL_ERROR'),
    });
  });

  it('serves active connections, their connection and sharing credentials', async () => {
    assert.deepEqual((await call('GET', '/activeConnections')).body, {
      a1: {
        identifier: 'a1',
        connectionIdentifier: '1',
        startDate: 1700000000000,
        remoteHost: '10.0.0.5',
        username: 'admin',
        connectable: false,
      },
    });
    assert.equal(
      ((await call('GET', '/activeConnections/a1/connection')).body as { name: string }).name,
      'Desk',
    );
    assert.deepEqual((await call('GET', '/activeConnections/a1/sharingCredentials/sp1')).body, {
      expected: [{ name: 'key', type: 'QUERY_PARAMETER' }],
      values: { key: 'share-sp1' },
    });
    assert.deepEqual(await call('PUT', '/activeConnections/a1', {}), {
      status: 501,
      body: errorBody('Active connection records are read-only.', 'INTERNAL_ERROR'),
    });
  });

  it('serves attribute schemas as forms', async () => {
    assert.deepEqual((await call('GET', '/schema/userPreferenceAttributes')).body, [
      { name: 'general', fields: [{ name: 'guac-full-name', type: 'TEXT' }] },
    ]);
  });

  it('passes extension resources the rest of the request', async () => {
    const open = await rest.request('GET', '/api/ext/memory/hello');
    assert.deepEqual([open.status, open.json()], [200, { hello: 'world' }]);
    const missing = await rest.request('GET', '/api/ext/default/hello');
    assert.deepEqual(
      [missing.status, missing.json()],
      [404, errorBody('No such resource.', 'NOT_FOUND')],
    );
    assert.equal((await rest.request('GET', '/api/ext/memory/nothing')).status, 404);
    const own = await rest.request('GET', '/api/session/ext/memory/whoami', { token });
    assert.deepEqual([own.status, own.json()], [200, { user: 'admin' }]);
    assert.equal((await rest.request('GET', '/api/session/ext/memory/whoami')).status, 403);
  });
});
