/**
 * @module The process entry: start-up from GUACAMOLE_HOME, all configuration errors at once, and a
 * graceful SIGTERM (tunnels closed with SUCCESS, sessions ended, providers shut down, shutdown event).
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { probeTcp } from '../src/guacd/index.js';
import { FakeGuacd } from './fakes/fake-guacd.js';
import { makeCertificate } from './guacd/helpers.js';
import { USER_MAPPING } from './rest/support.js';
import { startServer } from './support/child.js';
import { freePort } from './support/free-port.js';
import { WsTunnelClient } from './tunnel/ws-client.js';

const homes: string[] = [];
after(() => {
  for (const home of homes) rmSync(home, { recursive: true, force: true });
});

function home(properties: string): string {
  const dir = mkdtempSync(join(tmpdir(), 'guac-home-'));
  homes.push(dir);
  writeFileSync(join(dir, 'guacamole.properties'), properties, 'latin1');
  return dir;
}

/** An extension whose provider and listener log what happens to them. */
const PROBE = {
  'guac-manifest.json': JSON.stringify({
    guacamoleVersion: '*',
    name: 'Shutdown Probe',
    namespace: 'probe',
    authProviders: ['provider.mjs'],
    listeners: ['listener.mjs'],
  }),
  'provider.mjs': `export default class Probe {
  constructor(environment) { this.environment = environment; }
  getIdentifier() { return 'probe'; }
  shutdown() { this.environment.logger.info('probe provider shut down'); }
}
`,
  'listener.mjs': `export default class ProbeListener {
  constructor(environment) { this.environment = environment; }
  handleEvent(event) { this.environment.logger.info('probe saw ' + event.type); }
}
`,
};

