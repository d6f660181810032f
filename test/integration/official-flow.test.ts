/**
 * @module The official frontend's API flow (spec §6.3–6.5, §9 B) replayed against the real application,
 * assembled as main.ts does (guacamole.properties → extensions → authentication → createApp) from a
 * GUACAMOLE_HOME with user-mapping.xml, with a FakeGuacd as guacd: log in, load the home page, open the
 * connection over the WebSocket tunnel and over the HTTP tunnel, ask for the tunnel's protocol, and
 * check what guacd received. Then the tunnels' refusals, and logout.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { createApp, createAuthenticationService, type GuacamoleApp } from '../../src/app.js';
import type { AuthenticationService } from '../../src/auth/index.js';
import { loadConfiguration } from '../../src/config/index.js';
import { loadExtensions, type LoadedExtensions } from '../../src/extensions/index.js';
import { ALL_PROPERTIES } from '../../src/properties.js';
import { FakeGuacd, type FakeGuacdConnection } from '../fakes/fake-guacd.js';
import { USER_MAPPING } from '../rest/support.js';
import { assertTunnelError, fetchTunnel, HttpTunnelClient } from '../tunnel/http-client.js';
import { WsTunnelClient } from '../tunnel/ws-client.js';

/** Checks a `GET tunnels/{uuid}/protocol` body: the built-in definition of `name`, as Java answers it. */
function assertProtocol(body: unknown, name: string): void {
  const info = body as {
    name: string;
    connectionForms: { name: string; fields: { name: string }[] }[];
    sharingProfileForms: { name: string }[];
  };
  assert.deepEqual(Object.keys(info), ['name', 'connectionForms', 'sharingProfileForms']);
  assert.equal(info.name, name);
  assert.equal(info.connectionForms[0]?.name, 'network');
  assert.deepEqual(
    info.connectionForms[0].fields.slice(0, 2).map((field) => field.name),
    ['hostname', 'port'],
  );
  assert.ok(info.sharingProfileForms.length > 0);
}

