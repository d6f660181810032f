import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { Display } from '../../../src/proxy/display/display.js';
import type { DisplayUser } from '../../../src/proxy/display/display.js';
import { Surface } from '../../../src/proxy/display/surface.js';
import { RED, decode, joined, rgb } from './display-support.js';
import { ManualClock, RecordingUser, images, noise, opcodes } from './support.js';

describe('Display users', () => {
  it('gives a late joiner size, one full image, the cursor and sync; others get only changes', async () => {
    const { surface, display, user, clock } = await joined();
    surface.putPixels({ x: 5, y: 5, width: 50, height: 50 }, noise(50, 50, 4));
    await display.endFrame();
    user.take();
    const cursorPixels = noise(4, 3, 5);
    cursorPixels[3] = 0;
    display.setCursor({ pixels: cursorPixels, width: 4, height: 3, hotspotX: 1, hotspotY: 2 });
    surface.fillRect({ x: 600, y: 400, width: 10, height: 10 }, RED);
    clock.advance(40);
    const late = new RecordingUser();
    await display.addUser(late);
    const old = user.take();
    assert.deepEqual(opcodes(old).slice(0, 2), ['rect', 'cfill']);
    assert.equal(
      String(old.find((i) => i.opcode === 'cursor')),
      '6.cursor,1.1,1.2,2.-1,1.0,1.0,1.4,1.3;',
    );
    const got = late.take();
    assert.equal(String(got[0]), '4.size,1.0,3.640,3.480;');
    const [full, cursor] = images(got);
    assert.deepEqual([full?.x, full?.y, full?.layer, full?.mimetype], [0, 0, 0, 'image/png']);
    assert.ok(full);
    const decoded = await decode(full.data);
    assert.deepEqual(decoded.pixels, rgb(surface, { x: 0, y: 0, width: 640, height: 480 }));
    assert.deepEqual([cursor?.layer, cursor?.mask], [-1, 12]);
    assert.ok(cursor);
    assert.deepEqual(new Uint8Array((await decode(cursor.data)).pixels), cursorPixels);
    assert.ok(got.some((i) => String(i) === '4.size,2.-1,1.4,1.3;'));
    assert.equal(String(got.at(-1)), `4.sync,7.${display.lastSentTimestamp},1.0;`);
    assert.equal(display.users.length, 2);
  });

  it('computes processing lag from sync echoes as guacd does, and rejects unsent timestamps', async () => {
    const { surface, display, user, clock } = await joined();
    const frame = async (): Promise<number> => {
      surface.putPixels({ x: 0, y: 0, width: 2, height: 2 }, noise(2, 2, clock.time));
      await display.endFrame();
      return display.lastSentTimestamp;
    };
    const first = await frame();
    clock.advance(30);
    assert.equal(display.handleSync(user, first), true);
    assert.equal(display.userLag(user), 0, 'first echo sets the baseline (30 ms round trip)');
    clock.advance(70);
    const second = await frame();
    clock.advance(80);
    display.handleSync(user, second);
    assert.equal(display.userLag(user), 50, '80 ms frame - 30 ms baseline');
    assert.equal(display.handleSync(user, second + 1), false, 'never sent');
    clock.advance(20);
    const third = await frame();
    clock.advance(30);
    display.handleSync(user, third);
    assert.equal(display.userLag(user), 0);
    assert.equal(display.handleSync(new RecordingUser(), third), false);
  });

  it('waits processing lag minus time since the last frame, capped at 500 ms', async () => {
    const { surface, display, user, clock, waits } = await joined();
    const frame = async (): Promise<number> => {
      surface.putPixels({ x: 0, y: 0, width: 2, height: 2 }, noise(2, 2, clock.time));
      await display.endFrame();
      return display.lastSentTimestamp;
    };
    const measure = async (ackDelay: number): Promise<number[]> => {
      clock.advance(100);
      const a = await frame();
      clock.advance(20);
      display.handleSync(user, a);
      clock.advance(100);
      const b = await frame();
      clock.advance(ackDelay - 10);
      const c = await frame();
      clock.advance(10);
      display.handleSync(user, b);
      waits.length = 0;
      clock.advance(20);
      await frame();
      display.handleSync(user, c);
      return [...waits];
    };
    const first = await measure(120);
    assert.deepEqual(first, [100 - 30], 'lag 100 ms - 30 ms since the last frame');
    const capped = await measure(3000);
    assert.deepEqual(capped, [500]);
    display.removeUser(user);
    assert.equal(display.processingLag, 0);
  });

  it('applies backpressure and merges frames that end while one is being sent', async () => {
    const clock = new ManualClock();
    const surface = new Surface(64, 64);
    const display = new Display(surface, { now: clock.now });
    const sent: string[] = [];
    const held: (() => void)[] = [];
    const slow: DisplayUser = {
      imageMimetypes: ['image/png'],
      send: (text) => {
        sent.push(text);
        return new Promise<void>((resolve) => held.push(resolve));
      },
    };
    const turn = (): Promise<void> => new Promise<void>((resolve) => setImmediate(resolve));
    const pump = async (promise: Promise<unknown>): Promise<void> => {
      const state = { done: false };
      void promise.then(() => (state.done = true));
      while (!state.done) {
        for (const release of held.splice(0)) release();
        await turn();
      }
    };
    await pump(display.addUser(slow));
    sent.length = 0;
    surface.fillRect({ x: 0, y: 0, width: 1, height: 1 }, RED);
    let done = false;
    const first = display.endFrame().then(() => (done = true));
    while (held.length === 0) await turn();
    await turn();
    assert.equal(done, false, 'held by the slow send');
    surface.fillRect({ x: 1, y: 0, width: 1, height: 1 }, RED);
    const second = display.endFrame(2);
    assert.equal(display.endFrame(1), second, 'merged into one pending frame');
    await pump(Promise.all([first, second]));
    assert.equal(done, true);
    assert.match(sent.join(''), /4\.sync,7\.\d+,1\.1;.*4\.sync,7\.\d+,1\.3;$/);
  });

  it('drops a user whose send fails and keeps serving the others', async () => {
    const { surface, display, user } = await joined();
    const broken: DisplayUser = {
      imageMimetypes: [],
      send: () => Promise.reject(new Error('gone')),
    };
    await assert.rejects(display.addUser(broken), /gone/);
    assert.equal(display.users.length, 1);
    const failing: DisplayUser & { fail: boolean } = {
      imageMimetypes: [],
      fail: false,
      send(): void {
        if (this.fail) throw new Error('closed');
      },
    };
    await display.addUser(failing);
    failing.fail = true;
    surface.fillRect({ x: 0, y: 0, width: 3, height: 3 }, RED);
    await display.endFrame();
    assert.deepEqual(display.users, [user]);
    assert.ok(user.sent.join('').includes('cfill'));
  });

  it('rejects bad cursors and frame counts', async () => {
    const { display } = await joined();
    const pixels = new Uint8Array(16);
    assert.throws(() => {
      display.setCursor({ pixels, width: 0, height: 2, hotspotX: 0, hotspotY: 0 });
    }, /width/);
    assert.throws(() => {
      display.setCursor({ pixels, width: 2, height: 2, hotspotX: 2, hotspotY: 0 });
    }, /hotspot x/);
    assert.throws(() => {
      display.setCursor({ pixels, width: 2, height: 3, hotspotX: 0, hotspotY: 0 });
    }, /too short/);
    assert.throws(() => display.endFrame(-1), /frames/);
  });
});
