/**
 * @module The `vnc` plugin asks its owner for missing credentials as guacd 1.6 does: `required,password`
 * for VNC Authentication (also inside VeNCrypt's TLS), `required,username` for VeNCrypt Plain; the
 * `argv` answers (split into blobs) complete the handshake against the fake VNC server, other users and
 * mimetypes are refused, leaving while asked leaks nothing, and a 1.1.0 owner still gets 769.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type tls from 'node:tls';
import { ProxyServer } from '../../../src/proxy/index.js';
import { vncAuthResponse } from '../../../src/proxy/vnc/index.js';
import { createVncPlugin } from '../../../src/proxy/vnc-plugin/index.js';
import { FakeVncServer, rfb, type FakeVncConnection } from '../../fakes/fake-vnc-server.js';
import { RawClient, within } from '../helpers.js';

const CHALLENGE = Buffer.from('0123456789abcdef');
const ANONYMOUS_TLS: tls.TlsOptions = {
  ciphers: 'aNULL:@SECLEVEL=0',
  minVersion: 'TLSv1.2',
  maxVersion: 'TLSv1.2',
};

/** What a script saw. */
interface Seen {
  response?: Buffer;
  credentials?: string;
  /** Called when the client closed the connection instead of answering the challenge. */
  onClosed?: () => void;
}

/** After a successful SecurityResult: ServerInit, then reads the client's set-up messages. */
async function serverInit(connection: FakeVncConnection): Promise<void> {
  await connection.read(1);
  await connection.send(rfb.serverInit(64, 48));
  await connection.read(20);
  const encodings = await connection.read(4);
  await connection.read(encodings.readUInt16BE(2) * 4 + 10);
}

/** VNC Authentication: records the response, accepts it when it matches `password`, then ServerInit. */
function vncAuth(password: string, seen: Seen) {
  return async (connection: FakeVncConnection): Promise<void> => {
    await connection.send(Buffer.from('RFB 003.008\n'));
    await connection.read(12);
    await connection.send(rfb.u8(1, 2));
    await connection.read(1);
    await connection.send(CHALLENGE);
    try {
      seen.response = await connection.read(16);
    } catch {
      seen.onClosed?.();
      return;
    }
    const ok = seen.response.equals(Buffer.from(vncAuthResponse(password, CHALLENGE)));
    if (!ok) {
      await connection.send(rfb.u32(1), rfb.string('Authentication failed'));
      return;
    }
    await connection.send(rfb.u32(0));
    await serverInit(connection);
    await connection.waitClosed();
  };
}

/** VeNCrypt Plain (no TLS): records `username` + `password` as sent, then ServerInit. */
function vencryptPlain(seen: Seen) {
  return async (connection: FakeVncConnection): Promise<void> => {
    await connection.send(Buffer.from('RFB 003.008\n'));
    await connection.read(12);
    await connection.send(rfb.u8(1, 19));
    await connection.read(1);
    await connection.send(rfb.u8(0, 2));
    await connection.read(2);
    await connection.send(rfb.u8(0, 1), rfb.u32(256));
    await connection.read(4);
    const lengths = await connection.read(8);
    const user = await connection.read(lengths.readUInt32BE(0));
    const pass = await connection.read(lengths.readUInt32BE(4));
    seen.credentials = `${user.toString('utf8')}:${pass.toString('utf8')}`;
    await connection.send(rfb.u32(0));
    await serverInit(connection);
    await connection.waitClosed();
  };
}

/** VeNCrypt TLSVnc (258) over anonymous TLS: records the VNC Authentication response, then ServerInit. */
function tlsVnc(seen: Seen) {
  return async (connection: FakeVncConnection): Promise<void> => {
    await connection.send(Buffer.from('RFB 003.008\n'));
    await connection.read(12);
    await connection.send(rfb.u8(1, 19));
    await connection.read(1);
    await connection.send(rfb.u8(0, 2));
    await connection.read(2);
    await connection.send(rfb.u8(0, 1), rfb.u32(258));
    await connection.read(4);
    await connection.send(rfb.u8(1));
    await connection.startTls(ANONYMOUS_TLS);
    await connection.send(CHALLENGE);
    seen.response = await connection.read(16);
    await connection.send(rfb.u32(0));
    await serverInit(connection);
    await connection.waitClosed();
  };
}