describe("the official frontend's flow", () => {
  let home: string;
  let guacd: FakeGuacd;
  let loaded: LoadedExtensions;
  let auth: AuthenticationService;
  let app: GuacamoleApp;
  let server: http.Server;
  const sockets = new Set<Socket>();
  let port: number;
  let token: string;

  before(async () => {
    guacd = await FakeGuacd.start({ args: ['hostname', 'port', 'password', 'username'] });
    home = mkdtempSync(join(tmpdir(), 'guac-flow-'));
    writeFileSync(join(home, 'user-mapping.xml'), USER_MAPPING);
    writeFileSync(
      join(home, 'guacamole.properties'),
      `guacd-hostname: 127.0.0.1\nguacd-port: ${guacd.port}\n`,
    );
    const { configuration } = loadConfiguration({ home, env: {}, properties: ALL_PROPERTIES });
    loaded = await loadExtensions({ configuration, guacamoleHome: home });
    auth = createAuthenticationService({ configuration, guacamoleHome: home, extensions: loaded });
    app = createApp({
      auth,
      basePath: '/',
      configuration,
      extensionUi: loaded.ui,
      guacamoleHome: home,
    });
    server = http.createServer(app.express);
    server.on('connection', (socket: Socket) => {
      sockets.add(socket);
      socket.once('close', () => sockets.delete(socket));
    });
    server.on('upgrade', (req, socket, head) => {
      app.handleUpgrade(req, socket, head);
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    port = (server.address() as AddressInfo).port;
  });

  after(async () => {
    app.closeTunnels();
    await auth.shutdown();
    await loaded.close();
    server.close();
    for (const socket of sockets) socket.destroy();
    await guacd.close();
    rmSync(home, { recursive: true, force: true });
  });

  const api = async (
    method: string,
    path: string,
    init: { form?: Record<string, string>; token?: string } = {},
  ): Promise<{ status: number; body: unknown }> => {
    const headers: Record<string, string> = {};
    if (init.token !== undefined) headers['Guacamole-Token'] = init.token;
    if (init.form !== undefined)
      headers['Content-Type'] = 'application/x-www-form-urlencoded; charset=UTF-8';
    const response = await fetch(`http://127.0.0.1:${port}/api${path}`, {
      method,
      headers,
      body: init.form === undefined ? null : new URLSearchParams(init.form).toString(),
    });
    const text = await response.text();
    return { status: response.status, body: text === '' ? undefined : JSON.parse(text) };
  };

  const connectString = (id: string, extra = ''): string =>
    `token=${encodeURIComponent(token)}&GUAC_DATA_SOURCE=default&GUAC_ID=${id}&GUAC_TYPE=c` +
    '&GUAC_WIDTH=1920&GUAC_HEIGHT=1080&GUAC_DPI=96&GUAC_TIMEZONE=Europe%2FParis' +
    '&GUAC_AUDIO=audio%2FL16&GUAC_IMAGE=image%2Fpng&GUAC_IMAGE=image%2Fjpeg' +
    extra;

  const latestGuacd = async (): Promise<FakeGuacdConnection> => {
    const conn = await guacd.connection(guacd.connections.length - 1);
    await conn.waitForHandshake();
    return conn;
  };

  it('starts: languages and patches, then the login form from an empty POST /api/tokens', async () => {
    assert.deepEqual(await api('GET', '/languages'), { status: 200, body: {} });
    assert.deepEqual(await api('GET', '/patches'), { status: 200, body: [] });
    const anonymous = await api('POST', '/tokens', { form: {} });
    assert.equal(anonymous.status, 403);
    assert.equal((anonymous.body as { type: string }).type, 'INVALID_CREDENTIALS');
  });

  it('logs in, and keeps the token when the route resolver refreshes it', async () => {
    const login = await api('POST', '/tokens', { form: { username: 'alice', password: 'secret' } });
    assert.equal(login.status, 200);
    const body = login.body as { authToken: string; availableDataSources: string[] };
    token = body.authToken;
    assert.deepEqual(body.availableDataSources, ['default']);
    const refresh = await api('POST', '/tokens', { form: { token } });
    assert.equal((refresh.body as { authToken: string }).authToken, token);
  });

  it('loads the home page: tree, permissions, active connections, the user, the session check', async () => {
    const tree = await api('GET', '/session/data/default/connectionGroups/ROOT/tree', { token });
    const children = (tree.body as { childConnections: { identifier: string }[] }).childConnections;
    assert.deepEqual(
      children.map((c) => c.identifier),
      ['desktop', 'server'],
    );
    const permissions = await api('GET', '/session/data/default/self/effectivePermissions', {
      token,
    });
    assert.equal(permissions.status, 200);
    assert.deepEqual(await api('GET', '/session/data/default/activeConnections', { token }), {
      status: 200,
      body: {},
    });
    assert.deepEqual(await api('GET', '/session/data/default/users/alice', { token }), {
      status: 200,
      body: { username: 'alice', disabled: false, attributes: {} },
    });
    assert.deepEqual(
      await api('GET', '/session/data/default/schema/userPreferenceAttributes', { token }),
      {
        status: 200,
        body: [],
      },
    );
    assert.equal((await api('HEAD', '/session', { token })).status, 204);
  });

  it('opens the connection over the WebSocket tunnel: UUID first, then the protocol', async () => {
    assert.equal(
      (await api('GET', '/session/data/default/connections/desktop', { token })).status,
      200,
    );
    const { client, uuid } = await WsTunnelClient.connect(port, connectString('desktop'));
    try {
      const protocol = await api('GET', `/session/tunnels/${uuid}/protocol`, { token });
      assert.equal(protocol.status, 200);
      assertProtocol(protocol.body, 'vnc');
      const sharing = await api(
        'GET',
        `/session/tunnels/${uuid}/activeConnection/connection/sharingProfiles`,
        {
          token,
        },
      );
      assert.equal(sharing.status, 404);
      const conn = await latestGuacd();
      const handshake = conn.handshake;
      assert.ok(handshake);
      assert.deepEqual(handshake.instructions.get('name'), ['alice']);
      assert.deepEqual(handshake.instructions.get('size'), ['1920', '1080', '96']);
      assert.deepEqual(handshake.instructions.get('timezone'), ['Europe/Paris']);
      assert.deepEqual(handshake.instructions.get('image'), ['image/png', 'image/jpeg']);
      assert.deepEqual(Object.fromEntries(handshake.parameters), {
        VERSION_1_5_0: 'VERSION_1_5_0',
        hostname: 'pc.example',
        port: '5900',
        password: 'secret',
        username: 'alice',
      });
      await conn.sendInstruction('sync', '1234');
      assert.equal(await client.next(), '4.sync,4.1234;');
      await client.send('4.sync,4.1234;');
      assert.deepEqual((await conn.waitFor('sync')).args, ['1234']);
      assert.deepEqual((await api('GET', '/session/tunnels', { token })).body, [uuid]);
    } finally {
      await client.close();
    }
  });

  it('opens the connection over the HTTP tunnel as the ChainedTunnel fallback does', async () => {
    const tunnel = await HttpTunnelClient.connect(port, connectString('server'));
    assert.match(tunnel.uuid, /^[0-9a-f-]{36}$/);
    assert.equal(tunnel.connectResult.headers['cache-control'], 'no-cache');
    const protocol = await api('GET', `/session/tunnels/${tunnel.uuid}/protocol`, { token });
    assertProtocol(protocol.body, 'ssh');
    const conn = await latestGuacd();
    const handshake = conn.handshake;
    assert.ok(handshake);
    assert.equal(handshake.selected, 'ssh');
    assert.deepEqual(handshake.instructions.get('name'), ['alice']);
    const read = tunnel.read();
    await conn.sendInstruction('sync', '99');
    assert.equal((await read.nextChunk())?.toString(), '4.sync,2.99;');
    assert.equal((await tunnel.write('4.sync,2.99;')).status, 200);
    assert.deepEqual((await conn.waitFor('sync')).args, ['99']);
    await conn.close();
    assert.match((await read.body()).toString(), /0\.;$/);
  });

  it('refuses invalid tunnel requests with the same status over both tunnels', async () => {
    const missing = `token=${token}&GUAC_DATA_SOURCE=default&GUAC_TYPE=c`;
    const ws = WsTunnelClient.open(port, missing);
    assert.deepEqual(await ws.closed, { code: 1002, reason: '768' });
    const httpReply = await fetchTunnel(port, {
      method: 'POST',
      query: 'connect',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      body: missing,
    });
    assertTunnelError(httpReply, {
      http: 400,
      guac: 768,
      message: 'Parameter "GUAC_ID" is required.',
    });
    const badWidth = WsTunnelClient.open(
      port,
      connectString('desktop', '&GUAC_WIDTH=wide').replace('GUAC_WIDTH=1920&', ''),
    );
    assert.deepEqual(await badWidth.closed, { code: 1002, reason: '768' });
  });

  it('closes a tunnel requested with a wrong token with 1008 / "769"', async () => {
    const wrong = `token=${'0'.repeat(64)}&GUAC_DATA_SOURCE=default&GUAC_ID=desktop&GUAC_TYPE=c`;
    const ws = WsTunnelClient.open(port, wrong);
    assert.deepEqual(await ws.closed, { code: 1008, reason: '769' });
    const httpReply = await fetchTunnel(port, {
      method: 'POST',
      query: 'connect',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      body: wrong,
    });
    assertTunnelError(httpReply, { http: 403, guac: 769, message: 'Permission Denied.' });
  });

  it('logs out', async () => {
    assert.equal((await api('DELETE', '/session', { token })).status, 204);
    assert.equal((await api('HEAD', '/session', { token })).status, 403);
  });
});
