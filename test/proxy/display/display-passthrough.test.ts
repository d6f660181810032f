import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Display } from '../../../src/proxy/display/display.js';
import { Surface } from '../../../src/proxy/display/surface.js';
import { joined } from './display-support.js';
import { images, noise, opcodes } from './support.js';

describe('Display pass-through images', () => {
  it('accepts a mimetype only when every user does, never lossy ones in lossless mode', async () => {
    assert.equal(new Display(new Surface(8, 8)).accepts('image/png'), false);
    const { display } = await joined(['image/png', 'image/jpeg']);
    assert.equal(display.accepts('image/jpeg'), true);
    assert.equal(display.accepts('image/webp'), false);
    const lossless = await joined(['image/png', 'image/jpeg'], true);
    assert.equal(lossless.display.accepts('image/jpeg'), false);
    assert.equal(lossless.display.accepts('image/png'), true);
  });

  it('sends the encoded bytes first in the next frame, and the committed area not again', async () => {
    const { surface, display, user, clock } = await joined(['image/png', 'image/jpeg']);
    const rect = { x: 64, y: 64, width: 32, height: 32 };
    surface.putPixels(rect, noise(32, 32, 3));
    surface.commit(rect);
    const data = Buffer.from('not really a jpeg, passed as is');
    display.passThrough(rect, 'image/jpeg', data);
    surface.putPixels({ x: 300, y: 300, width: 8, height: 8 }, noise(8, 8, 4));
    clock.advance(100);
    await display.endFrame();
    const sent = user.take();
    assert.equal(opcodes(sent)[0], 'img');
    const received = images(sent);
    assert.deepEqual(
      received.map((image) => [image.mimetype, image.x, image.y]),
      [
        ['image/jpeg', 64, 64],
        ['image/png', 300, 300],
      ],
    );
    assert.deepEqual(received[0]?.data, data);
    assert.equal(opcodes(sent).at(-1), 'sync');
  });
});
