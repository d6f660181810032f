import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ProcessingLag } from '../../../src/proxy/display/lag.js';
import { MAX_STREAMS, StreamPool } from '../../../src/proxy/display/stream-pool.js';

describe('ProcessingLag', () => {
  it('uses the first echo as the round-trip baseline, then measures the excess', () => {
    const lag = new ProcessingLag();
    assert.equal(lag.acknowledge(1000, 1040, 1000), true);
    assert.equal(lag.value, 0);
    assert.equal(lag.acknowledge(1100, 1200, 1100), true);
    assert.equal(lag.value, 60);
    assert.equal(lag.acknowledge(1200, 1240, 1200), true);
    assert.equal(lag.value, 0, 'never negative');
    assert.equal(lag.lastReceived, 1200);
  });

  it('ignores stale echoes and rejects unsent or malformed ones', () => {
    const lag = new ProcessingLag();
    lag.acknowledge(1000, 1040, 1000);
    lag.acknowledge(1100, 1200, 1100);
    assert.equal(lag.acknowledge(1050, 5000, 1100), true);
    assert.equal(lag.value, 60, 'an older timestamp changes nothing');
    assert.equal(lag.acknowledge(1101, 1300, 1100), false);
    assert.equal(lag.acknowledge(Number.NaN, 1300, 1100), false);
    assert.equal(lag.acknowledge(1.5, 1300, 1100), false);
    assert.equal(lag.lastReceived, 1100);
  });
});

describe('StreamPool', () => {
  it('hands out the lowest free even index and refuses double frees and exhaustion', () => {
    const pool = new StreamPool();
    assert.deepEqual([pool.allocate(), pool.allocate(), pool.allocate()], [0, 2, 4]);
    pool.free(2);
    assert.equal(pool.allocate(), 2);
    pool.free(0);
    assert.throws(() => {
      pool.free(0);
    }, /stream 0 is not open/);
    assert.equal(pool.size, 2);
    for (let n = pool.size; n < MAX_STREAMS; n++) pool.allocate();
    assert.throws(() => pool.allocate(), /all 64 display streams are in use/);
  });
});
