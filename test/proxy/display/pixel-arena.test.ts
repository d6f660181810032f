import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ARENA_KEEP_BYTES, PixelArena } from '../../../src/proxy/display/pixel-arena.js';

describe('PixelArena', () => {
  it('hands out separate, 4-byte aligned slices of one buffer once it has grown', () => {
    const arena = new PixelArena();
    arena.take(10);
    arena.reset();
    const capacity = arena.capacity;
    assert.ok(capacity >= 12);
    const a = arena.take(6);
    const b = arena.take(8);
    assert.equal(a.buffer, b.buffer);
    assert.equal(b.byteOffset % 4, 0);
    assert.ok(b.byteOffset >= a.byteOffset + 6);
    a.fill(1);
    b.fill(2);
    assert.deepEqual([...a], [1, 1, 1, 1, 1, 1]);
    assert.equal(a.length, 6);
    assert.equal(b.length, 8);
  });

  it('reuses the same memory after reset', () => {
    const arena = new PixelArena();
    arena.take(64);
    arena.reset();
    const first = arena.take(64);
    arena.reset();
    const second = arena.take(64);
    assert.equal(first.buffer, second.buffer);
    assert.equal(first.byteOffset, second.byteOffset);
  });

  it('serves a frame that does not fit with one-off buffers, then grows for the next', () => {
    const arena = new PixelArena();
    arena.take(100);
    arena.reset();
    const small = arena.capacity;
    const inside = arena.take(small);
    const outside = arena.take(300_000);
    assert.notEqual(outside.buffer, inside.buffer);
    assert.equal(outside.length, 300_000);
    arena.reset();
    assert.ok(arena.capacity >= small + 300_000);
    const again = [arena.take(small), arena.take(300_000)];
    assert.equal(again[0]?.buffer, again[1]?.buffer);
  });

  it('keeps at most its limit between frames', () => {
    const arena = new PixelArena(1024);
    arena.take(5000);
    arena.reset();
    assert.equal(arena.capacity, 1024);
    assert.equal(new PixelArena().capacity, 0);
    assert.ok(ARENA_KEEP_BYTES >= 1 << 20);
  });

  it('rejects sizes that are not non-negative integers', () => {
    const arena = new PixelArena();
    assert.throws(() => arena.take(-1), /non-negative integer, got -1/);
    assert.throws(() => arena.take(1.5), /non-negative integer/);
    assert.equal(arena.take(0).length, 0);
  });
});
