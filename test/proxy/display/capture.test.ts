import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { captureImage, encodeCaptured } from '../../../src/proxy/display/image-encoder.js';
import { Surface } from '../../../src/proxy/display/surface.js';
import { decode } from './display-support.js';
import { noise } from './support.js';

const SETTINGS = { lossless: false, opaque: true, jpeg: true, webp: false, quality: 80 };

/**
 * A 128×64 surface whose client model shows noise.
 * @returns the surface
 */
function shown(): Surface {
  const surface = new Surface(128, 64);
  surface.putPixels({ x: 0, y: 0, width: 128, height: 64 }, noise(128, 64, 2));
  surface.commit({ x: 0, y: 0, width: 128, height: 64 });
  return surface;
}

describe('captureImage + encodeCaptured', () => {
  it('encodes the pixels as captured, even after the client model moved on', async () => {
    const surface = shown();
    const rect = { x: 3, y: 5, width: 20, height: 10 };
    const captured = captureImage(surface, rect);
    assert.deepEqual(captured.area, { x: 0, y: 0, width: 32, height: 16 });
    const expected = Buffer.from(surface.clientPixels);
    surface.fillRect({ x: 0, y: 0, width: 128, height: 64 }, { r: 1, g: 2, b: 3, a: 255 });
    surface.commit({ x: 0, y: 0, width: 128, height: 64 });
    // Updated rarely: PNG, cut back to the exact rect.
    const job = encodeCaptured(captured, 0, SETTINGS);
    assert.equal(job.mimetype, 'image/png');
    assert.deepEqual(job.rect, rect);
    const { pixels, channels } = await decode(await job.data);
    for (let row = 0; row < rect.height; row++) {
      for (let col = 0; col < rect.width; col++) {
        const at = ((rect.y + row) * 128 + rect.x + col) * 4;
        const got = (row * rect.width + col) * channels;
        assert.deepEqual([...pixels.subarray(got, got + 3)], [...expected.subarray(at, at + 3)]);
      }
    }
  });

  it('keeps the 16-px alignment for a frequently updated noisy area sent as JPEG', () => {
    const surface = shown();
    const job = encodeCaptured(
      captureImage(surface, { x: 3, y: 5, width: 90, height: 50 }),
      30,
      SETTINGS,
    );
    assert.equal(job.mimetype, 'image/jpeg');
    assert.deepEqual(job.rect, { x: 0, y: 0, width: 96, height: 64 });
  });
});
