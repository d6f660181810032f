import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { FramePlanner } from '../../../src/proxy/display/frame-planner.js';
import { Surface } from '../../../src/proxy/display/surface.js';
import { noise } from './support.js';

const RED = { r: 255, g: 0, b: 0, a: 255 };
const BLUE = { r: 0, g: 0, b: 255, a: 255 };

/**
 * A surface and planner whose first (full) frame has been planned.
 * @param width the width
 * @param height the height
 * @returns both
 */
function settled(width = 512, height = 256): { surface: Surface; planner: FramePlanner } {
  const surface = new Surface(width, height);
  const planner = new FramePlanner();
  planner.plan(surface, 0);
  return { surface, planner };
}

describe('FramePlanner', () => {
  it('plans the first frame as size plus the whole (black) surface as one rect, and nothing after', () => {
    const surface = new Surface(130, 70);
    const planner = new FramePlanner();
    const plan = planner.plan(surface, 0);
    assert.deepEqual(plan?.size, { width: 130, height: 70 });
    assert.deepEqual(plan.images, []);
    assert.deepEqual(
      plan.rects.map((r) => r.rect),
      [{ x: 0, y: 0, width: 130, height: 70 }],
    );
    assert.deepEqual(plan.rects[0]?.color, { r: 0, g: 0, b: 0, a: 255 });
    assert.equal(planner.plan(surface, 1), undefined);
  });

  it('drops drawing that did not change any pixel', () => {
    const { surface, planner } = settled();
    surface.fillRect({ x: 0, y: 0, width: 100, height: 100 }, { r: 0, g: 0, b: 0, a: 255 });
    assert.equal(planner.plan(surface, 10_000), undefined);
  });

  it('refines a dirty cell to the pixels that changed and keeps noise as an image', () => {
    const { surface, planner } = settled();
    surface.fillRect({ x: 0, y: 0, width: 64, height: 64 }, { r: 0, g: 0, b: 0, a: 255 });
    surface.putPixels({ x: 10, y: 20, width: 3, height: 2 }, noise(3, 2));
    const plan = planner.plan(surface, 10_000);
    assert.deepEqual(plan?.images, [{ rect: { x: 10, y: 20, width: 3, height: 2 }, framerate: 0 }]);
    assert.deepEqual(plan.rects, []);
  });

  it('turns single-colour areas into rects and joins same-colour neighbours', () => {
    const { surface, planner } = settled();
    surface.fillRect({ x: 0, y: 0, width: 128, height: 64 }, RED);
    surface.fillRect({ x: 300, y: 100, width: 10, height: 10 }, BLUE);
    const plan = planner.plan(surface, 10_000);
    assert.deepEqual(plan?.rects, [
      { rect: { x: 0, y: 0, width: 128, height: 64 }, color: RED },
      { rect: { x: 300, y: 100, width: 10, height: 10 }, color: BLUE },
    ]);
    assert.deepEqual(plan.images, []);
  });

  it('combines adjacent image cells within the 512-px grid but never across it', () => {
    const { surface, planner } = settled(1024, 128);
    surface.putPixels({ x: 0, y: 0, width: 1024, height: 128 }, noise(1024, 128));
    const plan = planner.plan(surface, 10_000);
    assert.deepEqual(
      plan?.images.map((op) => op.rect),
      [
        { x: 0, y: 0, width: 512, height: 128 },
        { x: 512, y: 0, width: 512, height: 128 },
      ],
    );
  });

  it('keeps distant small updates apart (cost model) and merges a small rect into an image', () => {
    const { surface, planner } = settled();
    surface.putPixels({ x: 0, y: 0, width: 4, height: 4 }, noise(4, 4));
    surface.putPixels({ x: 400, y: 200, width: 4, height: 4 }, noise(4, 4, 7));
    surface.fillRect({ x: 60, y: 0, width: 4, height: 4 }, RED);
    const plan = planner.plan(surface, 10_000);
    assert.deepEqual(
      plan?.images.map((op) => op.rect),
      [
        { x: 0, y: 0, width: 64, height: 4 },
        { x: 400, y: 200, width: 4, height: 4 },
      ],
    );
    assert.deepEqual(plan.rects, []);
  });

  it('reports recorded copies in order and leaves their destinations clean', () => {
    const { surface, planner } = settled();
    surface.fillRect({ x: 0, y: 0, width: 64, height: 64 }, RED);
    planner.plan(surface, 10_000);
    surface.copyRect({ x: 0, y: 0, width: 64, height: 64 }, 64, 0);
    surface.copyRect({ x: 0, y: 0, width: 128, height: 64 }, 0, 64);
    surface.putPixels({ x: 0, y: 0, width: 2, height: 2 }, noise(2, 2));
    const plan = planner.plan(surface, 20_000);
    assert.deepEqual(plan?.copies, [
      { src: { x: 0, y: 0, width: 64, height: 64 }, dstX: 64, dstY: 0 },
      { src: { x: 0, y: 0, width: 128, height: 64 }, dstX: 0, dstY: 64 },
    ]);
    assert.deepEqual(plan.images, [{ rect: { x: 0, y: 0, width: 2, height: 2 }, framerate: 0 }]);
  });

  it('measures each region’s update rate from when its cells were last sent', () => {
    const { surface, planner } = settled();
    const patch = { x: 100, y: 100, width: 8, height: 8 };
    surface.putPixels(patch, noise(8, 8, 1));
    assert.equal(planner.plan(surface, 10_000)?.images[0]?.framerate, 0);
    surface.putPixels(patch, noise(8, 8, 2));
    assert.equal(planner.plan(surface, 10_100)?.images[0]?.framerate, 10);
    surface.putPixels(patch, noise(8, 8, 3));
    assert.equal(planner.plan(surface, 10_600)?.images[0]?.framerate, 2);
  });

  it('reports a resize as size plus a full resend', () => {
    const { surface, planner } = settled(128, 64);
    surface.resize(64, 64);
    const plan = planner.plan(surface, 10_000);
    assert.deepEqual(plan?.size, { width: 64, height: 64 });
    assert.deepEqual(
      plan.rects.map((r) => r.rect),
      [{ x: 0, y: 0, width: 64, height: 64 }],
    );
  });
});
