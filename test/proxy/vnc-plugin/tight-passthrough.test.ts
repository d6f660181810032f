import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { EventEmitter } from 'node:events';
import sharp from 'sharp';
import { parseInstructions } from '../../../src/protocol/index.js';
import type { ConnectionContext, ProxyUser } from '../../../src/proxy/index.js';
import { parseVncSettings, type VncClient } from '../../../src/proxy/vnc/index.js';
import { Framebuffer } from '../../../src/proxy/vnc/framebuffer.js';
import { VncSession } from '../../../src/proxy/vnc-plugin/session.js';
import { images } from '../display/support.js';

/** The parts of VncClient a session uses, driven by the test. */
class FakeClient extends EventEmitter {
  readonly framebuffer = new Framebuffer(64, 32);
  closed = false;
  close(): void {
    this.closed = true;
  }
}

/** A user that records its output and wakes waiters on every `sync`. */
function recordingUser(mimetypes: string[]) {
  let text = '';
  let wake: (() => void) | undefined;
  const user = {
    id: '@u',
    owner: true,
    readOnly: false,
    info: { imageMimetypes: mimetypes },
    parameters: new Map<string, string>(),
    setHandlers: () => undefined,
    send: () => undefined,
    sendRaw: (chunk: string) => {
      text += chunk;
      if (chunk.includes('4.sync,')) wake?.();
    },
  } as unknown as ProxyUser;
  const syncs = () => parseInstructions(text).filter((i) => i.opcode === 'sync').length;
  const frames = async (count: number) => {
    while (syncs() < count) await new Promise<void>((resolve) => (wake = resolve));
    return parseInstructions(text);
  };
  return { user, frames };
}

/**
 * A session over a fake client whose screen is 64×32 black, with one joined user.
 * @param mimetypes the user's image mimetypes
 * @returns the pieces
 */
async function started(mimetypes: string[]) {
  const client = new FakeClient();
  const failures: string[] = [];
  const context = {
    log: () => undefined,
    abort: (error: Error) => failures.push(error.message),
  } as unknown as ConnectionContext;
  const session = new VncSession(
    context,
    client as unknown as VncClient,
    parseVncSettings({ hostname: 'h' }),
  );
  client.emit('ready', { width: 64, height: 32 });
  const { user, frames } = recordingUser(mimetypes);
  session.join(user);
  await frames(1);
  return { client, session, frames, failures };
}

const rgb = (session: VncSession, x: number, y: number): number[] => {
  const pixels = session.surface?.pixels ?? new Uint8Array(0);
  const at = (y * 64 + x) * 4;
  return [pixels[at] ?? -1, pixels[at + 1] ?? -1, pixels[at + 2] ?? -1];
};

/**
 * A 32×32 JPEG.
 * @param noisy red with noise (an image again when re-encoded) rather than plain red
 * @returns the file
 */
async function jpeg(noisy = false): Promise<Buffer> {
  const noise = { type: 'gaussian' as const, mean: 128, sigma: 40 };
  return await sharp({
    create: {
      width: 32,
      height: 32,
      channels: 3,
      background: { r: 250, g: 0, b: 0 },
      ...(noisy ? { noise } : {}),
    },
  })
    .jpeg({ quality: 95 })
    .toBuffer();
}

describe('Tight JPEG passthrough in the vnc session', () => {
  it('sends the JPEG as is, keeps later drawing in order, and updates the surface', async () => {
    const { client, session, frames } = await started(['image/png', 'image/jpeg']);
    const data = await jpeg();
    client.emit('image', { x: 0, y: 0, width: 32, height: 32 }, 'image/jpeg', new Uint8Array(data));
    // A raw rect over part of the JPEG, sent while the JPEG is still being decoded…
    client.framebuffer.fillRect({ x: 16, y: 0, width: 16, height: 8 }, 0xff0000);
    client.emit('update', { x: 16, y: 0, width: 16, height: 8 }, 0);
    // …after which the framebuffer moves on without telling (the snapshot must be used).
    client.framebuffer.fillRect({ x: 16, y: 0, width: 16, height: 8 }, 0x00ff00);
    client.emit('frameEnd');
    const all = await frames(2);
    const jpegs = images(all).filter((image) => image.mimetype === 'image/jpeg');
    assert.equal(jpegs.length, 1);
    const [only] = jpegs;
    assert.ok(only);
    assert.deepEqual(only.data, data);
    assert.deepEqual([only.x, only.y], [0, 0]);
    // The raw rect (solid blue, so a rect + cfill) follows the JPEG.
    const jpegAt = all.findIndex((i) => i.opcode === 'img' && i.args[3] === 'image/jpeg');
    const blueAt = all.findIndex((i) => i.opcode === 'rect' && i.args.join() === '0,16,0,16,8');
    assert.ok(jpegAt >= 0 && blueAt > jpegAt, `jpeg at ${jpegAt}, blue rect at ${blueAt}`);
    assert.deepEqual(all[blueAt + 1]?.args.slice(2, 5), ['0', '0', '255']);
    assert.deepEqual(rgb(session, 20, 2), [0, 0, 255]);
    const red = rgb(session, 4, 20);
    assert.ok((red[0] as number) > 240 && (red[1] as number) < 10, String(red));
    session.close();
  });

  it('re-encodes instead when a user does not accept JPEG', async () => {
    const { client, session, frames } = await started(['image/png']);
    client.emit('image', { x: 0, y: 0, width: 32, height: 32 }, 'image/jpeg', await jpeg(true));
    client.emit('frameEnd');
    const sent = images(await frames(2));
    assert.ok(sent.length > 1);
    assert.ok(sent.every((image) => image.mimetype === 'image/png'));
    const surface = session.surface?.pixels ?? new Uint8Array(0);
    assert.ok(surface.subarray(0, 32 * 4).some((byte) => byte !== 0));
    session.close();
  });

  it('ends the connection when the server sends an undecodable image', async () => {
    const { client, failures } = await started(['image/png', 'image/jpeg']);
    client.emit('image', { x: 0, y: 0, width: 32, height: 32 }, 'image/jpeg', new Uint8Array(9));
    client.emit('frameEnd');
    while (!client.closed) await new Promise((resolve) => setImmediate(resolve));
    assert.equal(failures.length, 1);
    assert.match(failures[0] ?? '', /undecodable Tight image/);
  });
});
