/**
 * @module createApp: the base path, `/healthz` with guacd's reachability, both tunnels mounted through
 * the tunnel layer (HTTP at `<base>/tunnel`, WebSocket upgrades at `<base>/websocket-tunnel` only),
 * the frontend hook, and the authentication service's provider order.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import WebSocket from 'ws';
import {
  createAuthenticationService,
  guacdHealth,
  normaliseBasePath,
  probeGuacd,
} from '../src/app.js';
import { EmbeddedGuacdConnector, ExternalGuacdConnector } from '../src/guacd/index.js';
import { Configuration, parsePropertiesText } from '../src/config/index.js';
import { Credentials } from '../src/extensions/api.js';
import { MemoryProvider } from './rest/memory-provider.js';
import { startRest } from './rest/support.js';
import { fetchTunnel } from './tunnel/http-client.js';

function configuration(text: string): Configuration {
  return new Configuration({ file: parsePropertiesText(text, 'guacamole.properties') });
}

describe('normaliseBasePath', () => {
  it('adds a leading slash and drops trailing ones', () => {
    assert.equal(normaliseBasePath('guacamole/'), '/guacamole');
    assert.equal(normaliseBasePath(' / '), '/');
    assert.equal(normaliseBasePath('/a/b//'), '/a/b');
  });
});

describe('probeGuacd', () => {
  it('reports guacd reachable when it accepts a TCP connection', async () => {
    const server = createServer((socket) => socket.destroy());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    try {
      const { port } = server.address() as AddressInfo;
      const report = await probeGuacd(
        configuration(`guacd-hostname: 127.0.0.1\nguacd-port: ${port}\n`),
      );
      assert.deepEqual(report, { ok: true, body: { status: 'ok', guacd: 'reachable' } });
    } finally {
      server.close();
    }
  });

  it('reports why guacd is unreachable', async () => {
    const server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    server.close();
    await once(server, 'close');
    const report = await probeGuacd(
      configuration(`guacd-hostname: 127.0.0.1\nguacd-port: ${port}\n`),
    );
    assert.equal(report.ok, false);
    assert.equal(report.body.status, 'unavailable');
    assert.equal(report.body.guacd, 'unreachable');
    assert.match(report.body.reason ?? '', /ECONNREFUSED/);
  });
});

describe('guacdHealth', () => {
  it('reports the bundled proxy as "embedded", and not ok once it has been shut down', async () => {
    const connector = new EmbeddedGuacdConnector();
    assert.deepEqual(await guacdHealth(connector), {
      ok: true,
      body: { status: 'ok', guacd: 'embedded' },
    });
    await connector.close();
    assert.deepEqual(await guacdHealth(connector), {
      ok: false,
      body: {
        status: 'unavailable',
        guacd: 'unreachable',
        reason: 'The bundled proxy has been shut down.',
      },
    });
  });

  it('reports an external guacd reachable or unreachable, with the reason', async () => {
    const server = createServer((socket) => socket.destroy());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    const connector = new ExternalGuacdConnector({ hostname: '127.0.0.1', port, ssl: false });
    assert.deepEqual(await guacdHealth(connector), {
      ok: true,
      body: { status: 'ok', guacd: 'reachable' },
    });
    server.close();
    await once(server, 'close');
    const report = await guacdHealth(connector);
    assert.equal(report.ok, false);
    assert.equal(report.body.guacd, 'unreachable');
    assert.match(report.body.reason ?? '', /ECONNREFUSED/);
  });
});

describe('createApp', () => {
  it('serves everything under the base path and nothing outside it', async () => {
    const rest = await startRest({ basePath: '/guacamole/' });
    try {
      assert.equal((await rest.request('GET', '/api/patches')).status, 200);
      assert.equal((await rest.request('GET', '/healthz')).status, 200);
      const outside = await fetch(`http://127.0.0.1:${rest.port}/api/patches`);
      assert.equal(outside.status, 404);
      await outside.body?.cancel();
    } finally {
      await rest.close();
    }
  });

  it('answers /healthz with 503 and the reason when guacd is unreachable', async () => {
    const rest = await startRest({
      healthCheck: () =>
        Promise.resolve({
          ok: false,
          body: { status: 'unavailable', guacd: 'unreachable', reason: 'r' },
        }),
    });
    try {
      const reply = await rest.request('GET', '/healthz');
      assert.equal(reply.status, 503);
      assert.equal(reply.headers.get('cache-control'), 'no-store');
      assert.deepEqual(reply.json(), { status: 'unavailable', guacd: 'unreachable', reason: 'r' });
    } finally {
      await rest.close();
    }
  });

  it('mounts the HTTP tunnel, which validates connect requests as Java does', async () => {
    const rest = await startRest();
    try {
      const reply = await fetchTunnel(rest.port, {
        method: 'POST',
        query: 'connect',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'GUAC_ID=x&GUAC_TYPE=c&GUAC_DATA_SOURCE=default&token=nope',
      });
      assert.equal(reply.status, 403);
      assert.equal(reply.headers['guacamole-status-code'], '769');
      assert.equal(reply.headers['guacamole-error-message'], 'Permission Denied.');
    } finally {
      await rest.close();
    }
  });

  it('upgrades only <base>/websocket-tunnel, with the guacamole subprotocol', async () => {
    const rest = await startRest({ basePath: '/g' });
    try {
      const refused = new WebSocket(`ws://127.0.0.1:${rest.port}/websocket-tunnel`, ['guacamole']);
      refused.on('error', () => undefined);
      const [, response] = (await once(refused, 'unexpected-response')) as [
        unknown,
        { statusCode: number },
      ];
      assert.equal(response.statusCode, 404);
      refused.terminate();
      const ws = new WebSocket(`ws://127.0.0.1:${rest.port}/g/websocket-tunnel?token=x`, [
        'guacamole',
      ]);
      ws.on('error', () => undefined);
      await once(ws, 'open');
      assert.equal(ws.protocol, 'guacamole');
      const [code, reason] = (await once(ws, 'close')) as [number, Buffer];
      assert.deepEqual([code, reason.toString()], [1002, '768']);
    } finally {
      await rest.close();
    }
  });

  it('mounts the frontend hook at the base path, after the tunnels and before the API', async () => {
    const rest = await startRest({
      basePath: '/g',
      ui: {
        handler: (req, res, next) => {
          if (req.path === '/') res.type('text/html').send('<html>ui</html>');
          else next();
        },
      },
    });
    try {
      const page = await rest.request('GET', '/');
      assert.deepEqual([page.status, page.text], [200, '<html>ui</html>']);
      assert.equal((await rest.request('GET', '/api/languages')).status, 200);
    } finally {
      await rest.close();
    }
  });
});

describe('createAuthenticationService', () => {
  it("puts the extensions' providers first and user-mapping.xml last", async () => {
    const memory = new MemoryProvider();
    const auth = createAuthenticationService({
      configuration: configuration(''),
      guacamoleHome: '/nonexistent',
      extensions: {
        providers: [{ provider: memory }],
        listeners: [],
        skipIfUnavailable: new Set(),
      },
    });
    try {
      assert.deepEqual(
        auth.providers.map((p) => p.getIdentifier()),
        ['memory', 'default'],
      );
      const result = await auth.authenticate(
        new Credentials({ username: 'admin', password: 'admin' }),
      );
      assert.equal(result.dataSource, 'memory');
    } finally {
      await auth.shutdown();
    }
    assert.equal(memory.shutdowns, 1);
  });
});
