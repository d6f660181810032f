/**
 * @module Client messages (bytes on the wire), server messages other than rects, pseudo-encodings,
 * settings, the byte queue and the framebuffer.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  DEFAULT_ENCODINGS,
  EXTENDED_CLIPBOARD,
  Encoding,
  Framebuffer,
  RfbProtocolError,
  RfbStream,
  SUPPORTED_ENCODINGS,
  clientOptions,
  parseEncodingList,
  parseVncSettings,
  type CursorImage,
} from '../../../src/proxy/vnc/index.js';
import * as msg from '../../../src/proxy/vnc/messages.js';
import { acceptNone38, rfb } from '../../fakes/fake-vnc-server.js';
import { run, serve } from './harness.js';

const hex = (bytes: Uint8Array) => Buffer.from(bytes).toString('hex');

describe('VNC client messages', () => {
  it('encodes KeyEvent, PointerEvent (wheel buttons), ClientCutText and SetDesktopSize', () => {
    assert.equal(hex(msg.keyEvent(0xff0d, true)), '040100000000ff0d');
    assert.equal(hex(msg.pointerEvent(300, 2, 0b11000)), '0518012c0002');
    assert.equal(hex(msg.pointerEvent(-5, 1e6, 1)), '01'.padStart(4, '05') + '0000ffff');
    assert.equal(hex(msg.clientCutText('é€')), '0600000000000002e93f');
    assert.equal(
      hex(msg.setDesktopSize(640, 480, [])),
      'fb00028001e00100' + '00000000' + '00000000' + '028001e0' + '00000000',
    );
  });

  it('announces guacd-named encodings it supports, in order, plus pseudo-encodings', async () => {
    assert.deepEqual(
      parseEncodingList(DEFAULT_ENCODINGS, SUPPORTED_ENCODINGS),
      [16, 1, 5, 6, 4, 2, 0],
    );
    let announced: number[] = [];
    let reportInput: (bytes: Buffer) => void = () => undefined;
    const received = new Promise<Buffer>((resolve) => (reportInput = resolve));
    const r = await run(async (c) => {
      announced = await acceptNone38(c, 8, 8);
      await c.send(rfb.update(0));
      reportInput(await c.read(10 + 8 + 6 + 8 + 3));
    });
    await r.frame();
    r.client.sendKey(0x61, true);
    r.client.sendPointer(1, 2, 16);
    r.client.sendClipboard('abc');
    const input = await received;
    r.client.close();
    await r.server.close();
    assert.deepEqual(announced, [16, 1, 5, 6, 4, 2, 0, -223, -308, -224, EXTENDED_CLIPBOARD, -239]);
    // The incremental FramebufferUpdateRequest after the first frame, then the input.
    assert.equal(
      hex(input),
      '03010000000000080008' + '0401000000000061' + '051000010002' + '0600000000000003616263',
    );
  });
});

describe('VNC server messages', () => {
  it('handles Bell, SetColourMapEntries and Latin-1 ServerCutText, and skips huge clipboards', async () => {
    const clipboard: string[] = [];
    const r = await run(async (c) => {
      await acceptNone38(c, 4, 4);
      await c.send(
        rfb.u8(2),
        rfb.u8(1, 0),
        rfb.u16(0, 2),
        Buffer.alloc(12),
        rfb.u8(3, 0, 0, 0),
        rfb.string('caf\xe9', 'latin1'),
        rfb.u8(3, 0, 0, 0),
        rfb.u32(msg.MAX_CLIPBOARD_LENGTH + 1),
        Buffer.alloc(msg.MAX_CLIPBOARD_LENGTH + 1),
        rfb.update(0),
      );
      await c.waitClosed();
    });
    r.client.on('clipboard', (text) => clipboard.push(text));
    await r.frame();
    r.client.close();
    await r.server.close();
    assert.deepEqual(clipboard, ['café']);
    assert.deepEqual(r.events, ['ready', 'bell', 'clipboard', 'frameEnd']);
  });

  it('decodes Cursor, DesktopSize, ExtendedDesktopSize and LastRect', async () => {
    const r = await serve(4, 4, [
      Buffer.concat([
        rfb.update(0xffff),
        rfb.rect(1, 0, 2, 1, Encoding.CURSOR),
        rfb.pixel(0xff0000),
        rfb.pixel(0x00ff00),
        rfb.u8(0b10000000),
        rfb.rect(0, 0, 6, 5, Encoding.DESKTOP_SIZE),
        rfb.rect(0, 0, 5, 2, Encoding.EXTENDED_DESKTOP_SIZE),
        rfb.u8(1, 0, 0, 0),
        rfb.u32(7),
        rfb.u16(0, 0, 5, 2),
        rfb.u32(0),
        rfb.rect(0, 0, 0, 0, Encoding.LAST_RECT),
      ]),
    ]);
    assert.equal(r.error, undefined);
    assert.deepEqual(r.events, ['ready', 'cursor', 'resize', 'resize', 'frameEnd']);
    assert.equal(r.client.framebuffer.width, 5);
    assert.equal(r.client.framebuffer.height, 2);
    assert.ok(r.client.canResize);
  });

  it('reports cursor pixels with the mask as alpha', async () => {
    let cursor: CursorImage | undefined;
    const r = await run(async (c) => {
      await acceptNone38(c, 4, 4);
      await c.send(
        rfb.update(1),
        rfb.rect(1, 0, 2, 1, Encoding.CURSOR),
        rfb.pixel(0xff0000),
        rfb.pixel(0x00ff00),
        rfb.u8(0b10000000),
      );
      await c.waitClosed();
    });
    r.client.on('cursor', (image) => (cursor = image));
    await r.frame();
    r.client.close();
    await r.server.close();
    assert.deepEqual(cursor?.hotspot, { x: 1, y: 0 });
    assert.equal(hex(cursor.pixels), 'ff0000ff00ff0000');
  });
});

describe('VNC settings, byte queue and framebuffer', () => {
  it('parses guacd arguments with guacd defaults', () => {
    const defaults = parseVncSettings({});
    assert.equal(defaults.port, 5900);
    assert.equal(defaults.encodings, DEFAULT_ENCODINGS);
    assert.equal(defaults.cursor, 'local');
    assert.equal(defaults['compress-level'], -1);
    const s = parseVncSettings({
      port: '5901',
      'swap-red-blue': 'true',
      cursor: 'remote',
      password: 'pw',
      username: 'ann',
      'clipboard-encoding': 'CP1252',
      'color-depth': '16',
    });
    assert.deepEqual(clientOptions(s), {
      password: 'pw',
      username: 'ann',
      clipboardEncoding: 'CP1252',
      shared: true,
      encodings: DEFAULT_ENCODINGS,
      swapRedBlue: true,
      colorDepth: 16,
      cursor: 'remote',
      qualityLevel: undefined,
      compressLevel: undefined,
    });
    assert.equal(parseVncSettings({ port: '99999' }).port, 5900);
    // guacd falls back to ISO8859-1 for an unknown clipboard encoding.
    assert.equal(
      parseVncSettings({ 'clipboard-encoding': 'EBCDIC' })['clipboard-encoding'],
      'ISO8859-1',
    );
    assert.equal(defaults.username, undefined);
  });

  it('queues chunks with need-more-bytes reads', () => {
    const stream = new RfbStream();
    stream.push(Uint8Array.of(1, 2));
    assert.equal(stream.has(3), false);
    stream.push(Uint8Array.of(3, 4, 0xff, 0xff, 0xff, 0xfe));
    assert.equal(stream.shift8(), 1);
    assert.equal(stream.shift16(), 0x0203);
    assert.equal(stream.peek8(), 4);
    stream.skip(1);
    assert.equal(stream.shiftS32(), -2);
    assert.throws(() => stream.shift8(), RangeError);
    for (let i = 0; i < 1000; i++) stream.push(new Uint8Array(100));
    assert.equal(stream.available, 100_000);
  });

  it('bounds-checks every framebuffer operation and copies overlapping rects', () => {
    const fb = new Framebuffer(4, 4);
    fb.fillRect({ x: 0, y: 0, width: 4, height: 1 }, 0x0000ff);
    fb.copyRect(0, 0, { x: 0, y: 1, width: 4, height: 3 });
    // CopyRect copies the source as it was: rows 1…3 become the old rows 0…2.
    assert.equal(fb.getPixel(3, 1), 0xff0000);
    assert.equal(fb.getPixel(3, 2), 0);
    for (const rect of [
      { x: 3, y: 0, width: 2, height: 1 },
      { x: -1, y: 0, width: 1, height: 1 },
      { x: 0, y: 0, width: 1.5, height: 1 },
    ]) {
      assert.throws(() => {
        fb.fillRect(rect, 0);
      }, RfbProtocolError);
    }
    assert.throws(() => {
      fb.resize(8193, 1);
    }, RfbProtocolError);
  });
});
