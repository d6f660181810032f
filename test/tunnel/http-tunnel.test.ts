/**
 * @module HTTP tunnel dispatch, connect, write and errors (tunnel-protocol.md §2.2, §2.4, §11 items 5–8, 12,
 * 13): exact statuses, headers and messages; GET and POST for all three operations; `read:`/`write:` as
 * prefixes; writes forwarded unparsed and answered 200 with an empty body; only client errors expose their
 * message; the Origin policy on connect.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  ClientOverrunError,
  ClientTooManyError,
  ResourceConflictError,
  SecurityError,
  ServerBusyError,
  ServerError,
  UpstreamNotFoundError,
  UpstreamTimeoutError,
  type GuacamoleError,
} from '../../src/protocol/index.js';
import { FakeGuacd } from '../fakes/fake-guacd.js';
import {
  HttpTunnelClient,
  StreamingRead,
  assertTunnelError,
  fetchTunnel,
  startRequest,
} from './http-client.js';
import { TunnelServer, afterHandshake, throwing, type TunnelServerOptions } from './support.js';

let guacd: FakeGuacd | undefined;
let server: TunnelServer | undefined;

async function setup(options: Partial<TunnelServerOptions> = {}) {
  guacd = await FakeGuacd.start();
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

const TOKEN_MISSING =
  'The HTTP tunnel session token is required for all requests after connecting.';
const NO_SUCH_TUNNEL = { http: 404, guac: 516, message: 'No such tunnel.' };

describe('HTTP tunnel dispatch', { timeout: 60_000 }, () => {
  for (const method of ['GET', 'POST']) {
    it(`answers ${method} without a query string with 400/768`, async () => {
      const { server } = await setup();
      const result = await fetchTunnel(server.port, { method });
      assertTunnelError(result, { http: 400, guac: 768, message: 'No query string provided.' });
    });

    for (const query of ['read:abc:0', 'write:abc']) {
      it(`requires the token for ${method} ?${query}`, async () => {
        const { server } = await setup();
        const result = await fetchTunnel(server.port, { method, query });
        assertTunnelError(result, { http: 400, guac: 768, message: TOKEN_MISSING });
      });

      it(`answers an unknown token on ${method} ?${query} with 404/516`, async () => {
        const { server } = await setup();
        const headers = { 'Guacamole-Tunnel-Token': 'A'.repeat(44) };
        const result = await fetchTunnel(server.port, { method, query, headers });
        assertTunnelError(result, NO_SUCH_TUNNEL);
      });
    }
  }

  it('rejects other operations with 400/768 naming the query; connect must match exactly', async () => {
    const { server } = await setup();
    const headers = { 'Guacamole-Tunnel-Token': 'A'.repeat(44) };
    for (const query of ['foo', 'connectx', 'connect&x=1', 'Read:x']) {
      const result = await fetchTunnel(server.port, { query, headers });
      assertTunnelError(result, {
        http: 400,
        guac: 768,
        message: `Invalid tunnel operation: ${query}`,
      });
    }
    const noToken = await fetchTunnel(server.port, { query: 'connectx' });
    assertTunnelError(noToken, { http: 400, guac: 768, message: TOKEN_MISSING });
  });

  it('serves connect, read and write over both GET and POST, ignoring what follows the prefix', async () => {
    const { guacd, server } = await setup();
    const connected = await fetchTunnel(server.port, { method: 'GET', query: 'connect' });
    assert.equal(connected.status, 200);
    assert.match(connected.text, /^[0-9a-f-]{36}$/);
    const headers = {
      'Guacamole-Tunnel-Token': String(connected.headers['guacamole-tunnel-token']),
    };
    const get = await fetchTunnel(server.port, {
      method: 'GET',
      query: 'write:',
      headers,
      body: '4.sync,1.1;',
    });
    const post = await fetchTunnel(server.port, {
      method: 'POST',
      query: 'write:nonsense:7',
      headers,
      body: '4.sync,1.2;',
    });
    assert.deepEqual([get.status, post.status], [200, 200]);
    const conn = await guacd.connection(0);
    await conn.waitFor('sync');
    await conn.waitFor('sync');
    assert.equal(afterHandshake(conn.received), '4.sync,1.1;4.sync,1.2;');
    await conn.sendInstruction('sync', '3');
    const postRead = new StreamingRead(
      startRequest(server.port, { method: 'POST', query: 'read:not-the-uuid:99', headers }),
    );
    assert.equal((await postRead.response).statusCode, 200);
    assert.equal((await postRead.nextChunk())?.toString(), '4.sync,1.3;');
    // A second read (GET, a bare prefix) makes the first one hand over and end.
    const getRead = new StreamingRead(startRequest(server.port, { query: 'read:', headers }));
    assert.equal((await postRead.body()).toString(), '4.sync,1.3;0.;');
    await conn.sendInstruction('sync', '4');
    assert.equal((await getRead.nextChunk())?.toString(), '4.sync,1.4;');
    getRead.abort();
  });
});

describe('HTTP tunnel connect', { timeout: 60_000 }, () => {
  it('answers 200 with no-cache, a 44-character token and exactly the UUID', async () => {
    const { server } = await setup();
    const client = await HttpTunnelClient.connect(server.port);
    const { status, headers, body } = client.connectResult;
    assert.equal(status, 200);
    assert.equal(headers['cache-control'], 'no-cache');
    assert.match(client.token, /^[A-Za-z0-9+/]{44}$/);
    assert.equal(body.toString('latin1'), server.tunnels[0]?.uuid);
    assert.equal(body.length, 36);
  });

  const exposed: [GuacamoleError, number][] = [
    [new SecurityError('Forbidden here.'), 403],
    [new ClientOverrunError('Too much.'), 413],
    [new ResourceConflictError('Busy elsewhere.'), 409],
    [new ClientTooManyError('Too many.'), 429],
  ];
  for (const [error, http] of exposed) {
    it(`exposes the message of a client error: ${error.name} → ${http}/${error.status.guac}`, async () => {
      const { server } = await setup({ connect: throwing(error) });
      const result = await fetchTunnel(server.port, { method: 'POST', query: 'connect' });
      assertTunnelError(result, { http, guac: error.status.guac, message: error.message });
    });
  }

  const hidden: [GuacamoleError, number][] = [
    [new ServerError('secret detail'), 500],
    [new ServerBusyError('secret detail'), 503],
    [new UpstreamTimeoutError('secret detail'), 504],
    [new UpstreamNotFoundError('secret detail'), 502],
  ];
  for (const [error, http] of hidden) {
    it(`hides the message of ${error.name} → ${http}/${error.status.guac}`, async () => {
      const { server } = await setup({ connect: throwing(error) });
      const result = await fetchTunnel(server.port, { method: 'POST', query: 'connect' });
      assertTunnelError(result, {
        http,
        guac: error.status.guac,
        message: 'Internal server error.',
      });
      assert.ok(!result.text.includes('secret'));
    });
  }

  it('treats a non-Guacamole exception as 500/512 and hides it', async () => {
    const { server } = await setup({ connect: () => Promise.reject(new Error('secret detail')) });
    const result = await fetchTunnel(server.port, { method: 'POST', query: 'connect' });
    assertTunnelError(result, { http: 500, guac: 512, message: 'Internal server error.' });
  });

  describe('Origin policy', () => {
    it('rejects a cross-origin connect with 403/771 before contacting guacd', async () => {
      const { guacd, server } = await setup();
      const result = await fetchTunnel(server.port, {
        method: 'POST',
        query: 'connect',
        headers: { Origin: 'https://evil.example' },
      });
      assertTunnelError(result, {
        http: 403,
        guac: 771,
        message: 'Origin "https://evil.example" may not open tunnels.',
      });
      assert.equal(guacd.connections.length, 0);
    });

    it('accepts same-origin, no Origin, and listed origins', async () => {
      const { server } = await setup({ allowedOrigins: ['https://guac.example'] });
      for (const origin of [server.origin, undefined, 'https://guac.example']) {
        const headers: Record<string, string> = origin === undefined ? {} : { Origin: origin };
        await HttpTunnelClient.connect(server.port, '', headers);
      }
      const other = await fetchTunnel(server.port, {
        method: 'POST',
        query: 'connect',
        headers: { Origin: 'https://other.example' },
      });
      assert.equal(other.status, 403);
    });
  });
});

describe('HTTP tunnel write', { timeout: 60_000 }, () => {
  it('answers 200 with Content-Length 0, octet-stream and no-cache, and an empty body', async () => {
    const { server } = await setup();
    const client = await HttpTunnelClient.connect(server.port);
    const result = await client.write('4.sync,1.1;');
    assert.equal(result.status, 200);
    assert.equal(result.headers['content-length'], '0');
    assert.equal(result.headers['content-type'], 'application/octet-stream');
    assert.equal(result.headers['cache-control'], 'no-cache');
    assert.equal(result.body.length, 0);
  });

  it('forwards the body unparsed: split instructions, internal ones, large batches', async () => {
    const { guacd, server } = await setup();
    const client = await HttpTunnelClient.connect(server.port);
    const batch = '3.nop;'.repeat(400_000) + '4.sync,1.2;';
    const bodies = ['4.sy', 'nc,1.1;0.,4.ping,13.1723456789012;', batch];
    for (const body of bodies) assert.equal((await client.write(body)).status, 200);
    const conn = await guacd.connection(0);
    await conn.waitFor('sync');
    await conn.waitFor('sync');
    assert.equal(afterHandshake(conn.received), bodies.join(''));
  });

  it('still answers 200 when guacd closes while the body streams', async () => {
    const { guacd, server } = await setup();
    const client = await HttpTunnelClient.connect(server.port);
    const { request, response } = startRequest(server.port, {
      method: 'POST',
      query: `write:${client.uuid}`,
      headers: { 'Guacamole-Tunnel-Token': client.token },
      body: '4.sync,1.1;',
      open: true,
    });
    const conn = await guacd.connection(0);
    await conn.waitFor('sync');
    await conn.close();
    request.end('4.sync,1.2;');
    const answer = await response;
    assert.equal(answer.statusCode, 200);
    assert.equal(answer.headers['content-length'], '0');
    assert.equal(afterHandshake(conn.received), '4.sync,1.1;');
  });
});
