/**
 * @module The `rdp` plugin asks its owner for missing credentials before connecting, in guacd's order
 * (`username`, `domain` when that is missing too, `password`); the answered username reaches the RDP
 * server in the X.224 routing cookie. A 1.1.0 owner connects without being asked, as guacd does, and an
 * owner that leaves while asked causes no RDP connection at all.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { ProxyServer } from '../../src/proxy/index.js';
import { missingCredentials } from '../../src/proxy/rdp-plugin/credentials.js';
import { rdpPlugin } from '../../src/proxy/rdp-plugin/index.js';
import { parseRdpSettings } from '../../src/proxy/rdp/index.js';
import { RawClient, within } from './helpers.js';

/** A TCP server standing in for the RDP server: it reports the first bytes of each connection. */
async function cookieServer(): Promise<{
  server: net.Server;
  port: number;
  first: Promise<string>;
}> {
  let report: (text: string) => void = () => undefined;
  const first = new Promise<string>((resolve) => (report = resolve));
  const server = net.createServer((socket) => {
    socket.once('data', (chunk: Buffer) => {
      report(chunk.toString('latin1'));
      socket.destroy();
    });
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  return { server, port: (server.address() as net.AddressInfo).port, first };
}

/** Selects `rdp` with the given version and parameters; returns `ready`'s connection ID. */
async function handshake(
  client: RawClient,
  version: string,
  parameters: Record<string, string>,
): Promise<string> {
  client.send('select', 'rdp');
  const names = (await client.expect('args')).args.slice(1);
  client.send('size', '1024', '768', '96');
  client.send('audio');
  client.send('video');
  client.send('image', 'image/png');
  client.send('connect', version, ...names.map((name) => parameters[name] ?? ''));
  return (await client.expect('ready')).args[0] ?? '';
}

/** Sends `value` as argv stream `index`, in one blob. */
function answer(client: RawClient, index: string, name: string, value: string): void {
  client.send('argv', index, 'text/plain', name);
  client.send('blob', index, Buffer.from(value, 'utf8').toString('base64'));
  client.send('end', index);
}

describe('rdp plugin: required credentials', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup() {
    const rdp = await cookieServer();
    const proxy = new ProxyServer({ plugins: [rdpPlugin] });
    cleanups.push(
      () =>
        new Promise<void>((resolve) => {
          rdp.server.close(() => {
            resolve();
          });
        }),
    );
    cleanups.push(() => within(proxy.close()));
    const params = { hostname: '127.0.0.1', port: String(rdp.port), security: 'tls' };
    return { rdp, proxy, params };
  }

  function connect(proxy: ProxyServer): RawClient {
    const client = new RawClient(proxy);
    cleanups.push(() => {
      client.end.destroy();
    });
    return client;
  }

  it('names what is missing in guacd order', () => {
    const names = (values: Record<string, string>) => missingCredentials(parseRdpSettings(values));
    assert.deepEqual(names({}), ['username', 'domain', 'password']);
    assert.deepEqual(names({ domain: 'CORP' }), ['username', 'password']);
    assert.deepEqual(names({ username: 'ann' }), ['password']);
    assert.deepEqual(names({ username: 'ann', password: 'pw' }), []);
  });

  it('asks for username, domain and password, then connects with the answers', async () => {
    const { rdp, proxy, params } = await setup();
    const owner = connect(proxy);
    await handshake(owner, 'VERSION_1_5_0', params);
    assert.deepEqual((await owner.expect('required')).args, ['username', 'domain', 'password']);
    answer(owner, '1', 'username', 'zoe');
    answer(owner, '2', 'domain', 'CORP');
    answer(owner, '3', 'password', 'secret');
    assert.match(await within(rdp.first), /Cookie: mstshash=zoe\r\n/);
  });

  it('asks only for the password when the username is set', async () => {
    const { rdp, proxy, params } = await setup();
    const owner = connect(proxy);
    await handshake(owner, 'VERSION_1_3_0', { ...params, username: 'ann' });
    assert.deepEqual((await owner.expect('required')).args, ['password']);
    answer(owner, '1', 'password', 'pw');
    assert.match(await within(rdp.first), /mstshash=ann\r\n/);
  });

  it('connects a 1.1.0 owner without asking', async () => {
    const { rdp, proxy, params } = await setup();
    const owner = connect(proxy);
    await handshake(owner, 'VERSION_1_1_0', params);
    const first = await within(rdp.first);
    assert.doesNotMatch(first, /mstshash/);
    assert.equal(owner.received.filter((i) => i.opcode === 'required').length, 0);
  });

  it('makes no RDP connection when the owner leaves while asked', async () => {
    const { rdp, proxy, params } = await setup();
    let connections = 0;
    rdp.server.on('connection', () => connections++);
    const owner = connect(proxy);
    await handshake(owner, 'VERSION_1_5_0', params);
    await owner.expect('required');
    owner.send('disconnect');
    await within(owner.served);
    assert.equal(proxy.connectionCount, 0);
    assert.equal(connections, 0);
  });
});
