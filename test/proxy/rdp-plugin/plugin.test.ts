/**
 * @module The `rdp` plugin through ProxyServer + configureSocket against scripted servers: guacd's status
 * codes (NLA-only server under security=tls 769 with advice, unsupported security modes 515, unreachable 519,
 * timeout 514, malformed data 515 without harming the next connection), a drawn bitmap reaching the
 * user, and read-only users whose input never reaches the server.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, before, describe, it } from 'node:test';
import { ProxyServer } from '../../../src/proxy/index.js';
import { rdpPlugin } from '../../../src/proxy/rdp-plugin/index.js';
import { ByteWriter } from '../../../src/proxy/rdp/bytes.js';
import { NLA_ADVICE } from '../../../src/proxy/rdp/index.js';
import { freePort } from '../../support/free-port.js';
import { within } from '../helpers.js';
import {
  FakeRdpServer,
  activate,
  bitmapUpdate,
  fastPathUpdate,
  negotiationFailure,
} from '../rdp/fake-server.js';
import { VncUser } from '../vnc-plugin/support.js';

let key = '';
let cert = '';

before(() => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rdp-cert-'));
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'];
  args.push('-subj', '/CN=localhost', '-keyout', path.join(dir, 'k'), '-out', path.join(dir, 'c'));
  assert.equal(spawnSync('openssl', args).status, 0);
  key = readFileSync(path.join(dir, 'k'), 'utf8');
  cert = readFileSync(path.join(dir, 'c'), 'utf8');
  rmSync(dir, { recursive: true });
});

const params = (port: number, extra: Record<string, string> = {}) => ({
  hostname: '127.0.0.1',
  port: String(port),
  username: 'alice',
  password: 'secret',
  'ignore-cert': 'true',
  width: '64',
  height: '48',
  ...extra,
});

/**
 * A 64x48 desktop whose server paints a 4x4 red square at (8, 8), then records what it receives.
 * @param received collects the client's frames
 * @param onInput called at each fast-path input frame
 * @returns the server
 */
async function paintingServer(received: Buffer[], onInput: () => void): Promise<FakeRdpServer> {
  return await FakeRdpServer.start(async (c) => {
    await activate(c, { key, cert });
    const red = new ByteWriter();
    for (let i = 0; i < 16; i++) red.u16(0xf800);
    const rect = { left: 8, top: 8, right: 11, bottom: 11, width: 4, height: 4, bpp: 16, flags: 0 };
    await c.write(fastPathUpdate(1, bitmapUpdate([{ ...rect, data: red.toBuffer() }])));
    for (;;) {
      const frame = await c.next();
      if (frame === undefined) return;
      received.push(frame.data);
      if (frame.fastPath) onInput();
    }
  });
}

describe('rdp plugin', () => {
  let server: FakeRdpServer | undefined;
  let proxy: ProxyServer | undefined;

  afterEach(async () => {
    await proxy?.close();
    await server?.close();
    server = undefined;
  });

  it('reports an NLA-only server under security=tls as 769 (as guacd does) with the advice', async () => {
    server = await FakeRdpServer.start(async (c) => {
      await c.next();
      await c.write(negotiationFailure(5));
    });
    proxy = new ProxyServer({ plugins: [rdpPlugin] });
    const user = await VncUser.open(proxy, params(server.port, { security: 'tls' }), 'rdp');
    const error = await within(user.expect('error'));
    assert.equal(error.args[1], '769');
    assert.ok(error.args[0]?.startsWith(NLA_ADVICE));
  });

  it('refuses security=vmconnect and security=rdp before connecting (515)', async () => {
    proxy = new ProxyServer({ plugins: [rdpPlugin] });
    for (const security of ['vmconnect', 'rdp']) {
      const user = await VncUser.open(proxy, params(1, { security }), 'rdp');
      const error = await within(user.expect('error'));
      assert.equal(error.args[1], '515');
      assert.match(error.args[0] ?? '', /not support|external guacd/);
    }
  });

  it('reports an unreachable server as 519 and a silent one as 514', async () => {
    proxy = new ProxyServer({ plugins: [rdpPlugin] });
    const closed = await freePort();
    const user = await VncUser.open(proxy, params(closed), 'rdp');
    const error = await within(user.expect('error'));
    assert.deepEqual(
      [error.args[0]?.startsWith('Unable to connect to RDP server.'), error.args[1]],
      [true, '519'],
    );
    server = await FakeRdpServer.start(async (c) => {
      await c.next();
    });
    const slow = await VncUser.open(proxy, params(server.port, { timeout: '1' }), 'rdp');
    const timeout = await within(slow.expect('error'));
    assert.equal(timeout.args[1], '514');
  });

  it('draws the server bitmap and forwards input only from writable users', async () => {
    const received: Buffer[] = [];
    let inputArrived: () => void = () => undefined;
    const input = new Promise<void>((resolve) => {
      inputArrived = resolve;
    });
    server = await paintingServer(received, () => {
      inputArrived();
    });
    proxy = new ProxyServer({ plugins: [rdpPlugin] });
    const owner = await VncUser.open(proxy, params(server.port), 'rdp');
    await within(owner.waitForPixel(9, 9, 0xff0000));
    assert.deepEqual([owner.screen.width, owner.screen.height], [64, 48]);
    const viewer = await VncUser.open(proxy, { 'read-only': 'true' }, owner.socket.connectionId);
    await within(viewer.waitForPixel(9, 9, 0xff0000));
    await viewer.send('key', '98', '1');
    await owner.send('key', '97', '1');
    await within(input);
    const keys = received.filter((frame) => frame[0] === 0x04);
    assert.deepEqual(
      keys.map((frame) => frame.toString('hex')),
      ['048005001e'],
    );
  });

  it('ends a malformed connection with 515 and keeps serving others', async () => {
    let count = 0;
    server = await FakeRdpServer.start(async (c) => {
      count++;
      await activate(c, { key, cert });
      if (count === 1) await c.write(Buffer.from([0, 0x80, 6, 1, 0xff, 0x7f]));
    });
    proxy = new ProxyServer({ plugins: [rdpPlugin] });
    const bad = await VncUser.open(proxy, params(server.port), 'rdp');
    const error = await within(bad.expect('error'));
    assert.equal(error.args[1], '515');
    const good = await VncUser.open(proxy, params(server.port), 'rdp');
    await within(good.expect('sync'));
    assert.equal(good.screen.width, 64);
  });
});