describe('main', () => {
  let guacd: FakeGuacd;
  before(async () => {
    guacd = await FakeGuacd.start();
  });
  after(async () => {
    await guacd.close();
  });

  it('starts from GUACAMOLE_HOME, logs the effective settings and serves /healthz', async () => {
    const port = await freePort();
    const dir = home(
      `http-port: ${port}\nhttp-bind-address = 127.0.0.1\nhttp-base-path /guacamole\n` +
        `guacd-hostname 127.0.0.1\nguacd-port ${guacd.port}\n`,
    );
    const server = startServer({ GUACAMOLE_HOME: dir });
    try {
      await server.waitForOutput('Listening on');
      assert.match(
        server.stdout,
        new RegExp(`GUACAMOLE_HOME is \\\\?"${dir.replace(/[/\\]/g, '.')}`),
      );
      assert.match(server.stdout, /"guacd-port"/);
      assert.match(server.stdout, new RegExp(String(guacd.port)));
      const res = await fetch(`http://127.0.0.1:${port}/guacamole/healthz`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok', guacd: 'reachable' });
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('reports every configuration error at once, with file and line, and does not start', async () => {
    const dir = home('# bad values\nhttp-port = eighty\nguacd-ssl = maybe\nlog-level: loud\n');
    const server = startServer({ GUACAMOLE_HOME: dir });
    const code = await server.exited;
    assert.equal(code, 1);
    const file = join(dir, 'guacamole.properties');
    assert.match(server.stderr, new RegExp(`${file}:2: property "http-port"`));
    assert.match(server.stderr, new RegExp(`${file}:3: property "guacd-ssl"`));
    assert.match(server.stderr, new RegExp(`${file}:4: property "log-level"`));
    assert.match(server.stderr, /not started/);
    assert.doesNotMatch(server.stdout, /Listening on/);
  });

  it('shuts down gracefully on SIGTERM: tunnels closed with SUCCESS, providers shut down', async () => {
    const port = await freePort();
    const dir = home(
      `http-port: ${port}\nhttp-bind-address: 127.0.0.1\nguacd-port: ${guacd.port}\n`,
    );
    writeFileSync(join(dir, 'user-mapping.xml'), USER_MAPPING);
    mkdirSync(join(dir, 'extensions', 'probe'), { recursive: true });
    for (const [name, text] of Object.entries(PROBE)) {
      writeFileSync(join(dir, 'extensions', 'probe', name), text);
    }
    const server = startServer({ GUACAMOLE_HOME: dir });
    try {
      await server.waitForOutput('Listening on');
      assert.match(server.stdout, /probe saw ApplicationStartedEvent/);
      const login = await fetch(`http://127.0.0.1:${port}/api/tokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'username=alice&password=secret',
      });
      const { authToken } = (await login.json()) as { authToken: string };
      const query = `token=${authToken}&GUAC_DATA_SOURCE=default&GUAC_ID=desktop&GUAC_TYPE=c`;
      const { client } = await WsTunnelClient.connect(port, query);
      server.child.kill('SIGTERM');
      assert.deepEqual(await client.closed, { code: 1000, reason: '0' });
      assert.equal(await server.exited, 0);
      assert.match(server.stdout, /probe saw UserSessionInvalidatedEvent/);
      assert.match(server.stdout, /probe provider shut down/);
      assert.match(server.stdout, /probe saw ApplicationShutdownEvent/);
      assert.match(server.stdout, /Stopped\./);
      const order = ['probe provider shut down', 'probe saw ApplicationShutdownEvent', 'Stopped.'];
      const positions = order.map((text) => server.stdout.indexOf(text));
      assert.deepEqual(
        [...positions].sort((a, b) => a - b),
        positions,
      );
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('listens with HTTPS when http-tls-certificate and http-tls-key are set', async () => {
    const port = await freePort();
    const { key, cert } = await makeCertificate();
    const dir = home(
      `http-port: ${port}\nhttp-bind-address: 127.0.0.1\nguacd-port: ${guacd.port}\n` +
        'http-tls-certificate: cert.pem\nhttp-tls-key: key.pem\n',
    );
    writeFileSync(join(dir, 'cert.pem'), cert);
    writeFileSync(join(dir, 'key.pem'), key);
    const server = startServer({ GUACAMOLE_HOME: dir });
    try {
      await server.waitForOutput(`Listening on https://127.0.0.1:${port}/`);
      const status = await new Promise<number | undefined>((resolve, reject) => {
        https
          .get(
            `https://127.0.0.1:${port}/api/patches`,
            { ca: cert, servername: 'localhost' },
            (res) => {
              res.resume();
              resolve(res.statusCode);
            },
          )
          .on('error', reject);
      });
      assert.equal(status, 200);
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('guacd-mode embedded: the bundled proxy in-process, /healthz "embedded", ssh refused by name', async () => {
    const port = await freePort();
    const dir = home(`http-port: ${port}\nhttp-bind-address: 127.0.0.1\nguacd-mode: embedded\n`);
    writeFileSync(join(dir, 'user-mapping.xml'), USER_MAPPING);
    const server = startServer({ GUACAMOLE_HOME: dir });
    try {
      await server.waitForOutput('Listening on');
      assert.match(server.stdout, /guacd-mode is embedded: using the bundled proxy\./);
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok', guacd: 'embedded' });
      const login = await fetch(`http://127.0.0.1:${port}/api/tokens`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: 'username=alice&password=secret',
      });
      const { authToken } = (await login.json()) as { authToken: string };
      const query = `token=${authToken}&GUAC_DATA_SOURCE=default&GUAC_ID=server&GUAC_TYPE=c`;
      const client = WsTunnelClient.open(port, query);
      assert.equal((await client.upgrade).statusCode, 101);
      const closed = await client.closed;
      assert.equal(closed.reason, '256', 'UNSUPPORTED');
      await server.waitForOutput('Protocol \\"ssh\\" is not supported by the bundled proxy');
      assert.match(server.stdout, /set guacd-mode: external with guacd-hostname and guacd-port/);
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('guacd-mode auto without guacd-* properties: guacd on localhost:4822 if one answers, else embedded', async () => {
    const port = await freePort();
    const dir = home(`http-port: ${port}\nhttp-bind-address: 127.0.0.1\n`);
    const answering = (await probeTcp({ hostname: 'localhost', port: 4822 }, 1000)) === undefined;
    const server = startServer({ GUACAMOLE_HOME: dir });
    try {
      await server.waitForOutput('Listening on');
      const res = await fetch(`http://127.0.0.1:${port}/healthz`);
      if (answering) {
        assert.match(server.stdout, /a guacd answers at localhost:4822: using it\./);
        assert.equal(((await res.json()) as { guacd: string }).guacd, 'reachable');
      } else {
        assert.match(
          server.stdout,
          /no guacd answers at localhost:4822 .*using the bundled proxy\./,
        );
        assert.deepEqual(await res.json(), { status: 'ok', guacd: 'embedded' });
      }
      server.child.kill('SIGTERM');
      assert.equal(await server.exited, 0);
    } finally {
      server.child.kill('SIGKILL');
    }
  });

  it('refuses to start with only one of the two TLS properties', async () => {
    const dir = home('http-tls-certificate: cert.pem\n');
    const server = startServer({ GUACAMOLE_HOME: dir });
    assert.equal(await server.exited, 1);
    assert.match(server.stderr, /http-tls-certificate and http-tls-key must be set together/);
  });
});
