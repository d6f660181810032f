/**
 * @module Backpressure from a slow browser to guacd (peers-proxy-security.md lesson 8, §6.3 item 5): while a
 * client stops reading and guacd floods 200 MB, the tunnel stops reading guacd, guacd's writes block, and
 * memory stays flat; once the client reads again the stream completes byte-exact. The same the other way:
 * a guacd that stops reading stops the client's messages and write bodies. The server runs in its own
 * process so that its memory is measured alone; the hard bound is that guacd (or the client) is blocked
 * after a few MiB, so the server cannot be holding more than that.
 */
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { once } from 'node:events';
import { afterEach, describe, it } from 'node:test';
import WebSocket from 'ws';
import { FakeGuacd } from '../fakes/fake-guacd.js';
import type { ClientRequest } from 'node:http';
import { HttpTunnelClient, startRequest } from './http-client.js';
import {
  MiB,
  clientInstructions,
  flood,
  growth,
  untilStalled,
  type FloodProgress,
  type MemorySample,
  type SendProgress,
} from './pressure.js';
import { startServerProcess, type ServerProcess } from './server-process.js';
import { StallingGuacd } from './stalling-guacd.js';

const TOTAL = 200 * MiB;
const MAX_GROWTH_MIB = 64;

let guacd: FakeGuacd | StallingGuacd | undefined;
let server: ServerProcess | undefined;

afterEach(async () => {
  await server?.close();
  if (guacd instanceof FakeGuacd) await guacd.idle();
  await guacd?.close();
  server = undefined;
  guacd = undefined;
});

async function floodingSetup(progress: FloodProgress) {
  guacd = await FakeGuacd.start({ script: (c) => flood(c, TOTAL, progress) });
  server = await startServerProcess(guacd);
  return { server };
}

async function stallingSetup() {
  const stalling = await StallingGuacd.start();
  guacd = stalling;
  server = await startServerProcess(stalling);
  return { stalling, server };
}