/** Selects `vnc` (or joins `$id`) with the given version and parameters; returns `ready`'s ID. */
async function handshake(
  client: RawClient,
  select: string,
  version: string,
  parameters: Record<string, string>,
): Promise<string> {
  client.send('select', select);
  const names = (await client.expect('args')).args.slice(1);
  client.send('size', '640', '480', '96');
  client.send('audio');
  client.send('video');
  client.send('image', 'image/png');
  client.send('connect', version, ...names.map((name) => parameters[name] ?? ''));
  return (await client.expect('ready')).args[0] ?? '';
}

/** Sends `value` as argv stream `index` in blobs of `piece` bytes. */
function answer(client: RawClient, index: string, name: string, value: string, piece = 2): void {
  client.send('argv', index, 'text/plain', name);
  const bytes = Buffer.from(value, 'utf8');
  for (let at = 0; at < bytes.length; at += piece) {
    client.send('blob', index, bytes.subarray(at, at + piece).toString('base64'));
  }
  client.send('end', index);
}

describe('vnc plugin: required credentials', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(
    script: (connection: FakeVncConnection) => Promise<void>,
    connectTimeoutMs = 5000,
  ): Promise<{ proxy: ProxyServer; params: Record<string, string>; fake: FakeVncServer }> {
    const fake = await FakeVncServer.start(script);
    const proxy = new ProxyServer({ plugins: [createVncPlugin({ connectTimeoutMs })] });
    cleanups.push(() => fake.close());
    cleanups.push(() => within(proxy.close()));
    return { proxy, fake, params: { hostname: '127.0.0.1', port: String(fake.port) } };
  }

  function connect(proxy: ProxyServer): RawClient {
    const client = new RawClient(proxy);
    cleanups.push(() => {
      client.end.destroy();
    });
    return client;
  }

  it('asks the owner for the VNC password and authenticates with its argv answer', async () => {
    const seen: Seen = {};
    const { proxy, params } = await setup(vncAuth('sécret12', seen));
    const owner = connect(proxy);
    await handshake(owner, 'vnc', 'VERSION_1_5_0', params);
    assert.deepEqual((await owner.expect('required')).args, ['password']);
    answer(owner, '1', 'password', 'sécret12');
    assert.deepEqual((await owner.expect('ack')).args, ['1', 'Ready for updated parameter.', '0']);
    // The first frame's size proves ServerInit was reached, so the response matched.
    const size = await within(owner.expect('size'));
    assert.deepEqual(size.args.slice(1), ['64', '48']);
    assert.ok(seen.response?.equals(Buffer.from(vncAuthResponse('sécret12', CHALLENGE))));
  });

  it('reports a wrong answer as the server refuses it (519), as a configured one', async () => {
    const seen: Seen = {};
    const { proxy, params } = await setup(vncAuth('right', seen));
    const owner = connect(proxy);
    await handshake(owner, 'vnc', 'VERSION_1_5_0', params);
    await owner.expect('required');
    answer(owner, '1', 'password', 'wrong');
    const error = await within(owner.expect('error'));
    assert.equal(error.args[1], '519');
    assert.match(error.args[0] ?? '', /authentication failed/i);
    assert.ok(seen.response?.equals(Buffer.from(vncAuthResponse('wrong', CHALLENGE))));
  });

  it('asks for the VeNCrypt Plain username when only the password is set', async () => {
    const seen: Seen = {};
    const { proxy, params } = await setup(vencryptPlain(seen));
    const owner = connect(proxy);
    await handshake(owner, 'vnc', 'VERSION_1_3_0', { ...params, password: 'pw' });
    assert.deepEqual((await owner.expect('required')).args, ['username']);
    answer(owner, '7', 'username', 'ann');
    await within(owner.expect('size'));
    assert.equal(seen.credentials, 'ann:pw');
  });

  it('asks for the password inside anonymous TLS (VeNCrypt TLSVnc) and goes on over TLS', async () => {
    const seen: Seen = {};
    const { proxy, params } = await setup(tlsVnc(seen));
    const owner = connect(proxy);
    await handshake(owner, 'vnc', 'VERSION_1_5_0', params);
    assert.deepEqual((await owner.expect('required')).args, ['password']);
    answer(owner, '4', 'password', 'tls-pw');
    await within(owner.expect('size'));
    assert.ok(seen.response?.equals(Buffer.from(vncAuthResponse('tls-pw', CHALLENGE))));
  });

  it('asks for both VeNCrypt Plain credentials, username first', async () => {
    const seen: Seen = {};
    const { proxy, params } = await setup(vencryptPlain(seen));
    const owner = connect(proxy);
    await handshake(owner, 'vnc', 'VERSION_1_5_0', params);
    assert.deepEqual((await owner.expect('required')).args, ['username', 'password']);
    answer(owner, '2', 'password', 'pw');
    answer(owner, '3', 'username', 'bob');
    await within(owner.expect('size'));
    assert.equal(seen.credentials, 'bob:pw');
  });

  it("refuses another user's argv (256) and a wrong mimetype (783), then the owner's answer counts", async () => {
    const seen: Seen = {};
    const { proxy, params } = await setup(vncAuth('pw', seen));
    const owner = connect(proxy);
    const id = await handshake(owner, 'vnc', 'VERSION_1_5_0', params);
    await owner.expect('required');
    const guest = connect(proxy);
    await handshake(guest, id, 'VERSION_1_5_0', {});
    answer(guest, '1', 'password', 'pw');
    const refused = await guest.expect('ack');
    assert.deepEqual([refused.args[0], refused.args[2]], ['1', '256']);
    owner.send('argv', '5', 'image/png', 'password');
    const wrongType = await owner.expect('ack');
    assert.deepEqual([wrongType.args[0], wrongType.args[2]], ['5', '783']);
    owner.send('argv', '6', 'text/plain', 'username');
    assert.deepEqual((await owner.expect('ack')).args, ['6', 'Not allowed.', '771']);
    assert.equal(seen.response, undefined);
    answer(owner, '8', 'password', 'pw');
    await within(owner.expect('size'));
    await within(guest.expect('size'));
  });

  it('waits for the answer longer than the connect timeout', async () => {
    const seen: Seen = {};
    const { proxy, params } = await setup(vncAuth('pw', seen), 50);
    const owner = connect(proxy);
    await handshake(owner, 'vnc', 'VERSION_1_5_0', params);
    await owner.expect('required');
    // Time passing is what is tested here (not a synchronisation): three connect timeouts long.
    await new Promise<void>((resolve) => setTimeout(resolve, 150));
    answer(owner, '1', 'password', 'pw');
    await within(owner.expect('size'));
    assert.equal(
      owner.received.some((i) => i.opcode === 'error'),
      false,
    );
  });

  it('closes the VNC connection and leaves no connection behind when the owner leaves while asked', async () => {
    const seen: Seen = {};
    const vncClosed = new Promise<void>((resolve) => (seen.onClosed = resolve));
    const { proxy, params } = await setup(vncAuth('pw', seen));
    const owner = connect(proxy);
    await handshake(owner, 'vnc', 'VERSION_1_5_0', params);
    await owner.expect('required');
    owner.send('disconnect');
    await within(owner.served);
    await within(vncClosed);
    assert.equal(proxy.connectionCount, 0);
    assert.equal(proxy.userCount, 0);
  });

  it('fails a 1.1.0 owner with 769 without asking', async () => {
    const { proxy, params } = await setup(vncAuth('pw', {}));
    const owner = connect(proxy);
    await handshake(owner, 'vnc', 'VERSION_1_1_0', params);
    const error = await owner.expect('error');
    assert.equal(error.args[1], '769');
    assert.equal(owner.received.filter((i) => i.opcode === 'required').length, 0);
  });
});
