/** @module The process entry: start-up from GUACAMOLE_HOME, all configuration errors at once, SIGTERM. */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { startServer } from './support/child.js';
import { freePort } from './support/free-port.js';

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

describe('main', () => {
  it('starts from GUACAMOLE_HOME, logs the effective settings and serves /healthz', async () => {
    const port = await freePort();
    const dir = home(
      `http-port: ${port}\nhttp-bind-address = 127.0.0.1\nhttp-base-path /guacamole\nguacd-port 4823\n`,
    );
    const server = startServer({ GUACAMOLE_HOME: dir });
    try {
      await server.waitForOutput('Listening on');
      assert.match(
        server.stdout,
        new RegExp(`GUACAMOLE_HOME is \\\\?"${dir.replace(/[/\\]/g, '.')}`),
      );
      assert.match(server.stdout, /"guacd-port"/);
      assert.match(server.stdout, /4823/);
      const res = await fetch(`http://127.0.0.1:${port}/guacamole/healthz`);
      assert.equal(res.status, 200);
      assert.deepEqual(await res.json(), { status: 'ok' });
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
});
