import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { CELL_SIZE, MAX_DIMENSION, Surface } from '../../../src/proxy/display/surface.js';

const RED = { r: 255, g: 0, b: 0, a: 255 };

/**
 * The coordinates of every dirty cell.
 * @param surface the surface
 * @returns `cx,cy` strings
 */
function dirtyCells(surface: Surface): string[] {
  const cells: string[] = [];
  for (let cy = 0; cy < surface.cellsHigh; cy++) {
    for (let cx = 0; cx < surface.cellsWide; cx++) {
      if (surface.isCellDirty(cx, cy)) cells.push(`${cx},${cy}`);
    }
  }
  return cells;
}

/**
 * A surface whose first frame has been taken, so nothing is pending.
 * @param width the width
 * @param height the height
 * @returns the surface
 */
function settled(width = 256, height = 192): Surface {
  const surface = new Surface(width, height);
  surface.takePending();
  surface.commit({ x: 0, y: 0, width, height });
  return surface;
}

describe('Surface bounds', () => {
  it('rejects sizes outside 1…8192 and non-integers', () => {
    assert.throws(() => new Surface(0, 10), /width must be an integer in \[1, 8192\], got 0/);
    assert.throws(() => new Surface(10, MAX_DIMENSION + 1), /height must be .* got 8193/);
    assert.throws(() => new Surface(-5, 10), /width/);
    assert.throws(() => new Surface(10.5, 10), /width/);
    assert.throws(() => {
      settled().resize(8193, 1);
    }, /width/);
    assert.doesNotThrow(() => new Surface(MAX_DIMENSION, 1));
  });

  it('rejects rects outside, negative, overflowing or non-integer', () => {
    const surface = settled(100, 50);
    const pixels = new Uint8Array(4 * 100 * 50);
    assert.throws(() => {
      surface.putPixels({ x: 90, y: 0, width: 11, height: 1 }, pixels);
    }, /rectangle 11x1\+90\+0 exceeds the 100x50 surface/);
    assert.throws(() => {
      surface.putPixels({ x: -1, y: 0, width: 1, height: 1 }, pixels);
    }, /x must/);
    assert.throws(() => {
      surface.fillRect({ x: 0, y: -1, width: 1, height: 1 }, RED);
    }, /y must/);
    assert.throws(() => {
      surface.fillRect({ x: 0, y: 0, width: 1, height: 51 }, RED);
    }, /exceeds/);
    assert.throws(() => {
      surface.fillRect({ x: 0, y: 0, width: Number.MAX_SAFE_INTEGER, height: 1 }, RED);
    }, /width must/);
    assert.throws(() => {
      surface.fillRect({ x: 2 ** 31 - 1, y: 0, width: 2, height: 1 }, RED);
    }, /x must/);
    assert.throws(() => {
      surface.fillRect({ x: 0.5, y: 0, width: 1, height: 1 }, RED);
    }, /x must/);
    assert.throws(() => {
      surface.fillRect({ x: 0, y: 0, width: 1, height: 1 }, { ...RED, g: 256 });
    }, /color\.g/);
    assert.throws(() => {
      surface.copyRect({ x: 0, y: 0, width: 10, height: 10 }, 95, 0);
    }, /destination/);
    assert.throws(() => {
      surface.copyRect({ x: 95, y: 0, width: 10, height: 10 }, 0, 0);
    }, /exceeds/);
    assert.throws(() => surface.getPixel(100, 0), /exceeds/);
    assert.deepEqual(dirtyCells(surface), [], 'rejected calls must not dirty anything');
  });

  it('rejects short pixel data and bad strides', () => {
    const surface = settled(100, 50);
    const rect = { x: 0, y: 0, width: 10, height: 10 };
    assert.throws(() => {
      surface.putPixels(rect, new Uint8Array(399));
    }, /need 400 bytes, got 399/);
    assert.throws(() => {
      surface.putPixels(rect, new Uint8Array(4000), 39);
    }, /stride/);
    assert.throws(() => {
      surface.putPixels(rect, new Uint8Array(800 * 9 + 39), 800);
    }, /need 7240/);
    assert.doesNotThrow(() => {
      surface.putPixels(rect, new Uint8Array(800 * 9 + 40), 800);
    });
  });
});

