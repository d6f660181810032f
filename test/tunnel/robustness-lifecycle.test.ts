/**
 * @module Tunnel lifecycles under stress: a guacd killed mid-stream closes every affected client promptly
 * with a numeric close (and leaves tunnels to another guacd alone), and 10,000 connect/disconnect cycles
 * per transport leave no socket, timer, registry entry or guacd connection behind.
 */
import assert from 'node:assert/strict';
import { performance } from 'node:perf_hooks';
import { afterEach, describe, it } from 'node:test';
import { FakeGuacd } from '../fakes/fake-guacd.js';
import { HttpTunnelClient } from './http-client.js';
import { ReadLoop } from './http-read-loop.js';
import { TunnelServer, viaGuacd } from './support.js';
import { WsTunnelClient } from './ws-client.js';

const fakes: FakeGuacd[] = [];
let server: TunnelServer | undefined;

afterEach(async () => {
  await server?.close();
  for (const fake of fakes.splice(0)) {
    await fake.idle();
    await fake.close();
  }
  server = undefined;
});

async function fake(options: Parameters<typeof FakeGuacd.start>[0] = {}): Promise<FakeGuacd> {
  const started = await FakeGuacd.start(options);
  fakes.push(started);
  return started;
}

/** Live handles and requests of this process by type, for before/after comparisons. */
async function resources(): Promise<Record<string, number>> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  const counts: Record<string, number> = {};
  for (const name of process.getActiveResourcesInfo()) counts[name] = (counts[name] ?? 0) + 1;
  return counts;
}

/**
 * Runs `cycle` `count` times, `concurrency` at a time.
 * @param count total runs
 * @param concurrency runs in flight
 * @param cycle one run
 */
async function cycles(count: number, concurrency: number, cycle: () => Promise<void>) {
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      await cycle();
    }
  };
  await Promise.all(Array.from({ length: concurrency }, worker));
}

describe('tunnel lifecycles', { timeout: 180_000 }, () => {
  it('closes every tunnel on a killed guacd within 1 s; a second guacd keeps working', async (t) => {
    const a = await fake({ script: (c) => c.sendInstruction('sync', '1') });
    const b = await fake({ script: (c) => c.sendInstruction('sync', '1') });
    const toA = viaGuacd({ guacd: a });
    const toB = viaGuacd({ guacd: b });
    server = await TunnelServer.start({
      connect: (request) => (request.getParameter('guacd') === 'b' ? toB(request) : toA(request)),
    });
    const port = server.port;
    const wsOnA = await Promise.all(
      Array.from({ length: 20 }, () => WsTunnelClient.connect(port, 'guacd=a')),
    );
    for (const { client } of wsOnA) assert.equal(await client.next(), '4.sync,1.1;');
    const httpOnA = await Promise.all(
      Array.from({ length: 3 }, () => HttpTunnelClient.connect(port, 'guacd=a')),
    );
    const loops = httpOnA.map((client) => new ReadLoop(client));
    const onB = await WsTunnelClient.connect(port, 'guacd=b');
    assert.equal(await onB.client.next(), '4.sync,1.1;');
    // Every tunnel to A has streamed: A's connections are mid-session.
    assert.equal(a.connections.length, 23);
    const killed = performance.now();
    for (const conn of a.connections) conn.reset();
    const latencies = await Promise.all([
      ...wsOnA.map(async ({ client }) => {
        assert.deepEqual(await client.closed, { code: 1000, reason: '0' });
        return performance.now() - killed;
      }),
      ...loops.map(async (loop) => {
        assert.deepEqual(await loop.done, { status: 404, code: '516', message: 'No such tunnel.' });
        return performance.now() - killed;
      }),
    ]);
    const worst = Math.max(...latencies);
    t.diagnostic(`close latency after guacd reset: max ${worst.toFixed(1)} ms`);
    assert.ok(worst < 1000, `${worst} ms`);
    await onB.client.send('4.sync,1.5;');
    const connB = await b.connection(0);
    await connB.waitFor('sync');
    await connB.sendInstruction('sync', '6');
    assert.equal(await onB.client.next(), '4.sync,1.6;');
    await onB.client.close();
  });

  it('leaks nothing over 10,000 WebSocket connect/disconnect cycles', async (t) => {
    const guacd = await fake();
    server = await TunnelServer.start({ guacd });
    const port = server.port;
    const cycle = async (): Promise<void> => {
      const { client } = await WsTunnelClient.connect(port);
      assert.deepEqual(await client.close(), { code: 1000, reason: '' });
    };
    await cycle();
    await guacd.idle();
    await server.whenConnections(0);
    const before = await resources();
    const started = performance.now();
    await cycles(10_000, 50, cycle);
    await guacd.idle();
    await server.whenConnections(0);
    t.diagnostic(
      `10,000 WebSocket cycles in ${((performance.now() - started) / 1000).toFixed(1)} s`,
    );
    t.diagnostic(`live resources before and after: ${JSON.stringify(before)}`);
    assert.deepEqual(await resources(), before);
    assert.equal(guacd.openSockets, 0);
    assert.equal(server.http.registry.size, 0);
    assert.equal(guacd.connections.length, 10_001);
    assert.ok(server.tunnels.every((tunnel) => !tunnel.isOpen()));
  });

  it('leaks nothing over 10,000 HTTP connect/read/disconnect cycles', async (t) => {
    const guacd = await fake({ script: (c) => c.sendInstruction('sync', '1') });
    server = await TunnelServer.start({ guacd });
    const port = server.port;
    const cycle = async (): Promise<void> => {
      const client = await HttpTunnelClient.connect(port);
      const read = client.read();
      assert.equal((await read.nextChunk())?.toString(), '4.sync,1.1;');
      // The tab goes away: the dropped read closes the tunnel.
      read.abort();
    };
    await cycle();
    await guacd.idle();
    await server.whenConnections(0);
    const before = await resources();
    const started = performance.now();
    await cycles(10_000, 50, cycle);
    await guacd.idle();
    await server.whenConnections(0);
    t.diagnostic(`10,000 HTTP cycles in ${((performance.now() - started) / 1000).toFixed(1)} s`);
    assert.deepEqual(await resources(), before);
    assert.equal(guacd.openSockets, 0);
    assert.equal(server.http.registry.size, 0);
    assert.equal(guacd.connections.length, 10_001);
  });
});
