/**
 * @module Server cursors the Display would refuse as they come: a hotspot on the image's far edge (x11vnc
 * sends these once XFixes is active) is clamped, and an empty 0×0 cursor hides the pointer; neither ends
 * the connection.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import { ProxyServer } from '../../../src/proxy/index.js';
import { createVncPlugin } from '../../../src/proxy/vnc-plugin/index.js';
import { FakeVncServer, acceptNone38, rfb } from '../../fakes/fake-vnc-server.js';
import { within } from '../helpers.js';
import { VncUser } from './support.js';

/** The Cursor pseudo-encoding. */
const CURSOR = -239;
const COLOUR = 0x336699;

/** A Cursor rect: hotspot (x, y), w×h opaque pixels of one colour, and a mask with every bit set. */
function cursorRect(x: number, y: number, width: number, height: number): Buffer {
  const pixels = Buffer.concat(Array.from({ length: width * height }, () => rfb.pixel(0xffffff)));
  const mask = Buffer.alloc(Math.ceil(width / 8) * height, 0xff);
  return Buffer.concat([rfb.rect(x, y, width, height, CURSOR), pixels, mask]);
}

/** A raw rect of one colour. */
function rawRect(width: number, height: number, rgb: number): Buffer {
  const pixels = Buffer.concat(Array.from({ length: width * height }, () => rfb.pixel(rgb)));
  return Buffer.concat([rfb.rect(0, 0, width, height, 0), pixels]);
}

describe('vnc plugin: server cursors', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  /** Sends one cursor, then a frame; resolves with the cursor instruction the user received. */
  async function run(cursor: Buffer): Promise<{ args: readonly string[]; user: VncUser }> {
    const fake = await FakeVncServer.start(async (connection) => {
      await acceptNone38(connection, 16, 8);
      await connection.send(rfb.update(2), cursor, rawRect(16, 8, COLOUR));
      await connection.waitClosed();
    });
    const proxy = new ProxyServer({ plugins: [createVncPlugin({ connectTimeoutMs: 5000 })] });
    cleanups.push(() => fake.close());
    cleanups.push(() => within(proxy.close()));
    const user = await within(
      VncUser.open(proxy, { hostname: '127.0.0.1', port: String(fake.port) }),
    );
    cleanups.push(() => {
      user.socket.close();
    });
    await within(user.waitForPixel(15, 7, COLOUR));
    const instruction = user.received.find((i) => i.opcode === 'cursor');
    assert.ok(instruction, 'a cursor instruction was sent');
    assert.equal(
      user.received.find((i) => i.opcode === 'error'),
      undefined,
    );
    return { args: instruction.args, user };
  }

  it('clamps a hotspot on the far edge onto the last pixel and keeps the connection', async () => {
    const { args } = await run(cursorRect(4, 2, 4, 2));
    // cursor x y srclayer srcx srcy w h
    assert.deepEqual([args[0], args[1], args[5], args[6]], ['3', '1', '4', '2']);
  });

  it('hides the pointer for an empty 0×0 cursor', async () => {
    const { args } = await run(rfb.rect(0, 0, 0, 0, CURSOR));
    assert.deepEqual([args[0], args[1], args[5], args[6]], ['0', '0', '1', '1']);
  });
});
