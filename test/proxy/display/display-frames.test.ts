import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { encodeImage, extractPixels } from '../../../src/proxy/display/image-encoder.js';
import type { Surface } from '../../../src/proxy/display/surface.js';
import { RED, decode, joined, rgb } from './display-support.js';
import { RecordingUser, images, noise, opcodes } from './support.js';

describe('Display frames', () => {
  it('sends a solid area as rect + cfill, then sync with timestamp and frame count', async () => {
    const { surface, display, user, clock } = await joined();
    surface.fillRect({ x: 64, y: 0, width: 64, height: 64 }, RED);
    clock.advance(100);
    await display.endFrame(3);
    assert.equal(
      user.sent.join(''),
      '4.rect,1.0,2.64,1.0,2.64,2.64;5.cfill,2.14,1.0,3.255,1.0,1.0,3.255;4.sync,7.1000100,1.3;',
    );
    assert.equal(display.lastSentTimestamp, 1000100);
  });

  it('sends nothing for a frame without changes', async () => {
    const { display, user } = await joined();
    await display.endFrame();
    assert.deepEqual(user.sent, []);
  });

  it('emits copies first, in order, before the fills and images that depend on them', async () => {
    const { surface, display, user } = await joined();
    surface.fillRect({ x: 0, y: 0, width: 64, height: 64 }, RED);
    await display.endFrame();
    user.take();
    surface.copyRect({ x: 0, y: 0, width: 64, height: 64 }, 100, 100);
    surface.putPixels({ x: 110, y: 110, width: 8, height: 8 }, noise(8, 8));
    surface.copyRect({ x: 100, y: 100, width: 64, height: 64 }, 300, 0);
    surface.fillRect({ x: 0, y: 0, width: 64, height: 64 }, { r: 0, g: 0, b: 0, a: 255 });
    await display.endFrame();
    const out = user.take();
    assert.deepEqual(opcodes(out).slice(0, 4), ['copy', 'rect', 'cfill', 'img']);
    assert.equal(String(out[0]), '4.copy,1.0,1.0,1.0,2.64,2.64,2.14,1.0,3.100,3.100;');
    assert.equal(opcodes(out).filter((op) => op === 'copy').length, 1, 'second source was dirty');
    const [image] = images(out);
    assert.equal(image?.mimetype, 'image/png');
    assert.equal(opcodes(out).at(-1), 'sync');
    assert.ok(opcodes(out).indexOf('img') > opcodes(out).lastIndexOf('cfill'));
  });

  it('round-trips PNG updates exactly', async () => {
    const { surface, display, user } = await joined();
    surface.putPixels({ x: 30, y: 40, width: 200, height: 150 }, noise(200, 150, 9));
    await display.endFrame();
    const received = images(user.take());
    assert.ok(received.length >= 1);
    for (const image of received) {
      assert.equal(image.mimetype, 'image/png');
      assert.equal(image.mask, 14);
      assert.equal(image.layer, 0);
      const { pixels, channels } = await decode(image.data);
      const meta = await sharp(image.data).metadata();
      assert.equal(channels, 3);
      const rect = { x: image.x, y: image.y, width: meta.width, height: meta.height };
      assert.deepEqual(pixels, rgb(surface, rect));
    }
    const area = received.reduce((sum, image) => sum + image.data.length, 0);
    assert.ok(area > 0);
  });

  it('chooses JPEG only when listed, large and frequently updated (16-px aligned)', async () => {
    const run = async (mimetypes: readonly string[], lossless = false, size = 200) => {
      const { surface, display, user, clock } = await joined(mimetypes, lossless);
      const types: string[] = [];
      for (let frame = 0; frame < 3; frame++) {
        surface.putPixels(
          { x: 10, y: 10, width: size, height: size },
          noise(size, size, frame + 1),
        );
        clock.advance(frame === 0 ? 10_000 : 100);
        await display.endFrame();
        types.push(
          ...images(user.take()).map((image) => `${image.mimetype}@${image.x},${image.y}`),
        );
      }
      return types;
    };
    const jpeg = await run(['image/png', 'image/jpeg']);
    assert.equal(jpeg[0], 'image/png@10,10', 'first update: no rate yet');
    assert.ok(
      jpeg.slice(1).every((type) => type.startsWith('image/jpeg@0,0')),
      jpeg.join(' '),
    );
    assert.ok((await run(['image/png'])).every((type) => type.startsWith('image/png')));
    assert.ok(
      (await run(['image/png', 'image/jpeg'], true)).every((t) => t.startsWith('image/png')),
    );
    assert.ok(
      (await run(['image/png', 'image/jpeg'], false, 60)).every((t) => t.startsWith('image/png')),
    );
    const webp = await run(['image/png', 'image/jpeg', 'image/webp']);
    assert.ok(
      webp.slice(1).every((type) => type.startsWith('image/webp@8,8')),
      webp.join(' '),
    );
  });

  it('uses JPEG only when every user accepts it', async () => {
    const { surface, display, user, clock } = await joined(['image/jpeg']);
    await display.addUser(new RecordingUser(['image/png']));
    for (let frame = 0; frame < 3; frame++) {
      surface.putPixels({ x: 0, y: 0, width: 128, height: 128 }, noise(128, 128, frame + 1));
      clock.advance(50);
      await display.endFrame();
    }
    assert.ok(images(user.take()).every((image) => image.mimetype === 'image/png'));
  });

  it('lowers JPEG quality as processing lag grows (90 at no lag, 30 at 80 ms)', async () => {
    const jpegAtLag = async (lag: number): Promise<{ data: Buffer; surface: Surface }> => {
      const { surface, display, user, clock } = await joined(['image/jpeg']);
      const frame = async (seed: number): Promise<Buffer[]> => {
        surface.putPixels({ x: 0, y: 0, width: 128, height: 128 }, noise(128, 128, seed));
        clock.advance(100);
        await display.endFrame();
        return images(user.take()).map((image) => image.data);
      };
      await frame(1);
      clock.advance(10);
      display.handleSync(user, display.lastSentTimestamp);
      await frame(2);
      clock.advance(10 + lag);
      display.handleSync(user, display.lastSentTimestamp);
      assert.equal(display.processingLag, lag);
      const [data] = await frame(3);
      assert.ok(data);
      return { data, surface };
    };
    for (const [lag, quality] of [
      [0, 90],
      [50, 60],
      [80, 30],
    ] as const) {
      const { data, surface } = await jpegAtLag(lag);
      const raw = extractPixels(surface.pixels, surface.width, {
        x: 0,
        y: 0,
        width: 128,
        height: 128,
      });
      assert.deepEqual(data, await encodeImage(raw, 128, 128, true, 'image/jpeg', quality));
    }
  });

  it('keeps blobs within 6048 base64 characters and streams even, freed and reused', async () => {
    const { surface, display, user } = await joined();
    surface.putPixels({ x: 0, y: 0, width: 640, height: 480 }, noise(640, 480, 3));
    await display.endFrame();
    const received = images(user.take());
    assert.ok(received.length > 1);
    assert.ok(received.every((image) => image.blobLengths.every((length) => length <= 6048)));
    assert.ok(
      received.every((image) => image.stream === 0),
      'each stream is ended before the next',
    );
  });
});
