/**
 * @module WebSocket tunnel closes (tunnel-protocol.md §3.1, §11 items 15, 20, 21): every error arrives as a
 * close frame after a completed upgrade, with the status table's code and the decimal Guacamole code as
 * the reason; binary and oversized messages, cross-origin upgrades, a client leaving during the connect,
 * a malformed guacd stream and shutdown. guacd is always closed afterwards.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { GuacamoleStatus, statusFromGuacCode } from '../../src/protocol/index.js';
import type { OriginPolicy } from '../../src/tunnel/index.js';
import { FakeGuacd, type FakeGuacdOptions } from '../fakes/fake-guacd.js';
import { TunnelServer, viaGuacd, type TunnelServerOptions } from './support.js';
import { WsTunnelClient } from './ws-client.js';

let guacd: FakeGuacd | undefined;
let server: TunnelServer | undefined;

async function setup(fake: FakeGuacdOptions = {}, options: Partial<TunnelServerOptions> = {}) {
  guacd = await FakeGuacd.start(fake);
  server = await TunnelServer.start({ guacd, ...options });
  return { guacd, server };
}

afterEach(async () => {
  await server?.close();
  await guacd?.idle();
  await guacd?.close();
  server = undefined;
  guacd = undefined;
});

describe('WebSocket tunnel closes', { timeout: 60_000 }, () => {
  it('closes 1003 "783" on a binary message, and closes guacd', async () => {
    const { guacd, server } = await setup();
    const { client } = await WsTunnelClient.connect(server.port);
    client.ws.send(Buffer.from('4.sync,1.1;'));
    assert.deepEqual(await client.closed, { code: 1003, reason: '783' });
    await (
      await guacd.connection(0)
    ).closed;
    assert.equal(afterLength(guacd), 0, 'nothing of the binary message reached guacd');
  });

  it('closes 1009 on an oversized message without disturbing other tunnels', async () => {
    const { guacd, server } = await setup({}, { maxMessageBytes: 1024 });
    const other = await WsTunnelClient.connect(server.port);
    const { client } = await WsTunnelClient.connect(server.port);
    await client.send(`4.sync,1200.${'x'.repeat(1200)};`);
    const closed = await client.closed;
    assert.equal(closed.code, 1009);
    // ws closes before the tunnel sees the message; an empty reason makes guacamole-common-js fall back
    // to the close code, so what matters is that it is never non-numeric text (Tomcat's habit).
    assert.match(closed.reason, /^(\d+)?$/);
    await (
      await guacd.connection(1)
    ).closed;
    await other.client.send('0.,4.ping,1.1;');
    assert.equal(await other.client.next(), '0.,4.ping,1.1;');
    await other.client.close();
  });

  it('closes 1007 on a text message that is not UTF-8, and keeps serving', async () => {
    const { guacd, server } = await setup();
    const { client } = await WsTunnelClient.connect(server.port);
    client.ws.send(Buffer.from([0x34, 0x2e, 0xff, 0xfe]), { binary: false });
    const closed = await client.closed;
    assert.equal(closed.code, 1007);
    assert.match(closed.reason, /^(\d+)?$/);
    await (
      await guacd.connection(0)
    ).closed;
    const next = await WsTunnelClient.connect(server.port);
    await next.client.close();
  });

  it('accepts a message of exactly the limit', async () => {
    const { guacd, server } = await setup({}, { maxMessageBytes: 1024 });
    const { client } = await WsTunnelClient.connect(server.port);
    const message = `4.sync,1011.${'x'.repeat(1011)};`;
    assert.equal(Buffer.byteLength(message), 1024);
    await client.send(message);
    await (await guacd.connection(0)).waitFor('sync');
    await client.close();
  });

  describe('Origin policy', () => {
    const cases: [string, OriginPolicy | undefined, (origin: string) => string, boolean][] = [
      ['rejects a cross-origin upgrade by default', undefined, () => 'https://evil.example', false],
      ['accepts a same-origin upgrade', undefined, (own) => own, true],
      ['accepts a listed origin', ['https://guac.example'], () => 'https://guac.example', true],
      ['rejects an unlisted origin', ['https://guac.example'], () => 'https://evil.example', false],
      ['accepts any origin with "*"', '*', () => 'https://evil.example', true],
    ];
    for (const [name, policy, origin, allowed] of cases) {
      it(name, async () => {
        const { guacd, server } = await setup(
          {},
          policy === undefined ? {} : { allowedOrigins: policy },
        );
        const client = WsTunnelClient.open(server.port, '', { origin: origin(server.origin) });
        assert.equal((await client.upgrade).statusCode, 101);
        if (allowed) {
          assert.match(await client.next(), /^0\.,36\./);
          await client.close();
        } else {
          assert.deepEqual(await client.closed, { code: 1008, reason: '771' });
          assert.equal(guacd.connections.length, 0, 'guacd was never contacted');
        }
      });
    }

    it('accepts an upgrade without Origin (a non-browser client)', async () => {
      const { server } = await setup();
      const { client } = await WsTunnelClient.connect(server.port);
      await client.close();
    });
  });

  it('closes guacd when the client leaves while the connect is still running', async () => {
    let open: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (open = resolve));
    guacd = await FakeGuacd.start();
    const target = guacd;
    const connect = viaGuacd({ guacd: target });
    server = await TunnelServer.start({
      connect: async (request) => {
        await gate;
        return await connect(request);
      },
    });
    const client = WsTunnelClient.open(server.port);
    assert.equal((await client.upgrade).statusCode, 101);
    await client.close();
    open();
    await (
      await target.connection(0)
    ).closed;
    assert.equal(server.tunnels.length, 1);
    assert.equal(server.tunnels[0]?.isOpen(), false);
  });

  it('closes with a numeric code matching the status when guacd sends malformed data', async () => {
    const { guacd, server } = await setup({ script: (c) => c.send('4.sync,1.1;4.sync,Q;') });
    const { client } = await WsTunnelClient.connect(server.port);
    const closed = await client.closed;
    assert.match(closed.reason, /^\d+$/);
    const status = statusFromGuacCode(Number(closed.reason));
    assert.ok(status && status !== GuacamoleStatus.SUCCESS, `reason ${closed.reason}`);
    assert.equal(closed.code, status.ws);
    await (
      await guacd.connection(0)
    ).closed;
  });

  it('closes every session 1000 "0" on shutdown, and their guacd connections', async () => {
    const { guacd, server } = await setup();
    const a = await WsTunnelClient.connect(server.port);
    const b = await WsTunnelClient.connect(server.port);
    server.ws.close();
    assert.deepEqual(await a.client.closed, { code: 1000, reason: '0' });
    assert.deepEqual(await b.client.closed, { code: 1000, reason: '0' });
    await guacd.idle();
  });

  it('installs no process signal handlers (guacamole-lite hijacks SIGTERM/SIGINT)', async () => {
    const before = ['SIGTERM', 'SIGINT'].map((s) => process.listenerCount(s));
    const { server } = await setup();
    const { client } = await WsTunnelClient.connect(server.port);
    assert.deepEqual(
      ['SIGTERM', 'SIGINT'].map((s) => process.listenerCount(s)),
      before,
    );
    await client.close();
  });
});

/** Bytes guacd received after the handshake on its first connection. */
function afterLength(fake: FakeGuacd): number {
  const received = fake.connections[0]?.received ?? [];
  return received.length - (received.findIndex((i) => i.opcode === 'connect') + 1);
}