describe('backpressure', { timeout: 120_000 }, () => {
  it('WebSocket: guacd blocks, memory stays flat, the stream completes intact', async (t) => {
    const progress: FloodProgress = { sent: 0, pending: false, digest: undefined };
    const { server } = await floodingSetup(progress);
    const baseline = await server.memory();
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/websocket-tunnel`, 'guacamole');
    const hash = createHash('sha256');
    let received = 0;
    let uuid = true;
    ws.on('message', (data: Buffer) => {
      if (uuid) {
        uuid = false;
        // Stop reading right after the UUID: the browser tab is frozen.
        ws.pause();
        return;
      }
      hash.update(data);
      received += data.length;
    });
    const closed = once(ws, 'close') as Promise<[number, Buffer]>;
    await untilStalled(
      () => progress.sent,
      () => progress.pending,
    );
    const stalled = await server.memory();
    const sentAtStall = progress.sent;
    await untilStalled(
      () => progress.sent,
      () => progress.pending,
      10,
    );
    const later = await server.memory();
    t.diagnostic(`WS stall: guacd blocked after ${(sentAtStall / MiB).toFixed(1)} MiB`);
    t.diagnostic(`WS growth at stall ${JSON.stringify(growth(baseline, stalled))} MiB`);
    t.diagnostic(`WS growth 10 checks later ${JSON.stringify(growth(baseline, later))} MiB`);
    assert.equal(progress.sent, sentAtStall, 'guacd stays blocked');
    assert.ok(sentAtStall < 64 * MiB, `guacd wrote ${sentAtStall} bytes before blocking`);
    assertBounded(baseline, stalled);
    assertBounded(baseline, later);
    ws.resume();
    const [code, reason] = await closed;
    assert.deepEqual([code, reason.toString()], [1000, '0']);
    assert.equal(received, progress.sent);
    assert.equal(hash.digest('hex'), progress.digest);
  });

  it('HTTP: a read response nobody consumes blocks guacd; memory stays flat', async (t) => {
    const progress: FloodProgress = { sent: 0, pending: false, digest: undefined };
    const { server } = await floodingSetup(progress);
    const baseline = await server.memory();
    const client = await HttpTunnelClient.connect(server.port);
    const response = await client.read().response;
    // No 'data' listener yet: the response buffers its high-water mark, then the socket stops.
    response.pause();
    await untilStalled(
      () => progress.sent,
      () => progress.pending,
    );
    const stalled = await server.memory();
    const sentAtStall = progress.sent;
    t.diagnostic(`HTTP stall: guacd blocked after ${(sentAtStall / MiB).toFixed(1)} MiB`);
    t.diagnostic(`HTTP growth at stall ${JSON.stringify(growth(baseline, stalled))} MiB`);
    assert.ok(sentAtStall < 64 * MiB, `guacd wrote ${sentAtStall} bytes before blocking`);
    assertBounded(baseline, stalled);
    const hash = createHash('sha256');
    let held = Buffer.alloc(0);
    let received = 0;
    response.on('data', (chunk: Buffer) => {
      // The last three bytes may be the 0.; marker: keep them back until more arrives.
      const data = Buffer.concat([held, chunk]);
      hash.update(data.subarray(0, data.length - 3));
      received += data.length - 3;
      held = data.subarray(data.length - 3);
    });
    response.resume();
    await once(response, 'end');
    assert.equal(held.toString(), '0.;');
    assert.equal(received, progress.sent);
    assert.equal(hash.digest('hex'), progress.digest);
  });

  it('WebSocket: a guacd that stops reading pauses the client, not memory', async (t) => {
    const { stalling, server } = await stallingSetup();
    const baseline = await server.memory();
    const ws = new WebSocket(`ws://127.0.0.1:${server.port}/websocket-tunnel`, 'guacamole');
    await once(ws, 'message');
    const conn = await stalling.connection(0);
    conn.pause();
    const progress: SendProgress = { acked: 0, pending: false, total: 0, digest: undefined };
    const sending = sendOverWebSocket(ws, clientInstructions(100 * MiB, progress), progress);
    await untilStalled(
      () => progress.acked,
      () => progress.pending,
    );
    const stalled = await server.memory();
    t.diagnostic(`WS writes: client blocked after ${(progress.acked / MiB).toFixed(1)} MiB`);
    t.diagnostic(`WS writes: growth at stall ${JSON.stringify(growth(baseline, stalled))} MiB`);
    assert.ok(progress.acked < 64 * MiB, `${progress.acked} bytes accepted before blocking`);
    assertBounded(baseline, stalled);
    conn.resume();
    await sending;
    await conn.waitForBytes(progress.total);
    assert.equal(conn.received, progress.total);
    assert.equal(conn.digest(), progress.digest);
    ws.close();
    await conn.closed;
  });

  it('HTTP: a guacd that stops reading stops the write body being read', async (t) => {
    const { stalling, server } = await stallingSetup();
    const baseline = await server.memory();
    const client = await HttpTunnelClient.connect(server.port);
    const conn = await stalling.connection(0);
    conn.pause();
    const { request, response } = startRequest(server.port, {
      method: 'POST',
      query: `write:${client.uuid}`,
      headers: { 'Guacamole-Tunnel-Token': client.token },
      open: true,
    });
    const progress: SendProgress = { acked: 0, pending: false, total: 0, digest: undefined };
    const sending = sendOverRequest(request, clientInstructions(100 * MiB, progress), progress);
    await untilStalled(
      () => progress.acked,
      () => progress.pending,
    );
    const stalled = await server.memory();
    t.diagnostic(`HTTP write: client blocked after ${(progress.acked / MiB).toFixed(1)} MiB`);
    t.diagnostic(`HTTP write: growth at stall ${JSON.stringify(growth(baseline, stalled))} MiB`);
    assert.ok(progress.acked < 64 * MiB, `${progress.acked} bytes accepted before blocking`);
    assertBounded(baseline, stalled);
    conn.resume();
    await sending;
    const answer = await response;
    assert.equal(answer.statusCode, 200);
    await conn.waitForBytes(progress.total);
    assert.equal(conn.digest(), progress.digest);
  });
});

function assertBounded(baseline: MemorySample, sample: MemorySample): void {
  const { rss, arrayBuffers } = growth(baseline, sample);
  assert.ok(
    rss <= MAX_GROWTH_MIB && arrayBuffers <= MAX_GROWTH_MIB,
    `grew ${rss}/${arrayBuffers} MiB`,
  );
}

/** Sends each instruction as one message, with at most 256 unaccepted at a time. */
async function sendOverWebSocket(
  ws: WebSocket,
  instructions: Iterable<string>,
  progress: SendProgress,
): Promise<void> {
  const inFlight: Promise<void>[] = [];
  for (const instruction of instructions) {
    inFlight.push(
      new Promise((resolve, reject) => {
        ws.send(instruction, (error) => {
          if (error) reject(error);
          progress.acked += instruction.length;
          resolve();
        });
      }),
    );
    if (inFlight.length >= 256) {
      progress.pending = true;
      await inFlight.shift();
      progress.pending = false;
    }
  }
  progress.pending = true;
  await Promise.all(inFlight);
  progress.pending = false;
}

/** Streams the instructions as one request body in 64 KiB pieces, honouring 'drain', then ends it. */
async function sendOverRequest(
  request: ClientRequest,
  instructions: Iterable<string>,
  progress: SendProgress,
): Promise<void> {
  let piece = '';
  const write = async (text: string): Promise<void> => {
    progress.pending = true;
    if (!request.write(text)) await once(request, 'drain');
    progress.pending = false;
    progress.acked += text.length;
  };
  for (const instruction of instructions) {
    piece += instruction;
    if (piece.length >= 64 * 1024) {
      await write(piece);
      piece = '';
    }
  }
  if (piece !== '') await write(piece);
  request.end();
}
