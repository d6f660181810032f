/**
 * @module `api/session/tunnels` (spec §6.5 step 4, §6.6): a session lists only its own tunnels, each
 * tunnel's protocol forms, its active connection (404 for the file provider, the extension's record
 * otherwise). The stream endpoints are tested in streams.test.ts.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { Tunnel } from '../../src/extensions/api.js';
import { connectGuacd, configureSocket } from '../../src/guacd/index.js';
import { defaultClientInformation, GuacamoleConfiguration } from '../../src/protocol/index.js';
import { FakeGuacd } from '../fakes/fake-guacd.js';
import { WsTunnelClient } from '../tunnel/ws-client.js';
import { activeConnection, MemoryProvider, type MemoryConnection } from './memory-provider.js';
import { errorBody, startRest, type RestHarness } from './support.js';

const VNC = {
  name: 'vnc',
  connectionForms: [
    { name: 'display', fields: [{ name: 'color-depth', type: 'ENUM', options: ['8', '16'] }] },
  ],
  sharingProfileForms: [],
};

describe('api/session/tunnels', () => {
  let guacd: FakeGuacd;
  let rest: RestHarness;
  const provider = new MemoryProvider();
  before(async () => {
    guacd = await FakeGuacd.start();
    rest = await startRest({
      properties: `guacd-hostname: 127.0.0.1\nguacd-port: ${guacd.port}\n`,
      protocols: { 'vnc.json': JSON.stringify(VNC) },
      providers: [provider],
    });
    // The memory provider's connection 1 tracks its tunnel as an active connection.
    const desk = provider.context.connections.objects.get('1') as MemoryConnection;
    desk.connectTo = async () => {
      const socket = await connectGuacd({ hostname: '127.0.0.1', port: guacd.port });
      const config = new GuacamoleConfiguration({ protocol: 'vnc' });
      const tunnel = new Tunnel(await configureSocket(socket, config, defaultClientInformation()));
      provider.context.active.objects.set('live', activeConnection('live', tunnel));
      return tunnel;
    };
  });
  after(async () => {
    await rest.close();
    await guacd.close();
  });

  const open = async (token: string, id: string, dataSource = 'default') => {
    const query = `token=${token}&GUAC_DATA_SOURCE=${dataSource}&GUAC_ID=${id}&GUAC_TYPE=c`;
    return await WsTunnelClient.connect(rest.port, query);
  };

  it("lists the session's tunnel UUIDs and serves each tunnel's protocol", async () => {
    const token = await rest.login();
    const { client, uuid } = await open(token, 'desktop');
    try {
      const list = await rest.request('GET', '/api/session/tunnels', { token });
      assert.deepEqual(list.json(), [uuid]);
      const protocol = await rest.request('GET', `/api/session/tunnels/${uuid}/protocol`, {
        token,
      });
      assert.deepEqual([protocol.status, protocol.json()], [200, VNC]);
    } finally {
      await client.close();
    }
  });

  it('serves the built-in definition of a protocol GUACAMOLE_HOME does not define', async () => {
    const token = await rest.login();
    const { client, uuid } = await open(token, 'server');
    try {
      const protocol = await rest.request('GET', `/api/session/tunnels/${uuid}/protocol`, {
        token,
      });
      const info = protocol.json() as { name: string; connectionForms: { name: string }[] };
      assert.equal(info.name, 'ssh');
      assert.equal(info.connectionForms[0]?.name, 'network');
    } finally {
      await client.close();
    }
  });

  it('hides a tunnel from every other session, and forgets it once closed', async () => {
    const token = await rest.login();
    const other = await rest.login('bob', 'hunter2');
    const { client, uuid } = await open(token, 'desktop');
    const foreign = await rest.request('GET', `/api/session/tunnels/${uuid}/protocol`, {
      token: other,
    });
    assert.deepEqual(
      [foreign.status, foreign.json()],
      [404, errorBody('No such tunnel.', 'NOT_FOUND')],
    );
    assert.deepEqual(
      (await rest.request('GET', '/api/session/tunnels', { token: other })).json(),
      [],
    );
    const tunnel = rest.sessions.get(token)?.getTunnels().get(uuid);
    assert.ok(tunnel);
    const closed = new Promise<void>((resolve) => tunnel.onClose(resolve));
    await client.close();
    await closed;
    const gone = await rest.request('GET', `/api/session/tunnels/${uuid}/protocol`, { token });
    assert.equal(gone.status, 404);
  });

  it('answers 404 for the active connection of a file-provider tunnel', async () => {
    const token = await rest.login();
    const { client, uuid } = await open(token, 'desktop');
    try {
      const base = `/api/session/tunnels/${uuid}`;
      const active = await rest.request(
        'GET',
        `${base}/activeConnection/connection/sharingProfiles`,
        { token },
      );
      assert.deepEqual(
        [active.status, active.json()],
        [404, errorBody('No readable active connection for tunnel.', 'NOT_FOUND')],
      );
    } finally {
      await client.close();
    }
  });

  it("serves the active connection and sharing profiles of an extension's tunnel", async () => {
    const token = await rest.login('admin', 'admin');
    const { client, uuid } = await open(token, '1', 'memory');
    try {
      const base = `/api/session/tunnels/${uuid}/activeConnection`;
      const active = await rest.request('GET', base, { token });
      assert.equal((active.json() as { identifier: string }).identifier, 'live');
      const profiles = await rest.request('GET', `${base}/connection/sharingProfiles`, { token });
      assert.deepEqual(profiles.json(), {
        sp1: { name: 'Watch', identifier: 'sp1', primaryConnectionIdentifier: '1', attributes: {} },
      });
    } finally {
      await client.close();
    }
  });

  it('never shows a tunnel token or guacd connection id in REST answers', async () => {
    const token = await rest.login();
    const { client, uuid } = await open(token, 'desktop');
    try {
      const ids = guacd.connections.map((c) => c.connectionId).filter((id) => id !== undefined);
      const answers = await Promise.all(
        ['/api/session/tunnels', `/api/session/tunnels/${uuid}/protocol`].map(
          async (path) => (await rest.request('GET', path, { token })).text,
        ),
      );
      for (const text of answers) for (const id of ids) assert.equal(text.includes(id), false);
    } finally {
      await client.close();
    }
  });
});
