/**
 * @module The `vnc` plugin against the scripted fake VNC server: the first frame reaches the user as
 * decodable images, input and clipboard reach the server, joining users get the screen, and every
 * failure (authentication, missing password, unreachable server, malicious rect) maps to guacd's code.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { afterEach, describe, it } from 'node:test';
import { ProxyServer } from '../../../src/proxy/index.js';
import { createVncPlugin } from '../../../src/proxy/vnc-plugin/index.js';
import {
  FakeVncServer,
  acceptNone38,
  rfb,
  type FakeVncConnection,
} from '../../fakes/fake-vnc-server.js';
import { within } from '../helpers.js';
import { VncUser } from './support.js';

const BACKGROUND = 0x112233;
const SPOT = 0xaabbcc;

/** A raw rect of one colour. */
function rawRect(x: number, y: number, width: number, height: number, rgb: number): Buffer {
  const pixels = Buffer.concat(Array.from({ length: width * height }, () => rfb.pixel(rgb)));
  return Buffer.concat([rfb.rect(x, y, width, height, 0), pixels]);
}

/** Accepts with security None and sends a 64×48 background with an 8×8 spot at (8, 8). */
async function drawScreen(connection: FakeVncConnection): Promise<void> {
  await acceptNone38(connection, 64, 48);
  await connection.send(
    rfb.update(2),
    rawRect(0, 0, 64, 48, BACKGROUND),
    rawRect(8, 8, 8, 8, SPOT),
  );
}

/** Offers VNC authentication only and fails whatever response arrives. */
async function rejectPassword(connection: FakeVncConnection): Promise<void> {
  await connection.send(Buffer.from('RFB 003.008\n'));
  await connection.read(12);
  await connection.send(rfb.u8(1, 2));
  await connection.read(1);
  await connection.send(Buffer.alloc(16, 7));
  await connection.read(16);
  await connection.send(rfb.u32(1), rfb.string('Authentication failed'));
  await connection.waitClosed();
}

/**
 * VeNCrypt with the Plain sub-type only: reports the credentials the client sent, then draws the screen
 * like drawScreen.
 */
