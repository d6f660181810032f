/**
 * @module HTTP tunnel reads (tunnel-protocol.md §2.3, §7.2, §11 items 9–11, 13): exact headers, streaming
 * flushed per burst, blocking until guacd sends at least one instruction, the hand-off to a newer read
 * without loss, duplication or reordering under a flood, `0.;` ending every response, EOF and errors.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { GuacdSocket } from '../../src/guacd/index.js';
import { UPSTREAM_LIMITS, encodeInstruction, parseInstructions } from '../../src/protocol/index.js';
import { FakeGuacd, type FakeGuacdOptions } from '../fakes/fake-guacd.js';
import { HttpTunnelClient, StreamingRead, startRequest } from './http-client.js';
import { ReadLoop } from './http-read-loop.js';
import { TunnelServer, type TunnelServerOptions } from './support.js';

let guacd: FakeGuacd | undefined;
let server: TunnelServer | undefined;

async function setup(fake: FakeGuacdOptions = {}, options: Partial<TunnelServerOptions> = {}) {
  guacd = await FakeGuacd.start(fake);
  server = await TunnelServer.start({ guacd, ...options });
  const client = await HttpTunnelClient.connect(server.port);
  const conn = await guacd.connection(0);
  return { guacd, server, client, conn };
}

afterEach(async () => {
  await server?.close();
  await guacd?.idle();
  await guacd?.close();
  server = undefined;
  guacd = undefined;
});

/** Waits (bounded, one event-loop turn per check) until a read is queued behind the active one. */
async function untilQueued(server: TunnelServer): Promise<void> {
  for (let turn = 0; !(server.tunnels[0]?.hasQueuedReaders() ?? false); turn++) {
    assert.ok(turn < 100_000, 'a second read never queued');
    await new Promise<void>((resolve) => setImmediate(resolve));
  }
}

/** Compares long texts without dumping them: reports the first differing offset. */
function assertSame(actual: string, expected: string): void {
  if (actual === expected) return;
  let at = 0;
  while (at < actual.length && actual[at] === expected[at]) at++;
  assert.fail(
    `texts differ at ${at} (lengths ${actual.length}/${expected.length}): ` +
      `${JSON.stringify(actual.slice(at, at + 40))} vs ${JSON.stringify(expected.slice(at, at + 40))}`,
  );
}

/** A GuacdSocket that reports itself closed before its close event has run (the window in which a
 * guacd connection is going away), so the tunnel is still registered but no longer open. */
class ClosingSocket implements GuacdSocket {
  closing = false;
  readonly #inner: GuacdSocket;
  constructor(inner: GuacdSocket) {
    this.#inner = inner;
  }
  get reader(): GuacdSocket['reader'] {
    return this.#inner.reader;
  }
  get writer(): GuacdSocket['writer'] {
    return this.#inner.writer;
  }
  get isOpen(): boolean {
    return !this.closing && this.#inner.isOpen;
  }
  close(): void {
    this.#inner.close();
  }
  onClose(listener: Parameters<GuacdSocket['onClose']>[0]): () => void {
    return this.#inner.onClose(listener);
  }
}

