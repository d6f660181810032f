import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import type { Rect } from '../../../src/proxy/display/surface.js';
import { decode, joined, rgb } from './display-support.js';
import { images, noise, type ReceivedImage } from './support.js';

/**
 * Pastes received images into an RGB picture of an area.
 * @param received the images
 * @param area the area the picture covers
 * @returns the picture
 */
async function picture(received: readonly ReceivedImage[], area: Rect): Promise<Buffer> {
  const out = Buffer.alloc(area.width * area.height * 3);
  for (const image of received) {
    const { pixels, channels } = await decode(image.data);
    const { width, height } = await sharp(image.data).metadata();
    for (let row = 0; row < height; row++) {
      for (let col = 0; col < width; col++) {
        const x = image.x - area.x + col;
        const y = image.y - area.y + row;
        if (x < 0 || y < 0 || x >= area.width || y >= area.height) continue;
        const from = (row * width + col) * channels;
        pixels.copy(out, (y * area.width + x) * 3, from, from + 3);
      }
    }
  }
  return out;
}

describe('Display capture arena', () => {
  it('gives every image of a frame its own pixels, frame after frame in the same memory', async () => {
    const { surface, display, user } = await joined();
    const left: Rect = { x: 20, y: 30, width: 250, height: 200 };
    const right: Rect = { x: 340, y: 100, width: 200, height: 180 };
    for (let frame = 0; frame < 4; frame++) {
      surface.putPixels(left, noise(left.width, left.height, 20 + frame));
      surface.putPixels(right, noise(right.width, right.height, 40 + frame));
      await display.endFrame();
      const received = images(user.take());
      assert.ok(received.length >= 2, `frame ${frame} sent both areas`);
      for (const area of [left, right]) {
        const shown = await picture(received, area);
        assert.ok(shown.equals(rgb(surface, area)), `frame ${frame} shows its own pixels`);
      }
    }
  });
});
