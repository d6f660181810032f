/**
 * @module Decoders at guacd's color-depth 8 (BGR233) and 16 (RGB565): the SetPixelFormat sent, then
 * every encoding's PIXELs, ZRLE CPIXELs and Tight TPIXELs (fill, copy, palettes, gradient) in 1 and 2
 * bytes, from whole writes and from 1-byte reads, against the colours widened as guacd widens them
 * (`value * 256 / (max + 1)`); the cursor, and swap-red-blue at every depth.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Encoding, type CursorImage } from '../../../src/proxy/vnc/index.js';
import { acceptNone38, rfb } from '../../fakes/fake-vnc-server.js';
import { deflater, run, serve } from './harness.js';

const RED = 0xff0000;
const GREEN = 0x00ff00;
const BLUE = 0x0000ff;
const GREY = 0x808080;
const A = 0x123456;
const B = 0xc0ffee;

/** One color-depth: how a colour goes on the wire and what the framebuffer shows for it. */
interface Depth {
  readonly size: number;
  readonly shifts: readonly [number, number, number];
  readonly maxima: readonly [number, number, number];
  /** SetPixelFormat's format bytes: bpp, depth, big-endian, true colour, maxima, shifts. */
  readonly format: number[];
}

const DEPTHS: Record<8 | 16, Depth> = {
  8: {
    size: 1,
    shifts: [0, 3, 6],
    maxima: [7, 7, 3],
    format: [8, 8, 0, 1, 0, 7, 0, 7, 0, 3, 0, 3, 6],
  },
  16: {
    size: 2,
    shifts: [11, 5, 0],
    maxima: [31, 63, 31],
    format: [16, 16, 0, 1, 0, 31, 0, 63, 0, 31, 11, 5, 0],
  },
};

/** The channels of 0xRRGGBB reduced to the depth by dropping low bits. */
function channels(d: Depth, rgb: number): number[] {
  return [16, 8, 0].map((at, c) => {
    const bits = Math.log2((d.maxima[c] as number) + 1);
    return ((rgb >> at) & 255) >> (8 - bits);
  });
}

/** The wire value of a colour. */
const valueOf = (d: Depth, rgb: number) =>
  channels(d, rgb).reduce((v, ch, c) => v | (ch << (d.shifts[c] as number)), 0);

/** A little-endian wire pixel. */
const wire = (d: Depth, value: number) =>
  Buffer.from(d.size === 1 ? [value] : [value & 255, value >> 8]);

/** What the framebuffer shows: each channel widened back to 8 bits by shifting, as guacd does. */
function shown(d: Depth, rgb: number): number {
  return channels(d, rgb).reduce((v, ch, c) => {
    const bits = Math.log2((d.maxima[c] as number) + 1);
    return v | ((ch << (8 - bits)) << (16 - 8 * c));
  }, 0);
}

/** Tight's gradient filter applied to wire values (the encoder's side). */
function gradientFilter(d: Depth, values: number[], width: number): Buffer {
  const channel = (v: number | undefined, c: number) =>
    v === undefined ? 0 : (v >> (d.shifts[c] as number)) & (d.maxima[c] as number);
  const at = (x: number, y: number) => (x < 0 || y < 0 ? undefined : values[y * width + x]);
  const residuals = values.map((v, i) => {
    const [x, y] = [i % width, Math.floor(i / width)];
    let residual = 0;
    for (let c = 0; c < 3; c++) {
      const max = d.maxima[c] as number;
      const sum =
        channel(at(x - 1, y), c) + channel(at(x, y - 1), c) - channel(at(x - 1, y - 1), c);
      const predicted = Math.min(max, Math.max(0, sum));
      residual |= ((channel(v, c) - predicted) & max) << (d.shifts[c] as number);
    }
    return residual;
  });
  return Buffer.concat(residuals.map((v) => wire(d, v)));
}

interface Case {
  build: () => Buffer | Promise<Buffer>;
  check: [number, number, number][];
}

