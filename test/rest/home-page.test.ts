/**
 * @module The endpoints the official frontend calls while loading its home page (spec §6.4), against the
 * built-in user-mapping.xml provider: exact JSON shapes, permission filtering, and the answers Java
 * gives when the provider cannot do something.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { GuacamoleEvent } from '../../src/extensions/api.js';
import { errorBody, startRest, type RestHarness } from './support.js';

const DATA = '/api/session/data/default';

const DESKTOP = {
  name: 'desktop',
  identifier: 'desktop',
  parentIdentifier: 'ROOT',
  protocol: 'vnc',
  attributes: {},
  activeConnections: 0,
};
const SERVER = { ...DESKTOP, name: 'server', identifier: 'server', protocol: 'ssh' };
const ROOT = {
  name: 'ROOT',
  identifier: 'ROOT',
  type: 'ORGANIZATIONAL',
  activeConnections: 0,
  attributes: {},
};

describe('home page endpoints (user-mapping.xml)', () => {
  let rest: RestHarness;
  let token: string;
  const events: GuacamoleEvent[] = [];
  before(async () => {
    rest = await startRest({
      listeners: [{ handleEvent: (event) => void events.push(event) }],
      protocols: {
        'vnc.json': JSON.stringify({
          name: 'vnc',
          connectionForms: [{ name: 'network', fields: [{ name: 'hostname', type: 'TEXT' }] }],
        }),
        'broken.json': '{ not json',
      },
    });
    token = await rest.login();
  });
  after(async () => {
    await rest.close();
  });

  const get = async (path: string): Promise<{ status: number; body: unknown }> => {
    const reply = await rest.request('GET', `${DATA}${path}`, { token });
    return { status: reply.status, body: reply.text === '' ? undefined : reply.json() };
  };

  it('serves the connection tree of ROOT', async () => {
    assert.deepEqual(await get('/connectionGroups/ROOT/tree'), {
      status: 200,
      body: { ...ROOT, childConnections: [DESKTOP, SERVER] },
    });
  });

  it('filters the tree by ?permission=, and answers an unknown permission type with 404', async () => {
    assert.deepEqual((await get('/connectionGroups/ROOT/tree?permission=UPDATE')).body, ROOT);
    const read = await get('/connectionGroups/ROOT/tree?permission=READ&permission=UPDATE');
    assert.deepEqual(read.body, { ...ROOT, childConnections: [DESKTOP, SERVER] });
    assert.equal((await get('/connectionGroups/ROOT/tree?permission=read')).status, 404);
  });

  it('serves the effective permissions of the user (`self`)', async () => {
    assert.deepEqual(await get('/self/effectivePermissions'), {
      status: 200,
      body: {
        connectionPermissions: { desktop: ['READ'], server: ['READ'] },
        connectionGroupPermissions: { ROOT: ['READ'] },
        sharingProfilePermissions: {},
        activeConnectionPermissions: {},
        userPermissions: {},
        userGroupPermissions: {},
        systemPermissions: [],
      },
    });
    assert.deepEqual(
      (await get('/self/permissions')).body,
      (await get('/self/effectivePermissions')).body,
    );
  });

  it('serves the user with empty attributes (the user menu reads them)', async () => {
    const user = { username: 'alice', disabled: false, attributes: {} };
    assert.deepEqual(await get('/users/alice'), { status: 200, body: user });
    assert.deepEqual(await get('/self'), { status: 200, body: user });
    assert.deepEqual(await get('/users'), { status: 200, body: { alice: user } });
  });

  it("serves one connection, and 404 with Java's message for an unknown one", async () => {
    assert.deepEqual(await get('/connections/desktop'), { status: 200, body: DESKTOP });
    assert.deepEqual(await get('/connections'), {
      status: 200,
      body: { desktop: DESKTOP, server: SERVER },
    });
    assert.deepEqual(await get('/connections/nope'), {
      status: 404,
      body: errorBody('Not found: "nope"', 'NOT_FOUND'),
    });
  });

  it('refuses connection parameters without ADMINISTER or UPDATE', async () => {
    assert.deepEqual(await get('/connections/desktop/parameters'), {
      status: 403,
      body: errorBody('Permission to read connection parameters denied.', 'PERMISSION_DENIED'),
    });
    assert.equal((await rest.request('HEAD', '/api/session', { token })).status, 204);
  });

  it('serves ROOT and the group directory', async () => {
    assert.deepEqual(await get('/connectionGroups/ROOT'), { status: 200, body: ROOT });
    assert.deepEqual(await get('/connectionGroups'), { status: 200, body: { ROOT } });
  });

  it('serves empty directories, histories and attribute schemas', async () => {
    for (const path of ['/activeConnections', '/sharingProfiles', '/userGroups']) {
      assert.deepEqual(await get(path), { status: 200, body: {} }, path);
    }
    for (const path of [
      '/history/connections',
      '/history/connections?contains=x&order=-startDate',
      '/history/users',
      '/connections/desktop/history',
      '/users/alice/history',
      '/schema/userAttributes',
      '/schema/userPreferenceAttributes',
      '/schema/userGroupAttributes',
      '/schema/connectionAttributes',
      '/schema/sharingProfileAttributes',
      '/schema/connectionGroupAttributes',
      '/users/alice/userGroups',
    ]) {
      assert.deepEqual(await get(path), { status: 200, body: [] }, path);
    }
    assert.deepEqual(await get('/connections/desktop/sharingProfiles'), { status: 200, body: {} });
  });

  it('serves the protocols of GUACAMOLE_HOME/protocols over the built-in ones, skipping unreadable files', async () => {
    const { status, body } = await get('/schema/protocols');
    assert.equal(status, 200);
    const protocols = body as Record<string, unknown>;
    assert.deepEqual(Object.keys(protocols).sort(), ['kubernetes', 'rdp', 'ssh', 'telnet', 'vnc']);
    assert.deepEqual(protocols.vnc, {
      name: 'vnc',
      connectionForms: [{ name: 'network', fields: [{ name: 'hostname', type: 'TEXT' }] }],
      sharingProfileForms: [],
    });
  });

  it('answers an unknown sort property with 400', async () => {
    assert.deepEqual(await get('/history/connections?order=name'), {
      status: 400,
      body: errorBody('Invalid sort property: "name"', 'BAD_REQUEST'),
    });
  });

  it('fires a directory GET event when an object is looked up by identifier', async () => {
    events.length = 0;
    await get('/connections/desktop');
    await get('/connections/nope');
    const seen = events.map((event) =>
      'details' in event
        ? `${event.type} ${event.details.directoryType} ${event.details.operation} ` +
          String(event.details.objectIdentifier)
        : event.type,
    );
    assert.deepEqual(seen, [
      'DirectorySuccessEvent CONNECTION GET desktop',
      'DirectoryFailureEvent CONNECTION GET nope',
    ]);
  });
});

describe('changes the user-mapping.xml provider refuses, answered as Java does', () => {
  let rest: RestHarness;
  let token: string;
  before(async () => {
    rest = await startRest();
    token = await rest.login();
  });
  after(async () => {
    await rest.close();
  });

  const DENIED = errorBody('Permission denied.', 'PERMISSION_DENIED');

  it('answers creation, update and deletion with 403 "Permission denied." (no logout)', async () => {
    const attempts = [
      rest.request('POST', `${DATA}/connections`, {
        token,
        json: { name: 'new', protocol: 'vnc' },
      }),
      rest.request('PUT', `${DATA}/connections/desktop`, { token, json: { name: 'renamed' } }),
      rest.request('DELETE', `${DATA}/connections/desktop`, { token }),
      rest.request('POST', `${DATA}/users`, { token, json: { username: 'eve', password: 'x' } }),
      rest.request('PUT', `${DATA}/users/alice`, { token, json: { attributes: {} } }),
      rest.request('PATCH', `${DATA}/self/permissions`, {
        token,
        json: [{ op: 'add', path: '/systemPermissions', value: 'ADMINISTER' }],
      }),
      rest.request('PATCH', `${DATA}/users/alice/userGroups`, {
        token,
        json: [{ op: 'add', path: '/', value: 'admins' }],
      }),
    ];
    for (const reply of await Promise.all(attempts)) {
      assert.equal(reply.status, 403);
      assert.deepEqual(reply.json(), DENIED);
    }
    assert.equal((await rest.request('HEAD', '/api/session', { token })).status, 204);
  });

  it('refuses a password in an update of the own account', async () => {
    const reply = await rest.request('PUT', `${DATA}/self`, { token, json: { password: 'new' } });
    assert.equal(reply.status, 403);
    assert.deepEqual(
      reply.json(),
      errorBody(
        "Permission denied. The password update endpoint must be used to change the current user's password.",
        'PERMISSION_DENIED',
      ),
    );
  });

  it('checks the old password before refusing to change it', async () => {
    const wrong = await rest.request('PUT', `${DATA}/users/alice/password`, {
      token,
      json: { oldPassword: 'wrong', newPassword: 'x' },
    });
    assert.deepEqual([wrong.status, wrong.json()], [403, DENIED]);
    const right = await rest.request('PUT', `${DATA}/users/alice/password`, {
      token,
      json: { oldPassword: 'secret', newPassword: 'x' },
    });
    assert.deepEqual([right.status, right.json()], [403, DENIED]);
  });

  it('answers a directory patch with 501: the directory is not atomic', async () => {
    const reply = await rest.request('PATCH', `${DATA}/connections`, {
      token,
      json: [{ op: 'remove', path: '/desktop' }],
    });
    assert.equal(reply.status, 501);
    assert.deepEqual(
      reply.json(),
      errorBody(
        'The extension providing this directory does not support Atomic Operations. The patch cannot be executed.',
        'INTERNAL_ERROR',
      ),
    );
  });

  it('answers writes to active connections with 501 "read-only"', async () => {
    const reply = await rest.request('POST', `${DATA}/activeConnections`, { token, json: {} });
    assert.equal(reply.status, 501);
    assert.deepEqual(
      reply.json(),
      errorBody('Active connection records are read-only.', 'INTERNAL_ERROR'),
    );
  });

  it('answers bodies JAX-RS cannot read: 415, plain-text 400, and a missing object', async () => {
    const wrongType = await rest.request('POST', `${DATA}/connections`, {
      token,
      body: 'name=x',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
    });
    assert.equal(wrongType.status, 415);
    const malformed = await rest.request('POST', `${DATA}/connections`, {
      token,
      body: '{',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(malformed.status, 400);
    assert.match(malformed.headers.get('content-type') ?? '', /^text\/plain/);
    const empty = await rest.request('POST', `${DATA}/connections`, {
      token,
      body: '',
      headers: { 'Content-Type': 'application/json' },
    });
    assert.equal(empty.status, 400);
    assert.deepEqual(
      empty.json(),
      errorBody('Data must be submitted when creating objects.', 'BAD_REQUEST'),
    );
  });

  it('answers an unknown method on a resource with 405', async () => {
    const reply = await rest.request('POST', `${DATA}/connectionGroups/ROOT/tree`, {
      token,
      json: {},
    });
    assert.equal(reply.status, 405);
    assert.equal(reply.headers.get('allow'), 'GET, HEAD, OPTIONS');
  });
});