describe('Surface drawing and dirty tracking', () => {
  it('starts fully dirty, with a size change pending', () => {
    const surface = new Surface(130, 64);
    assert.equal(surface.cellsWide, 3);
    assert.equal(surface.cellsHigh, 1);
    assert.deepEqual(dirtyCells(surface), ['0,0', '1,0', '2,0']);
    const pending = surface.takePending();
    assert.equal(pending.sizeChanged, true);
    assert.equal(pending.fullRefresh, true);
    assert.deepEqual(dirtyCells(surface), []);
  });

  it('marks exactly the cells a drawing touches', () => {
    const surface = settled();
    surface.fillRect({ x: 63, y: 63, width: 2, height: 2 }, RED);
    assert.deepEqual(dirtyCells(surface), ['0,0', '1,0', '0,1', '1,1']);
    surface.takePending();
    surface.putPixels({ x: 200, y: 130, width: 1, height: 1 }, new Uint8Array([1, 2, 3, 255]));
    assert.deepEqual(dirtyCells(surface), ['3,2']);
    assert.equal(surface.getPixel(200, 130), 0xff030201);
    surface.takePending();
    surface.fillRect({ x: 10, y: 10, width: 0, height: 5 }, RED);
    assert.deepEqual(dirtyCells(surface), [], 'empty rects dirty nothing');
  });

  it('honours the stride of putPixels', () => {
    const surface = settled(4, 2);
    const data = new Uint8Array([1, 1, 1, 255, 9, 9, 9, 9, 2, 2, 2, 255, 8, 8, 8, 8]);
    surface.putPixels({ x: 1, y: 0, width: 1, height: 2 }, data, 8);
    assert.equal(surface.getPixel(1, 0), 0xff010101);
    assert.equal(surface.getPixel(1, 1), 0xff020202);
    assert.equal(surface.getPixel(0, 0), 0xff000000);
  });

  it('records a copy from clean content instead of dirtying, and applies it to both models', () => {
    const surface = settled();
    surface.fillRect({ x: 0, y: 0, width: 64, height: 64 }, RED);
    surface.takePending();
    surface.commit({ x: 0, y: 0, width: 64, height: 64 });
    surface.copyRect({ x: 0, y: 0, width: 64, height: 64 }, 128, 64);
    assert.deepEqual(dirtyCells(surface), []);
    assert.equal(surface.getPixel(130, 70), 0xff0000ff);
    assert.deepEqual(surface.takePending().copies, [
      { src: { x: 0, y: 0, width: 64, height: 64 }, dstX: 128, dstY: 64 },
    ]);
  });

  it('dirties the destination when the source has pending changes', () => {
    const surface = settled();
    surface.fillRect({ x: 0, y: 0, width: 8, height: 8 }, RED);
    surface.copyRect({ x: 0, y: 0, width: 8, height: 8 }, 200, 150);
    assert.deepEqual(dirtyCells(surface), ['0,0', '3,2']);
    assert.equal(surface.getPixel(207, 157), 0xff0000ff);
    assert.deepEqual(surface.takePending().copies, []);
  });

  it('copies overlapping areas correctly (scrolling up and down)', () => {
    const surface = settled(1, 4);
    const column = new Uint8Array([1, 0, 0, 255, 2, 0, 0, 255, 3, 0, 0, 255, 4, 0, 0, 255]);
    surface.putPixels({ x: 0, y: 0, width: 1, height: 4 }, column);
    surface.copyRect({ x: 0, y: 0, width: 1, height: 3 }, 0, 1);
    assert.deepEqual(
      [0, 1, 2, 3].map((y) => surface.getPixel(0, y) & 0xff),
      [1, 1, 2, 3],
    );
    surface.copyRect({ x: 0, y: 1, width: 1, height: 3 }, 0, 0);
    assert.deepEqual(
      [0, 1, 2, 3].map((y) => surface.getPixel(0, y) & 0xff),
      [1, 2, 3, 3],
    );
  });

  it('resizes keeping the overlap, filling new area with opaque black, and resends everything', () => {
    const surface = settled(100, 100);
    surface.fillRect({ x: 0, y: 0, width: 100, height: 100 }, RED);
    surface.takePending();
    surface.resize(150, 50);
    assert.equal(surface.width, 150);
    assert.equal(surface.height, 50);
    assert.equal(surface.getPixel(99, 49), 0xff0000ff);
    assert.equal(surface.getPixel(100, 0), 0xff000000);
    assert.equal(dirtyCells(surface).length, 3 * 1);
    assert.equal(surface.sizeChanged, true);
    assert.equal(surface.fullRefresh, true);
    assert.equal(CELL_SIZE, 64);
  });
});
