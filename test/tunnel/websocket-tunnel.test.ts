/**
 * @module WebSocket tunnel (tunnel-protocol.md §3.1, §11 items 15–19): the `guacamole` subprotocol, the UUID
 * alone first, text frames of whole instructions batched up to 8192 bytes, the ping echo (never forwarded
 * and never spliced into guacd data), internal instructions dropped, and malformed input dropped without
 * closing the socket.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { UPSTREAM_LIMITS, encodeInstruction, parseInstructions } from '../../src/protocol/index.js';
import { FRAME_BYTES } from '../../src/tunnel/index.js';
import { FakeGuacd, type FakeGuacdOptions } from '../fakes/fake-guacd.js';
import { TunnelServer, afterHandshake } from './support.js';
import { WsTunnelClient } from './ws-client.js';

let guacd: FakeGuacd | undefined;
let server: TunnelServer | undefined;

async function setup(fake: FakeGuacdOptions = {}) {
  guacd = await FakeGuacd.start(fake);
  server = await TunnelServer.start({ guacd });
  return { guacd, server };
}

afterEach(async () => {
  await server?.close();
  await guacd?.idle();
  await guacd?.close();
  server = undefined;
  guacd = undefined;
});

/** Instructions of very different sizes (a few bytes to 20 KiB), some with multi-byte text. */
function variedInstructions(count: number): string {
  let text = '';
  for (let i = 0; i < count; i++) {
    const size = [3, 40, 700, 5000, 9000, 20000][i % 6] ?? 3;
    const fill = i % 4 === 0 ? '😀é'.repeat(Math.ceil(size / 6)) : 'x'.repeat(size);
    text += encodeInstruction('blob', String(i), fill);
  }
  return text;
}

/** Collects guacd's data from the messages after the UUID until `length` characters arrived. */
async function collect(client: WsTunnelClient, length: number): Promise<string[]> {
  const frames: string[] = [];
  for (let total = 0; total < length;) {
    const frame = await client.next();
    frames.push(frame);
    if (!frame.startsWith('0.,')) total += frame.length;
  }
  return frames;
}

/** Asserts a frame holds only whole instructions and at most FRAME_BYTES plus its last instruction. */
function assertWholeInstructions(frame: string): void {
  const instructions = parseInstructions(frame, UPSTREAM_LIMITS);
  assert.ok(instructions.length > 0);
  const last = Buffer.byteLength(instructions.at(-1)?.toString() ?? '');
  assert.ok(Buffer.byteLength(frame) - last < FRAME_BYTES, `frame of ${frame.length} chars`);
}