function plainThenScreen(report: (credentials: Buffer) => void) {
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
    report(await connection.read(lengths.readUInt32BE(0) + lengths.readUInt32BE(4)));
    await connection.send(rfb.u32(0));
    await connection.read(1);
    await connection.send(rfb.serverInit(64, 48));
    await connection.read(20);
    const encodings = await connection.read(4);
    await connection.read(encodings.readUInt16BE(2) * 4 + 10);
    await connection.send(rfb.update(1), rawRect(0, 0, 64, 48, BACKGROUND));
    await connection.waitClosed();
  };
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('vnc plugin against the fake VNC server', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  async function setup(
    script: (connection: FakeVncConnection) => Promise<void>,
  ): Promise<{ proxy: ProxyServer; fake: FakeVncServer }> {
    const fake = await FakeVncServer.start(script);
    const proxy = new ProxyServer({ plugins: [createVncPlugin({ connectTimeoutMs: 5000 })] });
    cleanups.push(() => fake.close());
    cleanups.push(() => within(proxy.close()));
    return { proxy, fake };
  }

  async function open(
    proxy: ProxyServer,
    parameters: Record<string, string>,
    protocol?: string,
  ): Promise<VncUser> {
    const user = await within(VncUser.open(proxy, parameters, protocol));
    cleanups.push(() => {
      user.socket.close();
    });
    return user;
  }

  it('draws the first frame and forwards key, mouse and clipboard both ways', async () => {
    let reportInput: (bytes: Buffer[]) => void = () => undefined;
    const input = new Promise<Buffer[]>((resolve) => (reportInput = resolve));
    const { proxy, fake } = await setup(async (connection) => {
      await drawScreen(connection);
      await connection.read(10); // the next FramebufferUpdateRequest
      const key = await connection.read(8);
      const pointer = await connection.read(6);
      await connection.send(rfb.u8(3, 0, 0, 0), rfb.string('h\u00e9llo', 'latin1'));
      const cut = await connection.read(8);
      const text = await connection.read(cut.readUInt32BE(4));
      reportInput([key, pointer, cut.subarray(0, 1), text]);
      await connection.waitClosed();
    });
    const user = await open(proxy, { hostname: '127.0.0.1', port: String(fake.port) });
    await within(user.waitForPixel(0, 0, BACKGROUND));
    assert.deepEqual([user.screen.width, user.screen.height], [64, 48]);
    assert.equal(user.screen.pixel(8, 8), SPOT);
    assert.equal(user.screen.pixel(15, 15), SPOT);
    assert.equal(user.screen.pixel(16, 16), BACKGROUND);
    assert.ok(user.received.some((i) => i.opcode === 'img' && i.args[3] === 'image/png'));

    await user.send('key', '65', '1');
    await user.send('mouse', '5', '6', '9');
    const clipboard = await within(user.expect('clipboard'));
    assert.equal(clipboard.args[1], 'text/plain');
    const blob = await within(user.expect('blob'));
    assert.equal(Buffer.from(blob.args[1] ?? '', 'base64').toString('utf8'), 'h\u00e9llo');
    await user.send('clipboard', '3', 'text/plain');
    await user.send('blob', '3', Buffer.from('z\u00df\u20ac', 'utf8').toString('base64'));
    await user.send('end', '3');

    const [key, pointer, cutType, text] = await within(input);
    assert.deepEqual([...(key ?? [])], [4, 1, 0, 0, 0, 0, 0, 65]);
    assert.deepEqual([...(pointer ?? [])], [5, 9, 0, 5, 0, 6]);
    assert.deepEqual([...(cutType ?? [])], [6]);
    assert.equal(text?.toString('latin1'), 'z\u00df?');
  });

  it('sends a joining user the whole screen and drops input from a read-only user', async () => {
    let reportKey: (bytes: Buffer) => void = () => undefined;
    const firstKey = new Promise<Buffer>((resolve) => (reportKey = resolve));
    const { proxy, fake } = await setup(async (connection) => {
      await drawScreen(connection);
      await connection.read(10);
      reportKey(await connection.read(8));
      await connection.waitClosed();
    });
    const owner = await open(proxy, { hostname: '127.0.0.1', port: String(fake.port) });
    await within(owner.waitForPixel(8, 8, SPOT));
    const viewer = await open(proxy, { 'read-only': 'true' }, owner.socket.connectionId);
    await within(viewer.waitForPixel(8, 8, SPOT));
    assert.equal(viewer.screen.pixel(0, 0), BACKGROUND);

    await viewer.send('key', '66', '1');
    await viewer.send('clipboard', '1', 'text/plain'); // refused: read-only; its ack orders the key
    const ack = await within(viewer.expect('ack'));
    assert.equal(ack.args[2], '256');
    await owner.send('key', '65', '0');
    assert.deepEqual([...(await within(firstKey))], [4, 0, 0, 0, 0, 0, 0, 65]);
  });

  it('reports a wrong password as 519', async () => {
    const { proxy, fake } = await setup(rejectPassword);
    const user = await open(proxy, {
      hostname: '127.0.0.1',
      port: String(fake.port),
      password: 'wrong',
    });
    const error = await within(user.expect('error'));
    assert.equal(error.args[1], '519');
    assert.match(error.args[0] ?? '', /authentication failed/i);
  });

  it('asks a 1.3.0+ owner for a missing password with `required` (769 for older: required.test.ts)', async () => {
    const { proxy, fake } = await setup(rejectPassword);
    const user = await open(proxy, { hostname: '127.0.0.1', port: String(fake.port) });
    const required = await within(user.expect('required'));
    assert.deepEqual(required.args, ['password']);
  });

  it('authenticates with VeNCrypt Plain from the username and password parameters', async () => {
    let credentials = '';
    const { proxy, fake } = await setup(
      plainThenScreen((bytes) => (credentials = bytes.toString('utf8'))),
    );
    const user = await open(proxy, {
      hostname: '127.0.0.1',
      port: String(fake.port),
      username: 'ann',
      password: 'pw',
    });
    await within(user.waitForPixel(0, 0, BACKGROUND));
    assert.equal(credentials, 'annpw');
  });

  it('asks a 1.3.0+ owner for a missing VeNCrypt username with `required`', async () => {
    const { proxy, fake } = await setup(plainThenScreen(() => undefined));
    const params = { hostname: '127.0.0.1', port: String(fake.port), password: 'pw' };
    const user = await open(proxy, params);
    const required = await within(user.expect('required'));
    assert.deepEqual(required.args, ['username']);
  });

  it('converts clipboard text with clipboard-encoding both ways', async () => {
    let reportCut: (text: Buffer) => void = () => undefined;
    const cut = new Promise<Buffer>((resolve) => (reportCut = resolve));
    const { proxy, fake } = await setup(async (connection) => {
      await drawScreen(connection);
      await connection.read(10);
      await connection.send(rfb.u8(3, 0, 0, 0), rfb.string('Ω ✓', 'utf16le'));
      const header = await connection.read(8);
      reportCut(await connection.read(header.readUInt32BE(4)));
      await connection.waitClosed();
    });
    const params = { hostname: '127.0.0.1', port: String(fake.port) };
    const user = await open(proxy, { ...params, 'clipboard-encoding': 'UTF-16' });
    await within(user.expect('clipboard'));
    const blob = await within(user.expect('blob'));
    assert.equal(Buffer.from(blob.args[1] ?? '', 'base64').toString('utf8'), 'Ω ✓');
    await user.send('clipboard', '3', 'text/plain');
    await user.send('blob', '3', Buffer.from('z€', 'utf8').toString('base64'));
    await user.send('end', '3');
    assert.equal((await within(cut)).toString('utf16le'), 'z€');
  });

  it('honours disable-copy and disable-paste', async () => {
    let reportNext: (bytes: Buffer) => void = () => undefined;
    const next = new Promise<Buffer>((resolve) => (reportNext = resolve));
    const { proxy, fake } = await setup(async (connection) => {
      await drawScreen(connection);
      await connection.read(10);
      await connection.send(rfb.u8(3, 0, 0, 0), rfb.string('secret'));
      await connection.send(rfb.update(1), rawRect(0, 0, 1, 1, SPOT));
      await connection.read(10);
      reportNext(await connection.read(1));
      await connection.waitClosed();
    });
    const params = { hostname: '127.0.0.1', port: String(fake.port) };
    const user = await open(proxy, { ...params, 'disable-copy': 'true', 'disable-paste': 'true' });
    await within(user.waitForPixel(0, 0, SPOT));
    assert.ok(
      !user.received.some((i) => i.opcode === 'clipboard'),
      'no clipboard reached the user',
    );
    await user.send('clipboard', '3', 'text/plain');
    await user.send('blob', '3', Buffer.from('paste', 'utf8').toString('base64'));
    await user.send('end', '3');
    await user.send('key', '65', '1');
    assert.deepEqual([...(await within(next))], [4], 'the key came first: the paste was dropped');
  });

  it('honours encodings, cursor and color-depth in SetPixelFormat and SetEncodings', async () => {
    let report: (setup: [Buffer, number[]]) => void = () => undefined;
    const sent = new Promise<[Buffer, number[]]>((resolve) => (report = resolve));
    const { proxy, fake } = await setup(async (connection) => {
      await connection.send(Buffer.from('RFB 003.008\n'));
      await connection.read(12);
      await connection.send(rfb.u8(1, 1));
      await connection.read(1);
      await connection.send(rfb.u32(0));
      await connection.read(1);
      await connection.send(rfb.serverInit(64, 48));
      const pixelFormat = await connection.read(20);
      const count = (await connection.read(4)).readUInt16BE(2);
      const list = await connection.read(count * 4);
      report([pixelFormat, Array.from({ length: count }, (_, i) => list.readInt32BE(i * 4))]);
      await connection.waitClosed();
    });
    await open(proxy, {
      hostname: '127.0.0.1',
      port: String(fake.port),
      encodings: 'hextile raw',
      cursor: 'remote',
      'swap-red-blue': 'true',
      'color-depth': '16',
    });
    const [pixelFormat, encodings] = await within(sent);
    // color-depth 16 asks for RGB565, as guacd does; swap-red-blue is applied when converting.
    assert.deepEqual([...pixelFormat.subarray(4, 8)], [16, 16, 0, 1]);
    assert.deepEqual([...pixelFormat.subarray(14, 17)], [11, 5, 0]);
    assert.deepEqual(encodings.slice(0, 2), [5, 0]);
    assert.ok(!encodings.includes(-239), 'no Cursor pseudo-encoding with cursor=remote');
    assert.ok(!encodings.includes(16), 'only the listed encodings');
  });

  it('drops all input on a read-only connection', async () => {
    let report: (outcome: string) => void = () => undefined;
    const outcome = new Promise<string>((resolve) => (report = resolve));
    const { proxy, fake } = await setup(async (connection) => {
      await drawScreen(connection);
      await connection.read(10);
      report(
        await connection.read(1).then(
          (b) => `received ${b.toString('hex')}`,
          () => 'nothing',
        ),
      );
    });
    const params = { hostname: '127.0.0.1', port: String(fake.port), 'read-only': 'true' };
    const user = await open(proxy, params);
    await within(user.waitForPixel(0, 0, BACKGROUND));
    await user.send('key', '65', '1');
    await user.send('mouse', '5', '6', '1');
    await user.send('clipboard', '3', 'text/plain');
    await user.send('end', '3');
    await user.send('size', '100', '100');
    user.socket.close();
    assert.equal(await within(outcome), 'nothing');
  });

  it('reports an unreachable server as 519 "Unable to connect to VNC server."', async () => {
    const proxy = new ProxyServer({ plugins: [createVncPlugin()] });
    cleanups.push(() => within(proxy.close()));
    const user = await open(proxy, { hostname: '127.0.0.1', port: String(await freePort()) });
    const error = await within(user.expect('error'));
    assert.equal(error.args[1], '519');
    assert.match(error.args[0] ?? '', /^Unable to connect to VNC server\./);
  });

  it('ends only the connection whose server sends a rect outside the screen', async () => {
    let connections = 0;
    const { proxy, fake } = await setup(async (connection) => {
      if (++connections === 1) {
        await acceptNone38(connection, 64, 48);
        await connection.send(rfb.update(1), rawRect(60, 40, 8, 8, SPOT));
      } else await drawScreen(connection);
      await connection.waitClosed();
    });
    const params = { hostname: '127.0.0.1', port: String(fake.port) };
    const bad = await open(proxy, params);
    const error = await within(bad.expect('error'));
    assert.equal(error.args[1], '515');
    assert.match(error.args[0] ?? '', /outside/);
    const good = await open(proxy, params);
    await within(good.waitForPixel(8, 8, SPOT));
    assert.equal(proxy.connectionCount, 1);
  });
});
