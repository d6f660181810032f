import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { DrawQueue } from '../../../src/proxy/vnc-plugin/draw-queue.js';

/** A promise with its resolve and reject functions. */
function deferred<T>() {
  let resolve!: (value: T) => void;
  let reject!: (error: Error) => void;
  const promise = new Promise<T>((res, rej) => {
    resolve = res;
    reject = rej;
  });
  return { promise, resolve, reject };
}

describe('DrawQueue', () => {
  it('runs steps at once while nothing waits', () => {
    const queue = new DrawQueue(() => undefined);
    const order: string[] = [];
    queue.run(() => order.push('a'));
    assert.deepEqual(order, ['a']);
    assert.equal(queue.waiting, false);
  });

  it('holds later steps behind a decode, then runs everything in order', async () => {
    const queue = new DrawQueue(() => undefined);
    const order: string[] = [];
    const decode = deferred<string>();
    queue.after(decode.promise, (value) => order.push(value));
    queue.run(() => order.push('after'));
    assert.equal(queue.waiting, true);
    assert.equal(order.length, 0);
    const done = new Promise<void>((resolve) => {
      queue.after(Promise.resolve('last'), (value) => {
        order.push(value);
        resolve();
      });
    });
    decode.resolve('image');
    await done;
    assert.deepEqual(order, ['image', 'after', 'last']);
    // The count drops once the last step's promise settles.
    await new Promise((resolve) => setImmediate(resolve));
    assert.equal(queue.waiting, false);
  });

  it('reports a failed decode and still runs the steps behind it', async () => {
    const errors: unknown[] = [];
    const queue = new DrawQueue((error) => errors.push(error));
    const decode = deferred<string>();
    queue.after(decode.promise, () => assert.fail('a failed decode has no result'));
    const ran = new Promise<void>((resolve) => {
      queue.run(resolve);
    });
    decode.reject(new Error('bad jpeg'));
    await ran;
    assert.equal(errors.length, 1);
    assert.match(String(errors[0]), /bad jpeg/);
  });
});
