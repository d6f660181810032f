/**
 * @module The official frontend's API flow replayed by a page in Chromium against the real application
 * (child process, FakeGuacd): `POST api/tokens` (refused, then accepted, then refreshed), the languages
 * and patches, the connection tree and permissions of the data source, the connection, the WebSocket
 * tunnel opened by npm's guacamole-common-js with the `GUAC_*` parameters of ManagedClient, the
 * session's tunnels, the tunnel's protocol forms and sharing profiles, then logout. Every answer is
 * checked for Java's shape: field names, JSON types, explicit nulls and status codes.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { FakeGuacd } from '../fakes/fake-guacd.js';
import { NAME_SHIM } from '../web/ui-page.js';
import { startRealApp, type RealApp } from './app-e2e-server.js';
import { chromiumSkip, launchBrowser } from './browser.js';
import { sessionScript } from './e2e-guacd.js';
import { replayOfficialFlow, type FlowRecord } from './official-flow-page.js';

const USER_MAPPING = `<user-mapping>
  <authorize username="alice" password="s3cret">
    <connection name="Desktop">
      <protocol>vnc</protocol>
      <param name="hostname">desktop.example</param>
      <param name="port">5900</param>
    </connection>
  </authorize>
</user-mapping>
`;

/** @returns the JSON type names of an object's fields, for shape assertions */
function shape(value: unknown): Record<string, string> {
  assert.ok(typeof value === 'object' && value !== null && !Array.isArray(value));
  return Object.fromEntries(
    Object.entries(value).map(([key, field]) => [
      key,
      field === null ? 'null' : Array.isArray(field) ? 'array' : typeof field,
    ]),
  );
}

