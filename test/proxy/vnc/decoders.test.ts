/**
 * @module Decoder tests through a real client and the fake server: each encoding's main case, an empty
 * rect, an invalid sub-encoding, and the same data cut into 1-byte reads.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Encoding } from '../../../src/proxy/vnc/index.js';
import { rfb } from '../../fakes/fake-vnc-server.js';
import { deflater, serve } from './harness.js';

const RED = 0xff0000;
const BLUE = 0x0000ff;
const GREEN = 0x00ff00;

const zrleSolid = (rgb: number) => Buffer.concat([rfb.u8(1), rfb.cpixel(rgb)]);

/** Cases: name → builder of the update bytes (given a fresh deflate stream) and the expected pixels. */
const CASES: Record<
  string,
  {
    build: () => Buffer | Promise<Buffer>;
    check: [number, number, number][];
    bad?: () => Buffer | Promise<Buffer>;
  }
> = {
  raw: {
    build: () =>
      Buffer.concat([
        rfb.update(1),
        rfb.rect(1, 1, 2, 1, Encoding.RAW),
        rfb.pixel(RED),
        rfb.pixel(BLUE),
      ]),
    check: [
      [1, 1, RED],
      [2, 1, BLUE],
      [0, 0, 0],
    ],
  },
  copyrect: {
    build: () =>
      Buffer.concat([
        rfb.update(2),
        rfb.rect(0, 0, 1, 1, Encoding.RAW),
        rfb.pixel(GREEN),
        rfb.rect(3, 2, 1, 1, Encoding.COPY_RECT),
        rfb.u16(0, 0),
      ]),
    check: [[3, 2, GREEN]],
    bad: () =>
      Buffer.concat([rfb.update(1), rfb.rect(0, 0, 2, 2, Encoding.COPY_RECT), rfb.u16(7, 7)]),
  },
  rre: {
    build: () =>
      Buffer.concat([
        rfb.update(1),
        rfb.rect(0, 0, 4, 4, Encoding.RRE),
        rfb.u32(1),
        rfb.pixel(BLUE),
        rfb.pixel(RED),
        rfb.u16(1, 1, 2, 2),
      ]),
    check: [
      [0, 0, BLUE],
      [1, 1, RED],
      [2, 2, RED],
      [3, 3, BLUE],
    ],
    bad: () =>
      Buffer.concat([
        rfb.update(1),
        rfb.rect(0, 0, 4, 4, Encoding.RRE),
        rfb.u32(1),
        rfb.pixel(BLUE),
        rfb.pixel(RED),
        rfb.u16(3, 3, 2, 2),
      ]),
  },
  corre: {
    build: () =>
      Buffer.concat([
        rfb.update(1),
        rfb.rect(0, 0, 4, 4, Encoding.CORRE),
        rfb.u32(1),
        rfb.pixel(BLUE),
        rfb.pixel(RED),
        rfb.u8(0, 0, 1, 1),
      ]),
    check: [
      [0, 0, RED],
      [1, 0, BLUE],
    ],
  },
  hextile: {
    build: () =>
      Buffer.concat([
        rfb.update(1),
        rfb.rect(0, 0, 20, 4, Encoding.HEXTILE),
        // Tile 1: background blue, foreground red, one subrect 2x2 at (1,1).
        rfb.u8(2 | 4 | 8),
        rfb.pixel(BLUE),
        rfb.pixel(RED),
        rfb.u8(1, 0x11, 0x11),
        // Tile 2 (4x4): raw.
        rfb.u8(1),
        ...Array.from({ length: 16 }, () => rfb.pixel(GREEN)),
      ]),
    check: [
      [0, 0, BLUE],
      [1, 1, RED],
      [2, 2, RED],
      [3, 3, BLUE],
      [17, 3, GREEN],
    ],
    bad: () => Buffer.concat([rfb.update(1), rfb.rect(0, 0, 4, 4, Encoding.HEXTILE), rfb.u8(64)]),
  },
  zlib: {
    build: async () => {
      const deflate = deflater();
      const first = await deflate(Buffer.concat([rfb.pixel(RED), rfb.pixel(BLUE)]));
      const second = await deflate(rfb.pixel(GREEN));
      return Buffer.concat([
        rfb.update(2),
        rfb.rect(0, 0, 2, 1, Encoding.ZLIB),
        rfb.u32(first.length),
        first,
        rfb.rect(0, 2, 1, 1, Encoding.ZLIB),
        rfb.u32(second.length),
        second,
      ]);
    },
    check: [
      [0, 0, RED],
      [1, 0, BLUE],
      [0, 2, GREEN],
    ],
  },
  tight: {
    build: async () => {
      const deflate = deflater();
      const copy = Buffer.concat(
        Array.from({ length: 16 }, (_, i) => rfb.cpixel(i < 8 ? RED : BLUE)),
      );
      const compressed = await deflate(copy);
      // Gradient: first pixel 0x102030, each next one in the row predicted from its left neighbour.
      const gradientData = await deflater()(
        Buffer.concat([
          rfb.cpixel(0x102030),
          ...Array.from({ length: 3 }, () => rfb.u8(0, 0, 0)),
        ]).subarray(0, 12),
      );
      return Buffer.concat([
        rfb.update(5),
        // Fill (0x80) resetting stream 0.
        rfb.rect(0, 0, 20, 4, Encoding.TIGHT),
        rfb.u8(0x81),
        rfb.cpixel(GREEN),
        // Basic copy, 4x4 through stream 0: 48 bytes, compact length in one byte.
        rfb.rect(0, 0, 4, 4, Encoding.TIGHT),
        rfb.u8(0x00, compressed.length),
        compressed,
        // Basic palette of two colours, 8x1: 1 byte of bits (< 12 bytes, so not compressed).
        rfb.rect(4, 0, 8, 1, Encoding.TIGHT),
        rfb.u8(0x40, 1, 1),
        rfb.cpixel(BLUE),
        rfb.cpixel(RED),
        rfb.u8(0b01010101),
        // Basic gradient, 4x1 through stream 1: 12 bytes.
        rfb.rect(12, 3, 4, 1, Encoding.TIGHT),
        rfb.u8(0x50, 2, gradientData.length),
        gradientData,
        // JPEG passes through as a blob.
        rfb.rect(16, 0, 2, 2, Encoding.TIGHT),
        rfb.u8(0x90, 3),
        rfb.u8(0xff, 0xd8, 0xff),
      ]);
    },
    check: [
      [0, 0, RED],
      [3, 1, RED],
      [0, 2, BLUE],
      [4, 0, BLUE],
      [5, 0, RED],
      [11, 0, RED],
      [12, 3, 0x102030],
      [15, 3, 0x102030],
      [19, 3, GREEN],
    ],
    bad: () => Buffer.concat([rfb.update(1), rfb.rect(0, 0, 4, 4, Encoding.TIGHT), rfb.u8(0xb0)]),
  },
  zrle: {
    build: async () => {
      const deflate = deflater();
      const palette = Buffer.concat([
        rfb.u8(2),
        rfb.cpixel(RED),
        rfb.cpixel(BLUE),
        rfb.u8(0b01000000, 0b10000000),
      ]);
      const rle = Buffer.concat([rfb.u8(128), rfb.cpixel(GREEN), rfb.u8(3)]);
      const paletteRle = Buffer.concat([
        rfb.u8(130),
        rfb.cpixel(RED),
        rfb.cpixel(BLUE),
        rfb.u8(0x81, 2, 0),
      ]);
      const a = await deflate(palette);
      const b = await deflate(rle);
      const c = await deflate(paletteRle);
      const d = await deflate(zrleSolid(GREEN));
      return Buffer.concat([
        rfb.update(4),
        rfb.rect(0, 0, 2, 2, Encoding.ZRLE),
        rfb.u32(a.length),
        a,
        rfb.rect(2, 0, 2, 2, Encoding.ZRLE),
        rfb.u32(b.length),
        b,
        rfb.rect(0, 2, 2, 2, Encoding.ZRLE),
        rfb.u32(c.length),
        c,
        rfb.rect(2, 2, 2, 2, Encoding.ZRLE),
        rfb.u32(d.length),
        d,
      ]);
    },
    check: [
      [0, 0, RED],
      [1, 0, BLUE],
      [0, 1, BLUE],
      [1, 1, RED],
      [3, 1, GREEN],
      [0, 2, BLUE],
      [1, 3, RED],
      [3, 3, GREEN],
    ],
    bad: async () => {
      const data = await deflater()(rfb.u8(17));
      return Buffer.concat([
        rfb.update(1),
        rfb.rect(0, 0, 2, 2, Encoding.ZRLE),
        rfb.u32(data.length),
        data,
      ]);
    },
  },
};