/** Every encoding's case at one depth; `check` lists (x, y, colour before reduction). */
function cases(d: Depth): Record<string, Case> {
  const px = (...rgbs: number[]) => Buffer.concat(rgbs.map((rgb) => wire(d, valueOf(d, rgb))));
  const gradient = Array.from(
    { length: 12 },
    (_, i) => (((i * 37) & 255) << 16) | (((i * 91) & 255) << 8) | ((i * 53 + 7) & 255),
  );
  return {
    raw: {
      build: () => Buffer.concat([rfb.update(1), rfb.rect(1, 1, 2, 1, Encoding.RAW), px(A, B)]),
      check: [
        [1, 1, A],
        [2, 1, B],
        [0, 0, 0],
      ],
    },
    copyrect: {
      build: () =>
        Buffer.concat([
          rfb.update(2),
          rfb.rect(0, 0, 1, 1, Encoding.RAW),
          px(B),
          rfb.rect(3, 2, 1, 1, Encoding.COPY_RECT),
          rfb.u16(0, 0),
        ]),
      check: [[3, 2, B]],
    },
    rre: {
      build: () =>
        Buffer.concat([
          rfb.update(1),
          rfb.rect(0, 0, 4, 4, Encoding.RRE),
          rfb.u32(1),
          px(A),
          px(RED),
          rfb.u16(1, 1, 2, 2),
        ]),
      check: [
        [0, 0, A],
        [1, 1, RED],
        [2, 2, RED],
        [3, 3, A],
      ],
    },
    corre: {
      build: () =>
        Buffer.concat([
          rfb.update(1),
          rfb.rect(0, 0, 4, 4, Encoding.CORRE),
          rfb.u32(2),
          px(BLUE),
          px(B),
          rfb.u8(0, 0, 1, 1),
          px(GREEN),
          rfb.u8(3, 3, 1, 1),
        ]),
      check: [
        [0, 0, B],
        [1, 0, BLUE],
        [3, 3, GREEN],
      ],
    },
    hextile: {
      build: () =>
        Buffer.concat([
          rfb.update(3),
          // Background, foreground and one foreground-coloured subrect 2x2 at (1,1).
          rfb.rect(0, 0, 16, 4, Encoding.HEXTILE),
          rfb.u8(2 | 4 | 8),
          px(BLUE, RED),
          rfb.u8(1, 0x11, 0x11),
          // Background and two coloured 1x1 subrects.
          rfb.rect(16, 0, 4, 4, Encoding.HEXTILE),
          rfb.u8(2 | 8 | 16),
          px(GREY),
          rfb.u8(2),
          px(A),
          rfb.u8(0x00, 0x00),
          px(B),
          rfb.u8(0x33, 0x00),
          // A raw tile.
          rfb.rect(8, 0, 2, 2, Encoding.HEXTILE),
          rfb.u8(1),
          px(GREY, A, B, GREEN),
        ]),
      check: [
        [0, 0, BLUE],
        [1, 1, RED],
        [2, 2, RED],
        [3, 3, BLUE],
        [16, 0, A],
        [19, 3, B],
        [17, 1, GREY],
        [8, 0, GREY],
        [9, 0, A],
        [8, 1, B],
        [9, 1, GREEN],
      ],
    },
    zlib: {
      build: async () => {
        const deflate = deflater();
        const first = await deflate(px(A, B));
        const second = await deflate(px(GREEN));
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
        [0, 0, A],
        [1, 0, B],
        [0, 2, GREEN],
      ],
    },
    tight: {
      build: async () => {
        const copy = await deflater()(px(...Array.from({ length: 16 }, (_, i) => (i < 8 ? A : B))));
        const values = gradient.map((rgb) => valueOf(d, rgb));
        const filtered = await deflater()(gradientFilter(d, values, 4));
        return Buffer.concat([
          rfb.update(5),
          // Fill resetting stream 0.
          rfb.rect(0, 0, 20, 4, Encoding.TIGHT),
          rfb.u8(0x81),
          px(GREEN),
          // Basic copy, 4x4 through stream 0 (16 or 32 bytes, compressed).
          rfb.rect(0, 0, 4, 4, Encoding.TIGHT),
          rfb.u8(0x00, copy.length),
          copy,
          // Two-colour palette, 8x1: one byte of bits.
          rfb.rect(4, 0, 8, 1, Encoding.TIGHT),
          rfb.u8(0x40, 1, 1),
          px(BLUE, RED),
          rfb.u8(0b01010101),
          // Three-colour palette, 3x1: a byte per index.
          rfb.rect(0, 3, 3, 1, Encoding.TIGHT),
          rfb.u8(0x40, 1, 2),
          px(A, B, GREY),
          rfb.u8(2, 1, 0),
          // Gradient, 4x3 through stream 1.
          rfb.rect(12, 1, 4, 3, Encoding.TIGHT),
          rfb.u8(0x50, 2, filtered.length),
          filtered,
        ]);
      },
      check: [
        [0, 0, A],
        [3, 1, A],
        [0, 2, B],
        [4, 0, BLUE],
        [5, 0, RED],
        [0, 3, GREY],
        [1, 3, B],
        [2, 3, A],
        [19, 0, GREEN],
        ...gradient.map((rgb, i): [number, number, number] => [12 + (i % 4), 1 + (i >> 2), rgb]),
      ],
    },
    zrle: {
      build: async () => {
        const deflate = deflater();
        const tiles = [
          Buffer.concat([rfb.u8(2), px(RED, BLUE), rfb.u8(0b01000000, 0b10000000)]),
          Buffer.concat([rfb.u8(128), px(GREEN), rfb.u8(3)]),
          Buffer.concat([rfb.u8(130), px(RED, BLUE), rfb.u8(0x81, 2, 0)]),
          Buffer.concat([rfb.u8(1), px(B)]),
          Buffer.concat([rfb.u8(0), px(A, B, GREY, RED)]),
          Buffer.concat([rfb.u8(5), px(A, B, GREY, RED, GREEN), rfb.u8(0x43, 0x10)]),
        ];
        const places = [
          [0, 0, 2, 2],
          [2, 0, 2, 2],
          [0, 2, 2, 2],
          [2, 2, 2, 2],
          [4, 0, 2, 2],
          [6, 0, 4, 1],
        ];
        const rects: Buffer[] = [];
        for (const [i, tile] of tiles.entries()) {
          const [x, y, w, h] = places[i] as [number, number, number, number];
          const data = await deflate(tile);
          rects.push(rfb.rect(x, y, w, h, Encoding.ZRLE), rfb.u32(data.length), data);
        }
        return Buffer.concat([rfb.update(rects.length / 3), ...rects]);
      },
      check: [
        [0, 0, RED],
        [1, 0, BLUE],
        [0, 1, BLUE],
        [1, 1, RED],
        [3, 1, GREEN],
        [0, 2, BLUE],
        [1, 3, RED],
        [3, 3, B],
        [4, 0, A],
        [5, 0, B],
        [4, 1, GREY],
        [5, 1, RED],
        [6, 0, GREEN],
        [7, 0, RED],
        [8, 0, B],
        [9, 0, A],
      ],
    },
  };
}

