import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { blockHash, mergeCopies, orderCopies } from '../../../src/proxy/display/copy-search.js';
import { FramePlanner, type FramePlan } from '../../../src/proxy/display/frame-planner.js';
import { Surface } from '../../../src/proxy/display/surface.js';
import type { CopyOp } from '../../../src/proxy/display/surface.js';
import { noise } from './support.js';

/**
 * Replays a plan on a copy of what the client showed, as a Guacamole client would: copies in order
 * (each reading its whole source first), then rects and images from the surface's new pixels.
 * @param before the client's pixels before the frame
 * @param surface the surface after planning (its pixels are the frame's result)
 * @param plan the plan
 * @returns the client's pixels after the frame
 */
function replay(before: Uint8Array, surface: Surface, plan: FramePlan): Uint8Array {
  const out = before.slice();
  const width = surface.width;
  const paste = (
    from: Uint8Array,
    sx: number,
    sy: number,
    w: number,
    h: number,
    dx: number,
    dy: number,
  ) => {
    const rows: Uint8Array[] = [];
    for (let row = 0; row < h; row++) {
      const start = ((sy + row) * width + sx) * 4;
      rows.push(from.slice(start, start + w * 4));
    }
    rows.forEach((bytes, row) => {
      out.set(bytes, ((dy + row) * width + dx) * 4);
    });
  };
  for (const copy of plan.copies) {
    paste(out, copy.src.x, copy.src.y, copy.src.width, copy.src.height, copy.dstX, copy.dstY);
  }
  for (const { rect } of [...plan.rects, ...plan.images]) {
    paste(surface.pixels, rect.x, rect.y, rect.width, rect.height, rect.x, rect.y);
  }
  return out;
}

/**
 * A 512×384 surface showing noise, its first frame planned.
 * @returns the surface and planner
 */
function noisy(): { surface: Surface; planner: FramePlanner } {
  const surface = new Surface(512, 384);
  surface.putPixels({ x: 0, y: 0, width: 512, height: 384 }, noise(512, 384, 3));
  const planner = new FramePlanner();
  planner.plan(surface, 0);
  return { surface, planner };
}

const copy = (sx: number, sy: number, dx: number, dy: number, w = 64, h = 64): CopyOp => ({
  src: { x: sx, y: sy, width: w, height: h },
  dstX: dx,
  dstY: dy,
});

describe('copy search', () => {
  it('sends a scroll of 13 px as a few copies plus the new lines, and the client ends up right', () => {
    const { surface, planner } = noisy();
    const before = surface.clientPixels.slice();
    // The server redraws the screen scrolled up by 13 rows (no CopyRect); new noise at the bottom.
    surface.putPixels({ x: 0, y: 0, width: 512, height: 371 }, surface.pixels.slice(13 * 512 * 4));
    surface.putPixels({ x: 0, y: 371, width: 512, height: 13 }, noise(512, 13, 9));
    const plan = planner.plan(surface, 1000);
    assert.ok(plan);
    assert.ok(plan.copies.length > 0 && plan.copies.length <= 4, `${plan.copies.length} copies`);
    for (const c of plan.copies) assert.equal(c.src.y - c.dstY, 13);
    const imageArea = plan.images.reduce((sum, op) => sum + op.rect.width * op.rect.height, 0);
    // Only the bottom row of cells (which holds the new lines) goes out as images.
    assert.ok(imageArea <= 512 * 64, `images cover ${imageArea} px`);
    assert.deepEqual(replay(before, surface, plan), surface.pixels);
    assert.deepEqual(surface.clientPixels, surface.pixels);
  });

  it('keeps finding scrolls frame after frame, whether or not the offset repeats', () => {
    const { surface, planner } = noisy();
    for (const [frame, rows] of [13, 13, 26, 13].entries()) {
      const before = surface.clientPixels.slice();
      const kept = 384 - rows;
      surface.putPixels(
        { x: 0, y: 0, width: 512, height: kept },
        surface.pixels.slice(rows * 512 * 4),
      );
      surface.putPixels({ x: 0, y: kept, width: 512, height: rows }, noise(512, rows, 20 + frame));
      const plan = planner.plan(surface, 1000 * (frame + 1));
      assert.ok(plan);
      assert.deepEqual(
        plan.copies.map((c) => c.src.y - c.dstY),
        [rows],
      );
      assert.deepEqual(replay(before, surface, plan), surface.pixels);
    }
  });

  it('finds a window moved sideways over a solid background', () => {
    const surface = new Surface(640, 256);
    surface.fillRect({ x: 0, y: 0, width: 640, height: 256 }, { r: 9, g: 99, b: 199, a: 255 });
    surface.putPixels({ x: 64, y: 64, width: 256, height: 128 }, noise(256, 128, 5));
    const planner = new FramePlanner();
    planner.plan(surface, 0);
    const before = surface.clientPixels.slice();
    surface.fillRect({ x: 64, y: 64, width: 256, height: 128 }, { r: 9, g: 99, b: 199, a: 255 });
    surface.putPixels({ x: 72, y: 64, width: 256, height: 128 }, noise(256, 128, 5));
    const plan = planner.plan(surface, 1000);
    assert.ok(plan);
    assert.ok(plan.copies.length > 0);
    for (const c of plan.copies) assert.equal(c.src.x - c.dstX, -8);
    assert.deepEqual(replay(before, surface, plan), surface.pixels);
  });

  it('searches nothing when turned off', () => {
    const surface = new Surface(512, 384);
    surface.putPixels({ x: 0, y: 0, width: 512, height: 384 }, noise(512, 384, 3));
    const planner = new FramePlanner({ copySearch: false });
    planner.plan(surface, 0);
    const shifted = surface.pixels.slice(13 * 512 * 4);
    surface.putPixels({ x: 0, y: 0, width: 512, height: 371 }, shifted);
    const plan = planner.plan(surface, 1000);
    assert.deepEqual(plan?.copies, []);
  });

  it('hashes equal blocks equally wherever they are', () => {
    const words = new Uint32Array(noise(256, 256, 4).buffer);
    const copyOf = new Uint32Array(256 * 256);
    for (let row = 0; row < 64; row++) {
      copyOf.set(words.subarray(row * 256 + 10, row * 256 + 74), (row + 100) * 256 + 150);
    }
    assert.equal(blockHash(words, 256, 10, 0), blockHash(copyOf, 256, 150, 100));
    assert.notEqual(blockHash(words, 256, 10, 0), blockHash(words, 256, 11, 0));
  });

  it('joins neighbouring copies with the same offset', () => {
    const merged = mergeCopies([
      copy(0, 13, 0, 0),
      copy(64, 13, 64, 0),
      copy(0, 77, 0, 64),
      copy(64, 77, 64, 64),
      copy(200, 0, 128, 0),
    ]);
    assert.deepEqual(merged, [copy(0, 13, 0, 0, 128, 128), copy(200, 0, 128, 0)]);
  });

  it('orders copies so that none reads what an earlier one wrote, dropping cycles', () => {
    // b reads a's destination: b must go first.
    const a = copy(0, 64, 0, 0);
    const b = copy(0, 0, 64, 64);
    assert.deepEqual(orderCopies([a, b]), [b, a]);
    // A swap cannot be ordered: the second copy is dropped (its cell goes out as an image).
    const swap = orderCopies([copy(0, 0, 128, 0), copy(128, 0, 0, 0)]);
    assert.equal(swap.length, 1);
  });
});