const ENCODING_OF: Record<string, number> = {
  raw: Encoding.RAW,
  copyrect: Encoding.COPY_RECT,
  rre: Encoding.RRE,
  corre: Encoding.CORRE,
  hextile: Encoding.HEXTILE,
  zlib: Encoding.ZLIB,
  tight: Encoding.TIGHT,
  zrle: Encoding.ZRLE,
};

describe('VNC decoders', () => {
  for (const [name, { build, check, bad }] of Object.entries(CASES)) {
    for (const maxPiece of [7, 1]) {
      it(`${name}: decodes${maxPiece === 1 ? ' from 1-byte reads' : ''}`, async () => {
        const r = await serve(20, 4, [await build()], maxPiece);
        assert.equal(r.error, undefined);
        for (const [x, y, rgb] of check) {
          assert.equal(r.client.framebuffer.getPixel(x, y), rgb, `pixel ${x},${y}`);
        }
        assert.ok(r.events.includes(name === 'copyrect' ? 'copy' : 'update'));
        assert.ok(r.events.includes('frameEnd'));
        if (name === 'tight') assert.ok(r.events.includes('image'), 'JPEG passed through');
      });
    }

    it(`${name}: accepts an empty rect`, async () => {
      const empty = [6, 16].includes(ENCODING_OF[name] ?? 0)
        ? rfb.u32(0)
        : name === 'tight'
          ? rfb.u8(0x80, 0, 0, 0)
          : name === 'copyrect'
            ? rfb.u16(0, 0)
            : name.endsWith('rre')
              ? Buffer.concat([rfb.u32(0), rfb.pixel(0)])
              : Buffer.alloc(0);
      const r = await serve(20, 4, [
        Buffer.concat([rfb.update(1), rfb.rect(5, 2, 0, 0, ENCODING_OF[name] ?? 0), empty]),
      ]);
      assert.equal(r.error, undefined);
    });

    if (bad) {
      it(`${name}: ends the connection on invalid data`, async () => {
        const r = await serve(20, 4, [await bad()]);
        const code = (r.error as { code?: string } | undefined)?.code;
        assert.match(
          code ?? '',
          /^RFB_(BAD_SUBENCODING|SUBRECT_OUT_OF_BOUNDS|RECT_OUT_OF_BOUNDS)$/,
        );
        assert.ok(r.events.includes('error'));
      });
    }
  }
});