for (const bits of [8, 16] as const) {
  const d = DEPTHS[bits];
  describe(`VNC decoders at color-depth ${bits}`, () => {
    it('asks for guacd’s pixel format', async () => {
      let format: Buffer | undefined;
      const r = await run(
        async (c) => {
          await acceptNone38(c, 4, 4, (message) => (format = message));
          await c.send(rfb.update(0));
          await c.waitClosed();
        },
        { colorDepth: bits },
      );
      await r.frame();
      r.client.close();
      await r.server.close();
      assert.deepEqual([...(format ?? [])], [0, 0, 0, 0, ...d.format, 0, 0, 0]);
    });

    for (const [name, { build, check }] of Object.entries(cases(d))) {
      for (const maxPiece of [64, 1]) {
        it(`${name}: decodes${maxPiece === 1 ? ' from 1-byte reads' : ''}`, async () => {
          const r = await serve(20, 4, [await build()], maxPiece, undefined, { colorDepth: bits });
          assert.equal(r.error, undefined);
          for (const [x, y, rgb] of check) {
            const expected = shown(d, rgb).toString(16);
            assert.equal(r.client.framebuffer.getPixel(x, y).toString(16), expected, `${x},${y}`);
          }
        });
      }
    }

    it('converts cursor pixels', async () => {
      let cursor: CursorImage | undefined;
      const r = await run(
        async (c) => {
          await acceptNone38(c, 4, 4);
          const px = (rgb: number) => wire(d, valueOf(d, rgb));
          await c.send(rfb.update(1), rfb.rect(1, 0, 2, 1, Encoding.CURSOR), px(B), px(A));
          await c.send(rfb.u8(0b10000000));
          await c.waitClosed();
        },
        { colorDepth: bits },
      );
      r.client.on('cursor', (image) => (cursor = image));
      await r.frame();
      r.client.close();
      await r.server.close();
      const rgba = (rgb: number, alpha: string) =>
        shown(d, rgb).toString(16).padStart(6, '0') + alpha;
      assert.equal(
        Buffer.from(cursor?.pixels ?? []).toString('hex'),
        rgba(B, 'ff') + rgba(A, '00'),
      );
    });
  });
}

describe('VNC swap-red-blue', () => {
  const swapped = (rgb: number) => ((rgb & 0xff) << 16) | (rgb & 0xff00) | (rgb >> 16);
  for (const bits of [8, 16, 24] as const) {
    it(`swaps red and blue of PIXELs and TPIXELs at color-depth ${bits}`, async () => {
      const d = bits === 24 ? undefined : DEPTHS[bits];
      const px = (rgb: number) => (d ? wire(d, valueOf(d, rgb)) : rfb.pixel(rgb));
      const tpx = (rgb: number) => (d ? px(rgb) : rfb.cpixel(rgb));
      const update = Buffer.concat([
        rfb.update(2),
        rfb.rect(0, 0, 1, 1, Encoding.RAW),
        px(A),
        rfb.rect(1, 0, 1, 1, Encoding.TIGHT),
        rfb.u8(0x80),
        tpx(B),
      ]);
      const r = await serve(4, 4, [update], 64, undefined, { colorDepth: bits, swapRedBlue: true });
      assert.equal(r.error, undefined);
      const show = (rgb: number) => swapped(d ? shown(d, rgb) : rgb);
      assert.equal(r.client.framebuffer.getPixel(0, 0), show(A));
      assert.equal(r.client.framebuffer.getPixel(1, 0), show(B));
    });
  }
});
