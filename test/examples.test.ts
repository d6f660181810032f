/**
 * @module The README's library example really works: it is the file examples/tunnel-server.ts, shown
 * verbatim, and it opens tunnels to a (fake) guacd over both transports.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import { after, before, describe, it } from 'node:test';
import { WebSocket } from 'ws';
import { FakeGuacd } from './fakes/fake-guacd.js';
import { freePort } from './support/free-port.js';

const EXAMPLE = readFileSync(new URL('../examples/tunnel-server.ts', import.meta.url), 'utf8');
const README = readFileSync(new URL('../README.md', import.meta.url), 'utf8');

describe('examples/tunnel-server.ts', () => {
  let guacd: FakeGuacd;
  let port: number;
  let child: ReturnType<typeof spawn>;

  before(async () => {
    guacd = await FakeGuacd.start({
      script: async (connection) => {
        await connection.sendInstruction('sync', '1');
      },
    });
    port = await freePort();
    child = spawn(process.execPath, ['--import', 'tsx', 'examples/tunnel-server.ts'], {
      cwd: new URL('..', import.meta.url),
      env: { ...process.env, PORT: String(port), GUACD_PORT: String(guacd.port), SECRET: 's3cret' },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    const [chunk] = (await once(child.stdout as NodeJS.ReadableStream, 'data')) as [Buffer];
    assert.match(chunk.toString(), /Tunnels listening/);
  });

  after(async () => {
    child.kill();
    await guacd.close();
  });

  it('is shown verbatim in the README', () => {
    assert.ok(README.includes(EXAMPLE.trim()), 'README.md must contain examples/tunnel-server.ts');
  });

  it('opens a WebSocket tunnel whose first message is the UUID, then relays guacd', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/websocket-tunnel?secret=s3cret`, 'guacamole');
    const messages: string[] = [];
    ws.on('message', (data: Buffer) => messages.push(data.toString()));
    await new Promise<void>((resolve) => {
      ws.on('message', () => {
        if (messages.length === 2) resolve();
      });
    });
    assert.match(messages[0] ?? '', /^0\.,36\.[0-9a-f-]{36};$/);
    assert.equal(messages[1], '4.sync,1.1;');
    const connection = guacd.connections.at(-1);
    assert.equal(connection?.handshake?.parameters.get('hostname'), 'localhost');
    ws.close();
    await once(ws, 'close');
  });

  it('rejects a wrong secret with close code 1008 and reason "769"', async () => {
    const ws = new WebSocket(`ws://127.0.0.1:${port}/websocket-tunnel?secret=nope`, 'guacamole');
    const [code, reason] = (await once(ws, 'close')) as [number, Buffer];
    assert.equal(code, 1008);
    assert.equal(reason.toString(), '769');
  });

  it('opens an HTTP tunnel: UUID body and a 44-character tunnel token', async () => {
    const res = await fetch(`http://127.0.0.1:${port}/tunnel?connect`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      body: 'secret=s3cret',
    });
    assert.equal(res.status, 200);
    assert.match(await res.text(), /^[0-9a-f-]{36}$/);
    assert.equal(res.headers.get('guacamole-tunnel-token')?.length, 44);
  });
});
