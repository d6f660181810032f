import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { Display } from '../../../src/proxy/display/display.js';
import { Surface } from '../../../src/proxy/display/surface.js';
import { ManualClock, RecordingUser, images, noise } from './support.js';

const WIDTH = 1920;
const HEIGHT = 1080;

/**
 * Sends one full 1920×1080 noise frame while sampling event-loop delay every millisecond.
 * @param mimetypes the user's image mimetypes
 * @returns the p99 and max delay in milliseconds, and the image mimetypes sent
 */
async function measure(
  mimetypes: readonly string[],
): Promise<{ p99: number; max: number; types: string[] }> {
  const clock = new ManualClock();
  const surface = new Surface(WIDTH, HEIGHT);
  const display = new Display(surface, { now: clock.now });
  const user = new RecordingUser(mimetypes);
  await display.addUser(user);
  user.take();
  surface.putPixels({ x: 0, y: 0, width: WIDTH, height: HEIGHT }, noise(WIDTH, HEIGHT, 11));
  clock.advance(100);
  const histogram = monitorEventLoopDelay({ resolution: 1 });
  histogram.enable();
  await display.endFrame();
  histogram.disable();
  const types = images(user.take()).map((image) => image.mimetype);
  return { p99: histogram.percentile(99) / 1e6, max: histogram.max / 1e6, types };
}

describe('event loop while encoding', () => {
  it('stays responsive while a 1920×1080 frame is encoded as PNG (p99 < 50 ms)', async () => {
    const { p99, types } = await measure(['image/png']);
    assert.ok(types.length > 0 && types.every((type) => type === 'image/png'));
    assert.ok(p99 < 50, `event-loop delay p99 ${p99.toFixed(1)} ms`);
  });

  it('stays responsive while a 1920×1080 frame is encoded as JPEG (p99 < 50 ms)', async () => {
    const { p99, types } = await measure(['image/png', 'image/jpeg']);
    assert.ok(types.length > 0 && types.every((type) => type === 'image/jpeg'));
    assert.ok(p99 < 50, `event-loop delay p99 ${p99.toFixed(1)} ms`);
  });
});