describe('HTTP tunnel read', { timeout: 60_000 }, () => {
  it('answers 200, octet-stream, no-cache, chunked, uncompressed, no validators', async () => {
    const { server, client, conn } = await setup();
    await conn.sendInstruction('sync', '1');
    const headers = { 'Guacamole-Tunnel-Token': client.token, 'Accept-Encoding': 'gzip, br' };
    const read = new StreamingRead(
      startRequest(server.port, { query: `read:${client.uuid}:0`, headers }),
    );
    const response = await read.response;
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/octet-stream');
    assert.equal(response.headers['cache-control'], 'no-cache');
    assert.equal(response.headers['content-length'], undefined);
    assert.equal(response.headers['transfer-encoding'], 'chunked');
    assert.equal(response.headers['content-encoding'], undefined);
    assert.equal(response.headers.etag, undefined);
    read.abort();
  });

  it('flushes each burst at once while the response stays open', async () => {
    const { client, conn } = await setup();
    await conn.sendInstruction('sync', '1');
    const read = client.read();
    // The fake has sent nothing more: this chunk can only come from a flush of the first burst.
    assert.equal((await read.nextChunk())?.toString(), '4.sync,1.1;');
    await conn.sendInstruction('sync', '2');
    assert.equal((await read.nextChunk())?.toString(), '4.sync,1.2;');
    read.abort();
  });

  it('blocks until guacd sends, so every response holds at least one instruction', async () => {
    const { server, client, conn } = await setup();
    let first = false;
    const read1 = client.read();
    void read1.response.then(() => (first = true));
    const read2 = client.read();
    await untilQueued(server);
    assert.equal(first, false, 'no headers before data');
    await conn.sendInstruction('sync', '1');
    assert.equal((await read1.body()).toString(), '4.sync,1.1;0.;');
    await conn.sendInstruction('sync', '2');
    assert.equal((await read2.nextChunk())?.toString(), '4.sync,1.2;');
    read2.abort();
  });

  it('hands off to the next read without loss, duplication or reordering (20,000 instructions)', async (t) => {
    // 500 batches of 40 instructions, cut at random bytes; every other batch waits until the client has
    // it, so responses end mid-flood as well as between bursts.
    const batches: string[] = [];
    for (let i = 0; i < 20_000; i += 40) {
      let batch = '';
      for (let n = i; n < i + 40; n++)
        batch += encodeInstruction('sync', String(n), 'é😀'.repeat(n % 3));
      batches.push(batch);
    }
    const sent = batches.join('');
    let received = '';
    let waiters: (() => void)[] = [];
    const until = async (length: number): Promise<void> => {
      while (received.length < length) await new Promise<void>((resolve) => waiters.push(resolve));
    };
    const { client } = await setup({
      split: { seed: 11, maxPiece: 97 },
      script: async (c) => {
        let total = 0;
        for (const [k, batch] of batches.entries()) {
          await c.send(batch);
          total += batch.length;
          if (k % 2 === 0) await until(total);
        }
      },
    });
    const loop = new ReadLoop(client, (text) => {
      received += text;
      const woken = waiters;
      waiters = [];
      for (const resolve of woken) resolve();
    });
    await until(sent.length);
    assertSame(received, sent);
    // The last response may still be streaming; every finished one ends with 0.; and holds whole
    // instructions, at least one.
    const bodies = loop.bodies;
    t.diagnostic(`${bodies.length} responses`);
    assert.ok(bodies.length >= 250, `only ${bodies.length} responses`);
    for (const body of bodies) {
      assert.ok(body.endsWith('0.;'));
      const instructions = parseInstructions(body.slice(0, -3), UPSTREAM_LIMITS);
      assert.ok(instructions.length > 0, 'at least one instruction per response');
    }
    const finished = bodies.map((b) => b.slice(0, -3)).join('');
    assertSame(finished, sent.slice(0, finished.length));
    loop.abort();
  });

  it('ends with 0.; on guacd EOF; the next read gets 404/516', async () => {
    const { client, conn } = await setup();
    await conn.sendInstruction('sync', '1');
    const loop = new ReadLoop(client);
    await conn.close();
    const end = await loop.done;
    assert.deepEqual(end, { status: 404, code: '516', message: 'No such tunnel.' });
    // A read still queued when guacd closed gets a bare 0.; before the 404.
    assert.equal(loop.bodies[0], '4.sync,1.1;0.;');
    assert.ok(loop.bodies.slice(1).every((body) => body === '0.;'));
    assert.equal(loop.unmarked, 0);
  });

  it('delivers what guacd sent before closing even when no read was waiting', async () => {
    const { server, client, conn } = await setup();
    const last = encodeInstruction('error', 'Logged off.', '0');
    await conn.send(last);
    const tunnel = server.tunnels[0];
    const closedHere = new Promise<void>((resolve) => {
      tunnel?.socket.onClose(() => {
        resolve();
      });
    });
    await conn.close();
    await closedHere;
    assert.equal((await client.read().body()).toString(), `${last}0.;`);
    const after = await client.read().response;
    assert.deepEqual(
      [
        after.statusCode,
        after.headers['guacamole-status-code'],
        after.headers['guacamole-error-message'],
      ],
      [404, '516', 'No such tunnel.'],
    );
  });

  it('answers 404/516 "Tunnel is closed." for a registered tunnel that is no longer open', async () => {
    let socket: ClosingSocket | undefined;
    const { server, client } = await setup(
      {},
      { wrapSocket: (inner) => (socket = new ClosingSocket(inner)) },
    );
    assert.ok(socket);
    socket.closing = true;
    const read = client.read();
    const response = await read.response;
    assert.deepEqual(
      [
        response.statusCode,
        response.headers['guacamole-status-code'],
        response.headers['guacamole-error-message'],
      ],
      [404, '516', 'Tunnel is closed.'],
    );
    const write = await client.write('4.sync,1.1;');
    assert.equal(write.status, 200, 'a write to a closed tunnel still succeeds');
    assert.equal(server.http.registry.size, 1);
  });

  it('just ends the body, without 0.;, on a guacd read timeout after the headers', async () => {
    const { client, conn } = await setup({}, { readTimeoutMs: 150 });
    await conn.sendInstruction('sync', '1');
    const read = client.read();
    assert.equal((await read.response).statusCode, 200);
    assert.equal((await read.body()).toString(), '4.sync,1.1;');
    await conn.closed;
    const after = await client.read().response;
    assert.equal(after.statusCode, 404);
  });

  it('commits an empty 200 when guacd times out before sending anything', async () => {
    const { client, conn } = await setup({}, { readTimeoutMs: 150 });
    const read = client.read();
    const response = await read.response;
    assert.equal(response.statusCode, 200);
    assert.equal(response.headers['content-type'], 'application/octet-stream');
    assert.equal((await read.body()).length, 0);
    await conn.closed;
  });
});