void describe('the official frontend API flow', { skip: chromiumSkip(), timeout: 120_000 }, () => {
  let guacd: FakeGuacd;
  let app: RealApp;
  let browser: Browser;
  let page: Page;
  let flow: FlowRecord;

  before(async () => {
    guacd = await FakeGuacd.start({ script: sessionScript });
    app = await startRealApp({ userMapping: USER_MAPPING, guacdPort: guacd.port });
    browser = await launchBrowser();
    const context = await browser.newContext();
    await context.addInitScript(NAME_SHIM);
    page = await context.newPage();
    // A page of the application's origin, as the official frontend is; it loads npm's
    // guacamole-common-js from where the application serves it.
    await page.goto(`${app.origin}/api/languages`);
    flow = await replayOfficialFlow(page, { username: 'alice', password: 's3cret' });
  });
  after(async () => {
    await browser.close();
    await app.stop();
    await guacd.close();
  });

  it('POST api/tokens: 403 INVALID_CREDENTIALS with the full error body, then 200', () => {
    const { status, body } = flow.rejected;
    assert.equal(status, 403);
    assert.deepEqual(body, {
      message: 'Permission Denied.',
      translatableMessage: {
        key: 'APP.TEXT_UNTRANSLATED',
        variables: { MESSAGE: 'Permission Denied.' },
      },
      statusCode: null,
      expected: [
        { name: 'username', type: 'USERNAME' },
        { name: 'password', type: 'PASSWORD' },
      ],
      patches: null,
      type: 'INVALID_CREDENTIALS',
    });
    assert.equal(flow.login.status, 200);
    assert.deepEqual(shape(flow.login.body), {
      authToken: 'string',
      username: 'string',
      dataSource: 'string',
      availableDataSources: 'array',
    });
    const login = flow.login.body as { authToken: string; username: string; dataSource: string };
    assert.match(login.authToken, /^[0-9A-Fa-f]{64}$/);
    assert.equal(login.username, 'alice');
    assert.equal(login.dataSource, 'default');
    assert.deepEqual((flow.login.body as { availableDataSources: unknown }).availableDataSources, [
      'default',
    ]);
  });

  it('re-authentication with token= keeps the same token', () => {
    assert.equal(flow.refresh.status, 200);
    assert.equal(
      (flow.refresh.body as { authToken: string }).authToken,
      (flow.login.body as { authToken: string }).authToken,
    );
  });

  it('api/languages and api/patches answer without a token', () => {
    assert.equal(flow.languages.status, 200);
    // Our own UI ships no translations: only extensions' languages are listed (none here).
    assert.deepEqual(shape(flow.languages.body), {});
    assert.deepEqual(flow.patches, { status: 200, body: [] });
  });

  it('connectionGroups/ROOT/tree: an APIConnectionGroup holding the connection', () => {
    assert.equal(flow.tree.status, 200);
    const root = flow.tree.body as Record<string, unknown>;
    assert.deepEqual(shape(root), {
      name: 'string',
      identifier: 'string',
      type: 'string',
      activeConnections: 'number',
      childConnections: 'array',
      attributes: 'object',
    });
    assert.deepEqual([root.name, root.identifier, root.type], ['ROOT', 'ROOT', 'ORGANIZATIONAL']);
    const [connection] = root.childConnections as Record<string, unknown>[];
    assert.deepEqual(shape(connection), {
      name: 'string',
      identifier: 'string',
      parentIdentifier: 'string',
      protocol: 'string',
      attributes: 'object',
      activeConnections: 'number',
    });
    assert.deepEqual(
      [
        connection?.name,
        connection?.identifier,
        connection?.parentIdentifier,
        connection?.protocol,
      ],
      ['Desktop', 'Desktop', 'ROOT', 'vnc'],
    );
  });

  it('self/effectivePermissions: an APIPermissionSet; activeConnections: a map', () => {
    assert.equal(flow.permissions.status, 200);
    assert.deepEqual(shape(flow.permissions.body), {
      connectionPermissions: 'object',
      connectionGroupPermissions: 'object',
      sharingProfilePermissions: 'object',
      activeConnectionPermissions: 'object',
      userPermissions: 'object',
      userGroupPermissions: 'object',
      systemPermissions: 'array',
    });
    const permissions = flow.permissions.body as { connectionPermissions: unknown };
    assert.deepEqual(permissions.connectionPermissions, { Desktop: ['READ'] });
    assert.equal(flow.activeConnectionsBefore.status, 200);
    assert.deepEqual(flow.activeConnectionsBefore.body, {});
  });

  it('connections/{id}: the APIConnection without parameters', () => {
    assert.equal(flow.connection.status, 200);
    assert.deepEqual(shape(flow.connection.body), {
      name: 'string',
      identifier: 'string',
      parentIdentifier: 'string',
      protocol: 'string',
      attributes: 'object',
      activeConnections: 'number',
    });
  });

  it('the WebSocket tunnel connects with the GUAC_* parameters, and guacd sees them', async () => {
    assert.equal(flow.tunnel.error, null);
    assert.match(flow.tunnel.uuid ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(flow.tunnel.firstSync, '1723456789012');
    const desktop = await guacd.connection(0);
    const handshake = desktop.handshake;
    assert.ok(handshake);
    assert.equal(handshake.selected, 'vnc');
    assert.deepEqual(handshake.instructions.get('size'), ['1024', '768', '96']);
    assert.deepEqual(handshake.instructions.get('timezone'), ['Europe/Berlin']);
    assert.deepEqual(handshake.instructions.get('image'), ['image/png', 'image/jpeg']);
    assert.deepEqual(handshake.instructions.get('audio'), ['audio/L16']);
    assert.deepEqual(handshake.instructions.get('name'), ['alice']);
    assert.equal(handshake.parameters.get('hostname'), 'desktop.example');
  });

  it('session/tunnels lists the tunnel; its protocol has forms; no sharing profiles (404)', () => {
    assert.deepEqual(flow.tunnels, { status: 200, body: [flow.tunnel.uuid] });
    assert.equal(flow.protocol.status, 200);
    assert.deepEqual(shape(flow.protocol.body), {
      name: 'string',
      connectionForms: 'array',
      sharingProfileForms: 'array',
    });
    const protocol = flow.protocol.body as { name: string; connectionForms: { name: string }[] };
    assert.equal(protocol.name, 'vnc');
    assert.equal(protocol.connectionForms[0]?.name, 'network');
    assert.equal(flow.sharingProfiles.status, 404);
    assert.equal((flow.sharingProfiles.body as { type: string }).type, 'NOT_FOUND');
    assert.equal(flow.unknownTunnel.status, 404);
    assert.equal((flow.unknownTunnel.body as { type: string }).type, 'NOT_FOUND');
  });

  it('HEAD api/session is 204 while logged in; DELETE api/session logs out; then 403', () => {
    assert.equal(flow.headBefore, 204);
    assert.equal(flow.logout, 204);
    assert.equal(flow.headAfter, 403);
    assert.equal(flow.treeAfter.status, 403);
    assert.equal((flow.treeAfter.body as { type: string }).type, 'PERMISSION_DENIED');
  });

  it('left no errors in the page or the server log', () => {
    assert.deepEqual(flow.pageErrors, []);
    assert.deepEqual(app.errorLines(), []);
    assert.deepEqual(guacd.errors, []);
  });
});