describe('WebSocket tunnel', { timeout: 60_000 }, () => {
  it('accepts the guacamole subprotocol and sends the UUID alone first', async () => {
    const { server } = await setup({ script: (c) => c.sendInstruction('sync', '1') });
    const client = WsTunnelClient.open(server.port);
    const upgrade = await client.upgrade;
    assert.equal(upgrade.statusCode, 101);
    assert.equal(upgrade.headers['sec-websocket-protocol'], 'guacamole');
    assert.equal(client.ws.protocol, 'guacamole');
    assert.equal(await client.next(), `0.,36.${server.tunnels[0]?.uuid ?? ''};`);
    assert.equal(await client.next(), '4.sync,1.1;');
    await client.close();
  });

  it('sends text frames of whole instructions, batched up to 8192 bytes plus one', async () => {
    const sent = variedInstructions(120);
    const { server } = await setup({ script: (c) => c.send(sent) });
    const { client } = await WsTunnelClient.connect(server.port);
    const frames = await collect(client, sent.length);
    for (const frame of frames) assertWholeInstructions(frame);
    assert.equal(frames.join(''), sent);
    assert.equal(client.binaryMessages, 0);
    assert.ok(
      frames.some((f) => parseInstructions(f, UPSTREAM_LIMITS).length > 1),
      'batched',
    );
    assert.ok(frames.length < 120, 'small instructions share frames');
    await client.close();
  });

  it('keeps whole instructions per frame when guacd splits inside characters', async () => {
    const sent = variedInstructions(30);
    const { server } = await setup({
      split: { seed: 3, maxPiece: 200 },
      script: (c) => c.send(sent),
    });
    const { client } = await WsTunnelClient.connect(server.port);
    const frames = await collect(client, sent.length);
    for (const frame of frames) assertWholeInstructions(frame);
    assert.equal(frames.join(''), sent);
    await client.close();
  });

  it('echoes a ping at once, alone and with only its first argument, without forwarding it', async () => {
    const { guacd, server } = await setup();
    const { client } = await WsTunnelClient.connect(server.port);
    await client.send('0.,4.ping,13.1723456789012;');
    assert.equal(await client.next(), '0.,4.ping,13.1723456789012;');
    await client.send('0.,4.ping,3.123,5.extra;');
    assert.equal(await client.next(), '0.,4.ping,3.123;');
    await client.send('4.sync,1.7;');
    const conn = await guacd.connection(0);
    await conn.waitFor('sync');
    assert.equal(afterHandshake(conn.received), '4.sync,1.7;');
    await client.close();
  });

  it('never splices a ping reply into guacd data', async () => {
    const sent = variedInstructions(300);
    const { server } = await setup({ script: (c) => c.send(sent) });
    const { client } = await WsTunnelClient.connect(server.port);
    const pings = Array.from({ length: 40 }, (_, i) => encodeInstruction('', 'ping', String(i)));
    await Promise.all(pings.map((ping) => client.send(ping)));
    const frames = await collect(client, sent.length);
    while (frames.filter((f) => f.startsWith('0.,')).length < pings.length) {
      frames.push(await client.next());
    }
    const replies = frames.filter((f) => f.startsWith('0.,'));
    assert.deepEqual(replies, pings);
    const data = frames.filter((f) => !f.startsWith('0.,'));
    for (const frame of data) assertWholeInstructions(frame);
    assert.equal(data.join(''), sent);
    await client.close();
  });

  it('drops every other internal instruction', async () => {
    const { guacd, server } = await setup();
    const { client } = await WsTunnelClient.connect(server.port);
    for (const message of ['0.;', '0.,3.foo,3.bar;', '0.,4.ping;', '0.,4.ping;4.sync,1.1;']) {
      await client.send(message);
    }
    await client.send('0.,4.ping,1.5;');
    assert.equal(await client.next(), '0.,4.ping,1.5;', 'nothing answered before');
    const conn = await guacd.connection(0);
    await conn.waitFor('sync');
    assert.equal(afterHandshake(conn.received), '4.sync,1.1;');
    await client.close();
  });

  it('forwards what precedes malformed input, drops the rest and stays open', async () => {
    const { guacd, server } = await setup();
    const { client } = await WsTunnelClient.connect(server.port);
    const bad = [
      '4.sync,1.1;4.sync,X.2;4.sync,1.3;',
      '4.sync,1.4;4.sync,1.5',
      `4.sync,1.6;4.sync,8193.${'a'.repeat(8193)};4.sync,1.7;`,
      `4.sync,1.8;${encodeInstruction('sync', ...Array.from({ length: 128 }, () => 'x'))}`,
      '4.sync,1.9;4.sync,2.10:',
      '4.sync,123456.1;',
    ];
    for (const message of bad) await client.send(message);
    await client.send('3.nop;');
    const conn = await guacd.connection(0);
    await conn.waitFor('nop');
    const expected = ['1', '4', '6', '8', '9'].map((n) => encodeInstruction('sync', n)).join('');
    assert.equal(afterHandshake(conn.received), expected + '3.nop;');
    await client.send('0.,4.ping,1.1;');
    assert.equal(await client.next(), '0.,4.ping,1.1;');
    assert.equal(client.isClosed, false);
    await client.close();
  });

  it('forwards several instructions of one message in order, byte-exact', async () => {
    const { guacd, server } = await setup();
    const { client } = await WsTunnelClient.connect(server.port);
    const message = encodeInstruction('clipboard', 'Grüße 😀 ☃') + '4.sync,1.1;3.key,5.65307,1.1;';
    await client.send(message);
    const conn = await guacd.connection(0);
    await conn.waitFor('key');
    assert.equal(afterHandshake(conn.received), message);
    await client.close();
  });
});
