/**
 * @module A malicious or broken VNC server ends only its own connection with a clear RfbProtocolError:
 * out-of-bounds and overflowing rects, truncated data, zlib bombs, huge sizes and lengths.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import { Encoding, RfbProtocolError } from '../../../src/proxy/vnc/index.js';
import { acceptNone38, rfb } from '../../fakes/fake-vnc-server.js';
import { deflater, run, serve } from './harness.js';

async function expectCode(updates: Buffer[], code: string): Promise<void> {
  const r = await serve(16, 16, updates);
  assert.ok(r.error instanceof RfbProtocolError, String(r.error));
  assert.equal(r.error.code, code, r.error.message);
}

describe('VNC malicious server', () => {
  it('rejects a rect wider than the screen', async () => {
    await expectCode(
      [Buffer.concat([rfb.update(1), rfb.rect(10, 0, 7, 1, Encoding.RAW)])],
      'RFB_RECT_OUT_OF_BOUNDS',
    );
  });

  it('rejects a rect whose x + width overflows 16 bits', async () => {
    await expectCode(
      [Buffer.concat([rfb.update(1), rfb.rect(0xffff, 0xffff, 0xffff, 2, Encoding.HEXTILE)])],
      'RFB_RECT_OUT_OF_BOUNDS',
    );
  });

  it('rejects an unrequested encoding and an unknown message type', async () => {
    await expectCode(
      [Buffer.concat([rfb.update(1), rfb.rect(0, 0, 1, 1, 77)])],
      'RFB_UNKNOWN_ENCODING',
    );
    await expectCode([rfb.u8(99)], 'RFB_UNKNOWN_MESSAGE');
  });

  it('rejects a DesktopSize or ExtendedDesktopSize above 8192', async () => {
    await expectCode(
      [Buffer.concat([rfb.update(1), rfb.rect(0, 0, 10000, 10000, Encoding.DESKTOP_SIZE)])],
      'RFB_SIZE_TOO_LARGE',
    );
    await expectCode(
      [
        Buffer.concat([
          rfb.update(1),
          rfb.rect(0, 0, 9000, 10, Encoding.EXTENDED_DESKTOP_SIZE),
          rfb.u8(0, 0, 0, 0),
        ]),
      ],
      'RFB_SIZE_TOO_LARGE',
    );
  });

  it('rejects a ZRLE or Zlib length far beyond what the rect can need, before buffering it', async () => {
    await expectCode(
      [Buffer.concat([rfb.update(1), rfb.rect(0, 0, 16, 16, Encoding.ZRLE), rfb.u32(0xffffffff)])],
      'RFB_LENGTH_TOO_LARGE',
    );
    await expectCode(
      [Buffer.concat([rfb.update(1), rfb.rect(0, 0, 1, 1, Encoding.ZLIB), rfb.u32(1 << 20)])],
      'RFB_LENGTH_TOO_LARGE',
    );
  });

  it('rejects a Tight compact length beyond the rect, before buffering it', async () => {
    await expectCode(
      [
        Buffer.concat([
          rfb.update(1),
          rfb.rect(0, 0, 4, 4, Encoding.TIGHT),
          rfb.u8(0, 0xff, 0xff, 0xff),
        ]),
      ],
      'RFB_LENGTH_TOO_LARGE',
    );
  });

  it('stops a zlib bomb at the rect limit', async () => {
    const bomb = zlib.deflateSync(Buffer.alloc(1 << 20), {
      finishFlush: zlib.constants.Z_SYNC_FLUSH,
    });
    assert.ok(bomb.length < 2000);
    await expectCode(
      [
        Buffer.concat([
          rfb.update(1),
          rfb.rect(0, 0, 16, 16, Encoding.ZRLE),
          rfb.u32(bomb.length),
          bomb,
        ]),
      ],
      'RFB_DECOMPRESSED_TOO_LARGE',
    );
  });

  it('rejects corrupt zlib data and inflated data that ends inside a tile', async () => {
    const garbage = Buffer.from('not zlib data at all');
    await expectCode(
      [
        Buffer.concat([
          rfb.update(1),
          rfb.rect(0, 0, 4, 4, Encoding.ZLIB),
          rfb.u32(garbage.length),
          garbage,
        ]),
      ],
      'RFB_ZLIB_ERROR',
    );
    const short = await deflater()(rfb.u8(0, 1, 2, 3));
    await expectCode(
      [
        Buffer.concat([
          rfb.update(1),
          rfb.rect(0, 0, 4, 4, Encoding.ZRLE),
          rfb.u32(short.length),
          short,
        ]),
      ],
      'RFB_TRUNCATED',
    );
  });

  it('rejects a ZRLE run longer than its tile and a bad palette index', async () => {
    const run = await deflater()(Buffer.concat([rfb.u8(128), rfb.cpixel(1), rfb.u8(255, 255, 0)]));
    await expectCode(
      [
        Buffer.concat([
          rfb.update(1),
          rfb.rect(0, 0, 4, 4, Encoding.ZRLE),
          rfb.u32(run.length),
          run,
        ]),
      ],
      'RFB_RUN_TOO_LONG',
    );
    const index = await deflater()(
      Buffer.concat([rfb.u8(130), rfb.cpixel(1), rfb.cpixel(2), rfb.u8(5)]),
    );
    await expectCode(
      [
        Buffer.concat([
          rfb.update(1),
          rfb.rect(0, 0, 1, 1, Encoding.ZRLE),
          rfb.u32(index.length),
          index,
        ]),
      ],
      'RFB_BAD_PALETTE_INDEX',
    );
  });

  it('rejects an oversized cursor', async () => {
    await expectCode(
      [Buffer.concat([rfb.update(1), rfb.rect(0, 0, 4000, 4000, Encoding.CURSOR)])],
      'RFB_CURSOR_TOO_LARGE',
    );
  });

  it('reports data truncated by the server hanging up mid-rect', async () => {
    const r = await run(async (c) => {
      await acceptNone38(c, 16, 16);
      await c.send(rfb.update(1), rfb.rect(0, 0, 4, 4, Encoding.RAW), Buffer.alloc(10));
      c.end();
    });
    const error = await r.ended;
    await r.server.close();
    assert.equal(error?.code, 'RFB_TRUNCATED');
  });

  it('keeps other connections working when one server misbehaves', async () => {
    const [bad, good] = await Promise.all([
      serve(16, 16, [Buffer.concat([rfb.update(1), rfb.rect(0, 0, 17, 1, Encoding.RAW)])]),
      serve(16, 16, [
        Buffer.concat([rfb.update(1), rfb.rect(0, 0, 1, 1, Encoding.RAW), rfb.pixel(0x123456)]),
      ]),
    ]);
    assert.ok(bad.error instanceof RfbProtocolError);
    assert.equal(good.error, undefined);
    assert.equal(good.client.framebuffer.getPixel(0, 0), 0x123456);
  });
});
