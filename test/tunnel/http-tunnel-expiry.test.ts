/**
 * @module HTTP tunnel idle expiry (tunnel-protocol.md §2.5, §11 item 14) with the registry's clock injected:
 * registering counts as an access (unlike Java), every read and write request refreshes, a long-streaming response does not,
 * and a sweep closes and deregisters tunnels idle for at least 15 s, guacd connection included.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { TUNNEL_TIMEOUT_SECONDS, TunnelRegistry } from '../../src/tunnel/index.js';
import { FakeGuacd } from '../fakes/fake-guacd.js';
import { HttpTunnelClient } from './http-client.js';
import { TunnelServer } from './support.js';

let guacd: FakeGuacd | undefined;
let server: TunnelServer | undefined;

/** A registry on a hand-moved clock whose own timer never fires during a test. */
async function setup() {
  const clock = { now: 1_000_000 };
  const registry = new TunnelRegistry({ now: () => clock.now, sweepIntervalMs: 3_600_000 });
  guacd = await FakeGuacd.start();
  server = await TunnelServer.start({ guacd, registry });
  const client = await HttpTunnelClient.connect(server.port);
  const conn = await guacd.connection(0);
  return { clock, registry, client, conn };
}

afterEach(async () => {
  await server?.close();
  await guacd?.idle();
  await guacd?.close();
  server = undefined;
  guacd = undefined;
});

describe('HTTP tunnel idle expiry', { timeout: 30_000 }, () => {
  it('uses a 15 s timeout', () => {
    assert.equal(TUNNEL_TIMEOUT_SECONDS, 15);
  });

  it('keeps a new tunnel through a sweep before its first read, and expires it 15 s after connect', async () => {
    const { clock, registry, client, conn } = await setup();
    registry.sweep();
    assert.equal(registry.size, 1);
    assert.equal(conn.isOpen, true);
    clock.now += 15_000;
    registry.sweep();
    await conn.closed;
    assert.equal(registry.size, 0);
    assert.equal((await client.write('3.nop;')).status, 404);
  });

  it('keeps a tunnel accessed 14,999 ms ago and closes it at 15,000 ms', async () => {
    const { clock, registry, client, conn } = await setup();
    assert.equal((await client.write('3.nop;')).status, 200);
    clock.now += 14_999;
    registry.sweep();
    assert.equal(registry.size, 1);
    assert.equal(conn.isOpen, true);
    clock.now += 1;
    registry.sweep();
    assert.equal(registry.size, 0);
    await conn.closed;
    const after = await client.write('3.nop;');
    assert.equal(after.status, 404);
    assert.equal(after.headers['guacamole-error-message'], 'No such tunnel.');
  });

  it('refreshes on each read and write request, not while a response streams', async () => {
    const { clock, registry, client, conn } = await setup();
    const start = clock.now;
    assert.equal((await client.write('3.nop;')).status, 200);
    clock.now = start + 10_000;
    await conn.sendInstruction('sync', '1');
    const read = client.read();
    assert.equal((await read.nextChunk())?.toString(), '4.sync,1.1;');
    clock.now = start + 20_000;
    registry.sweep();
    assert.equal(registry.size, 1, 'the read at +10 s refreshed it');
    await conn.sendInstruction('sync', '2');
    assert.equal((await read.nextChunk())?.toString(), '4.sync,1.2;');
    clock.now = start + 25_000;
    registry.sweep();
    assert.equal(registry.size, 0, 'streaming at +20 s did not refresh it');
    await conn.closed;
    // The open response is told the tunnel is gone: it ends with 0.;.
    assert.equal((await read.body()).toString(), '4.sync,1.1;4.sync,1.2;0.;');
  });

  it('sweeps on its own timer', async () => {
    const registry = new TunnelRegistry({ timeoutMs: 60, sweepIntervalMs: 30 });
    guacd = await FakeGuacd.start();
    server = await TunnelServer.start({ guacd, registry });
    const client = await HttpTunnelClient.connect(server.port);
    assert.equal((await client.write('3.nop;')).status, 200);
    await (
      await guacd.connection(0)
    ).closed;
    assert.equal(registry.size, 0);
  });
});
