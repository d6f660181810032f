/**
 * @module Changing directories (spec §6.6) of a writable in-memory provider: create/update/delete with
 * Java's echoes, attribute filtering and directory events, directory patches (atomic, with per-item
 * outcomes), the permission and membership patches, and `?permission=` filtering.
 */
import assert from 'node:assert/strict';
import { after, before, beforeEach, describe, it } from 'node:test';
import type { GuacamoleEvent } from '../../src/extensions/api.js';
import { MemoryConnection, MemoryProvider } from './memory-provider.js';
import { errorBody, startRest, type RestHarness } from './support.js';

const DATA = '/api/session/data/memory';

describe('directories of a writable provider', () => {
  let rest: RestHarness;
  let token: string;
  let provider: MemoryProvider;
  const events: string[] = [];
  const describeEvent = (event: GuacamoleEvent): string =>
    'details' in event
      ? `${event.type === 'DirectorySuccessEvent' ? 'ok' : 'failed'} ${event.details.operation} ` +
        String(event.details.objectIdentifier)
      : event.type;

  before(async () => {
    provider = new MemoryProvider();
    rest = await startRest({
      providers: [provider],
      listeners: [{ handleEvent: (event) => void events.push(describeEvent(event)) }],
    });
    token = await rest.login('admin', 'admin');
  });
  beforeEach(() => {
    events.length = 0;
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

  it('logs in with the extension first and the file provider last', async () => {
    const reply = await rest.request('POST', '/api/tokens', {
      form: { username: 'admin', password: 'admin' },
    });
    const body = reply.json() as { dataSource: string; availableDataSources: string[] };
    assert.equal(body.dataSource, 'memory');
    assert.deepEqual(body.availableDataSources, ['memory']);
  });

  it('creates an object, echoing it with the new identifier and filtered attributes', async () => {
    const created = await call('POST', '/connections', {
      name: 'New',
      parentIdentifier: 'ROOT',
      protocol: 'rdp',
      parameters: { hostname: 'new.example' },
      attributes: { 'max-connections': '5', unknown: 'dropped' },
      ignored: true,
    });
    assert.equal(created.status, 200);
    const body = created.body as { identifier: string };
    assert.deepEqual(body, {
      name: 'New',
      identifier: body.identifier,
      parentIdentifier: 'ROOT',
      protocol: 'rdp',
      parameters: { hostname: 'new.example' },
      attributes: { 'max-connections': '5' },
      activeConnections: 0,
    });
    assert.match(body.identifier, /^conn-\d+$/);
    assert.deepEqual(events, [`ok ADD ${body.identifier}`]);
  });

  it('echoes a created user with its password, as Java does', async () => {
    const created = await call('POST', '/users', {
      username: 'eve',
      password: 'pw',
      disabled: true,
    });
    assert.equal(created.status, 200);
    assert.deepEqual(created.body, {
      username: (created.body as { username: string }).username,
      password: 'pw',
      disabled: true,
      attributes: {},
    });
  });

  it('reports a failed creation with its failure event', async () => {
    const failed = await call('POST', '/connections', { identifier: 'fail', name: 'x' });
    assert.deepEqual(failed, { status: 404, body: errorBody('Refused.', 'NOT_FOUND') });
    assert.deepEqual(events, ['failed ADD fail']);
  });

  it('updates and deletes objects (204) with their events', async () => {
    const connection = new MemoryConnection('upd', 'Before');
    provider.context.connections.objects.set('upd', connection);
    const updated = await call('PUT', '/connections/upd', {
      name: 'After',
      parentIdentifier: 'g1',
      protocol: 'ssh',
      parameters: { hostname: 'after.example', port: null },
      attributes: { 'max-connections': null, other: 'x' },
    });
    assert.equal(updated.status, 204);
    assert.equal(connection.name, 'After');
    assert.equal(connection.parentIdentifier, 'g1');
    assert.equal(connection.configuration.protocol, 'ssh');
    assert.deepEqual(connection.configuration.getParameters(), { hostname: 'after.example' });
    assert.deepEqual(connection.attributes, { 'max-connections': null });
    assert.equal((await call('DELETE', '/connections/upd')).status, 204);
    assert.equal(provider.context.connections.objects.has('upd'), false);
    assert.deepEqual(events, ['ok GET upd', 'ok UPDATE upd', 'ok GET upd', 'ok REMOVE upd']);
  });

  it('filters the own account by the preference schema, others by the user schema', async () => {
    const attributes = { 'guac-full-name': 'A', 'guac-email-address': 'a@example', x: 'y' };
    assert.equal((await call('PUT', '/self', { attributes })).status, 204);
    assert.deepEqual(provider.context.me.getAttributes(), { 'guac-full-name': 'A' });
    const other = provider.context.users.objects.get('other');
    assert.ok(other);
    assert.equal((await call('PUT', '/users/other', { attributes, disabled: true })).status, 204);
    assert.deepEqual(other.getAttributes(), {
      'guac-full-name': 'A',
      'guac-email-address': 'a@example',
    });
    assert.equal(other.disabled, true);
  });

  it('applies a directory patch atomically and reports each item', async () => {
    const patched = await call('PATCH', '/connections', [
      { op: 'add', path: '/', value: { name: 'P1', protocol: 'vnc' } },
      {
        op: 'replace',
        path: '/2',
        value: { name: 'Renamed', parentIdentifier: 'g1', protocol: 'rdp' },
      },
    ]);
    assert.equal(patched.status, 200);
    const outcomes = (
      patched.body as { patches: { op: string; identifier: string; path: string }[] }
    ).patches;
    assert.deepEqual(
      outcomes.map((o) => [o.op, o.path]),
      [
        ['add', '/'],
        ['replace', '/2'],
      ],
    );
    assert.equal(provider.context.connections.objects.get('2')?.name, 'Renamed');
    assert.deepEqual(events.slice(-2), [`ok ADD ${outcomes[0]?.identifier}`, 'ok UPDATE 2']);
  });

  it('rolls a failed patch back and answers 400 with every outcome', async () => {
    const before = [...provider.context.connections.objects.keys()];
    const patched = await call('PATCH', '/connections', [
      { op: 'add', path: '/', value: { name: 'Gone' } },
      { op: 'remove', path: '/nope' },
    ]);
    assert.equal(patched.status, 400);
    assert.deepEqual(
      patched.body,
      errorBody('The provided patches failed to apply.', 'BAD_REQUEST', {
        patches: [
          { op: 'add', identifier: null, path: '/' },
          {
            op: 'remove',
            identifier: 'nope',
            path: '/nope',
            error: { key: 'APP.TEXT_UNTRANSLATED', variables: { MESSAGE: 'No "nope".' } },
          },
        ],
      }),
    );
    assert.deepEqual([...provider.context.connections.objects.keys()], before);
  });

  it('refuses patch paths without "/" and operations other than add, replace and remove', async () => {
    assert.deepEqual(await call('PATCH', '/connections', [{ op: 'remove', path: '1' }]), {
      status: 400,
      body: errorBody('Patch paths must start with "/".', 'BAD_REQUEST'),
    });
    assert.deepEqual(await call('PATCH', '/connections', [{ op: 'test', path: '/1' }]), {
      status: 501,
      body: errorBody(
        'Unsupported patch operation "test". Only add, replace, and remove are supported.',
        'INTERNAL_ERROR',
      ),
    });
  });

  it('patches permissions and group memberships (204), then lists them', async () => {
    const me = provider.context.me;
    const permissions = await call('PATCH', '/self/permissions', [
      { op: 'add', path: '/userPermissions/other', value: 'UPDATE' },
      { op: 'add', path: '/connectionPermissions/1', value: 'READ' },
      { op: 'remove', path: '/userPermissions/other', value: 'DELETE' },
    ]);
    assert.equal(permissions.status, 204);
    assert.deepEqual(me.changes, ['+READ:1', '+UPDATE:other', '-DELETE:other']);
    const listed = (await call('GET', '/users/admin/permissions')).body as Record<string, unknown>;
    assert.deepEqual(listed.userPermissions, { other: ['UPDATE'] });
    assert.deepEqual(listed.systemPermissions, ['ADMINISTER']);
    assert.equal(
      (await call('PATCH', '/self/userGroups', [{ op: 'add', path: '/', value: 'ops' }])).status,
      204,
    );
    assert.deepEqual((await call('GET', '/self/userGroups')).body, ['staff', 'ops']);
  });

  it('refuses bad permission patches as Java does', async () => {
    assert.deepEqual(
      await call('PATCH', '/self/permissions', [{ op: 'add', path: '/x', value: 'READ' }]),
      {
        status: 400,
        body: errorBody('Unsupported patch path: "/x"', 'BAD_REQUEST'),
      },
    );
    const badType = await call('PATCH', '/self/permissions', [
      { op: 'add', path: '/systemPermissions', value: 'ROOT' },
    ]);
    assert.deepEqual(badType, {
      status: 500,
      body: errorBody('Unexpected internal error', 'INTERNAL_ERROR'),
    });
  });

  it('lists a directory filtered by ?permission= unless the user administers the system', async () => {
    const all = await call('GET', '/users?permission=DELETE');
    assert.deepEqual(
      Object.keys(all.body as object).sort(),
      Object.keys((await call('GET', '/users')).body as object).sort(),
    );
  });
});

describe('directories for a user without ADMINISTER', () => {
  it('filters lists by ?permission= and refuses parameters', async () => {
    const provider = new MemoryProvider(false);
    provider.context.me.connectionPermissions.addPermission('UPDATE', '1');
    const rest = await startRest({ providers: [provider] });
    try {
      const token = await rest.login('admin', 'admin');
      const list = await rest.request('GET', `${DATA}/connections?permission=UPDATE`, { token });
      assert.deepEqual(Object.keys(list.json() as object), ['1']);
      const allowed = await rest.request('GET', `${DATA}/connections/1/parameters`, { token });
      assert.equal(allowed.status, 200);
      const refused = await rest.request('GET', `${DATA}/connections/2/parameters`, { token });
      assert.equal(refused.status, 403);
    } finally {
      await rest.close();
    }
    assert.equal(provider.shutdowns, 1);
  });
});
