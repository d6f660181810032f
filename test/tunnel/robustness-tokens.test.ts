/**
 * @module HTTP tunnel tokens (tunnel-protocol.md §2.1, peers-proxy-security.md §6.1 CVE-2021-41767 and §6.3
 * item 2): 44 base64 characters from 33 random bytes, unique, the only key to a tunnel (its UUID is not),
 * and never written to the log, nor is the connect data carrying the user's auth token.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { UnauthorizedError } from '../../src/protocol/index.js';
import { TunnelRegistry, generateTunnelToken } from '../../src/tunnel/index.js';
import { FakeGuacd } from '../fakes/fake-guacd.js';
import { HttpTunnelClient, fetchTunnel } from './http-client.js';
import { ReadLoop } from './http-read-loop.js';
import { CapturingLogger, TunnelServer, afterHandshake, throwing, viaGuacd } from './support.js';
import { WsTunnelClient } from './ws-client.js';

const BASE64_44 = /^[A-Za-z0-9+/]{44}$/;

let guacd: FakeGuacd | undefined;
let server: TunnelServer | undefined;

afterEach(async () => {
  await server?.close();
  await guacd?.idle();
  await guacd?.close();
  server = undefined;
  guacd = undefined;
});

describe('HTTP tunnel tokens', { timeout: 60_000 }, () => {
  it('are 44 base64 characters of 33 random bytes, all distinct', () => {
    const tokens = Array.from({ length: 10_000 }, generateTunnelToken);
    assert.equal(new Set(tokens).size, tokens.length);
    let ones = 0;
    for (const token of tokens) {
      assert.match(token, BASE64_44);
      const bytes = Buffer.from(token, 'base64');
      assert.equal(bytes.length, 33);
      assert.equal(bytes.toString('base64'), token);
      for (const byte of bytes) for (let b = byte; b > 0; b >>= 1) ones += b & 1;
    }
    // 2,640,000 bits: a fair source lands within ±0.3 % of one half (about ten standard deviations).
    const share = ones / (tokens.length * 33 * 8);
    assert.ok(Math.abs(share - 0.5) < 0.003, `share of one bits ${share}`);
  });

  it('are unique per tunnel and unrelated to the UUID', async () => {
    guacd = await FakeGuacd.start();
    server = await TunnelServer.start({ guacd });
    const clients = await Promise.all(
      Array.from({ length: 200 }, () => HttpTunnelClient.connect(server?.port ?? 0)),
    );
    const tokens = new Set(clients.map((c) => c.token));
    assert.equal(tokens.size, 200);
    for (const client of clients) {
      assert.match(client.token, BASE64_44);
      assert.ok(!client.token.includes(client.uuid.slice(0, 8)));
    }
  });

  it('alone grant access: forged, foreign and UUID tokens get 404/516', async () => {
    guacd = await FakeGuacd.start();
    server = await TunnelServer.start({ guacd });
    const a = await HttpTunnelClient.connect(server.port);
    const b = await HttpTunnelClient.connect(server.port);
    const connA = await guacd.connection(0);
    const flipped = a.token.slice(0, -1) + (a.token.endsWith('A') ? 'B' : 'A');
    for (const token of [flipped, generateTunnelToken(), a.uuid, '', a.token.toLowerCase()]) {
      const headers = { 'Guacamole-Tunnel-Token': token };
      for (const query of [`read:${a.uuid}:0`, `write:${a.uuid}`]) {
        const result = await fetchTunnel(server.port, {
          method: 'POST',
          query,
          headers,
          body: '3.nop;',
        });
        assert.equal(result.status, 404, `${query} with ${token}`);
        assert.equal(result.headers['guacamole-error-message'], 'No such tunnel.');
      }
    }
    // B's token with A's UUID in the URL reaches B's tunnel, never A's.
    const foreign = await fetchTunnel(server.port, {
      method: 'POST',
      query: `write:${a.uuid}`,
      headers: { 'Guacamole-Tunnel-Token': b.token },
      body: '4.sync,1.9;',
    });
    assert.equal(foreign.status, 200);
    await (await guacd.connection(1)).waitFor('sync');
    assert.equal((await a.write('4.sync,1.1;')).status, 200);
    await connA.waitFor('sync');
    assert.equal(afterHandshake(connA.received), '4.sync,1.1;');
    await connA.sendInstruction('sync', '2');
    const read = a.read();
    assert.equal((await read.nextChunk())?.toString(), '4.sync,1.2;');
    read.abort();
  });

  it('never appear in the log, nor does the connect data', async () => {
    const logger = new CapturingLogger();
    let now = 1_000_000;
    const registry = new TunnelRegistry({ now: () => now, sweepIntervalMs: 3_600_000 });
    guacd = await FakeGuacd.start({ script: (c) => c.sendInstruction('sync', '1') });
    const toGuacd = viaGuacd({ guacd });
    const refuse = throwing(new UnauthorizedError('Permission denied.'));
    server = await TunnelServer.start({
      logger,
      registry,
      connect: (request) =>
        request.getParameter('deny') === undefined ? toGuacd(request) : refuse(request),
    });
    const secret = 'token=SECRETAUTHTOKEN123';
    const clients = [
      await HttpTunnelClient.connect(server.port, secret),
      await HttpTunnelClient.connect(server.port, secret),
    ];
    const [first, second] = clients as [HttpTunnelClient, HttpTunnelClient];
    const loop = new ReadLoop(first);
    await first.write('4.sync,1.1;');
    await fetchTunnel(server.port, {
      query: 'read:x',
      headers: { 'Guacamole-Tunnel-Token': second.token.slice(1) },
    });
    const denied = await fetchTunnel(server.port, {
      method: 'POST',
      query: 'connect',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      body: `${secret}&deny=1`,
    });
    assert.equal(denied.status, 403);
    const ws = WsTunnelClient.open(server.port, `${secret}&deny=1`);
    await ws.closed;
    const opened = await WsTunnelClient.connect(server.port, secret);
    await opened.client.close();
    now += 15_000;
    registry.sweep();
    await loop.done;
    await guacd.idle();
    assert.ok(logger.lines.length >= 5, logger.lines.join('\n'));
    for (const line of logger.lines) {
      for (const client of clients) assert.ok(!line.includes(client.token), line);
      assert.ok(!line.includes(second.token.slice(1)), line);
      assert.ok(!line.includes('SECRETAUTHTOKEN123'), line);
    }
  });
});
