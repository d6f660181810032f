/**
 * @module UpdateDecoder against hand-built updates: uncompressed bitmaps at each depth (rows bottom-up,
 * clipped to the desktop), 8 bpp through a palette, slow-path updates, colour/new/cached/hidden
 * pointers decoded to RGBA with their AND masks, and malformed pointers and caches.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { DecodedBitmap } from '../../../src/proxy/rdp/bitmap.js';
import { ByteReader, ByteWriter } from '../../../src/proxy/rdp/bytes.js';
import type { RdpCursor } from '../../../src/proxy/rdp/pointer.js';
import { UpdateDecoder } from '../../../src/proxy/rdp/updates.js';
import { bitmapUpdate } from './fake-server.js';

function decoder(width = 16, height = 8) {
  const bitmaps: DecodedBitmap[] = [];
  const cursors: RdpCursor[] = [];
  const d = new UpdateDecoder({
    bitmap: (b) => bitmaps.push(b),
    cursor: (c) => cursors.push(c),
  });
  d.desktop = { width, height };
  return { d, bitmaps, cursors };
}

const rgba = (b: DecodedBitmap | undefined) => [...(b?.rgba ?? [])];

describe('bitmap updates', () => {
  it('24 bpp rows are bottom-up and padded to 4 bytes', () => {
    const { d, bitmaps } = decoder();
    // 1x2: bottom row blue (B G R = ff 00 00), top row red; each row padded to 4 bytes.
    const data = Buffer.from([0xff, 0, 0, 0, 0, 0, 0xff, 0]);
    const rect = { left: 3, top: 2, right: 3, bottom: 3, width: 1, height: 2, bpp: 24, flags: 0 };
    d.fastPath(1, bitmapUpdate([{ ...rect, data }]));
    assert.deepEqual([bitmaps[0]?.x, bitmaps[0]?.y], [3, 2]);
    assert.deepEqual(rgba(bitmaps[0]), [255, 0, 0, 255, 0, 0, 255, 255]);
  });

  it('15 and 32 bpp pixels, and a rect overhanging the desktop is clipped', () => {
    const { d, bitmaps } = decoder(4, 4);
    const r15 = { left: 0, top: 0, right: 0, bottom: 0, width: 2, height: 1, bpp: 15, flags: 0 };
    d.fastPath(1, bitmapUpdate([{ ...r15, data: Buffer.from([0xe0, 0x03, 0, 0]) }]));
    assert.deepEqual(rgba(bitmaps[0]), [0, 255, 0, 255]);
    const r32 = { left: 3, top: 3, right: 4, bottom: 3, width: 2, height: 1, bpp: 32, flags: 0 };
    d.fastPath(1, bitmapUpdate([{ ...r32, data: Buffer.from([1, 2, 3, 0, 4, 5, 6, 0]) }]));
    assert.deepEqual([bitmaps[1]?.width, rgba(bitmaps[1])], [1, [3, 2, 1, 255]]);
  });

  it('8 bpp goes through the palette; slow-path updates decode the same way', () => {
    const { d, bitmaps } = decoder();
    const palette = new ByteWriter()
      .u16(2)
      .u16(0)
      .u32(2)
      .u8(0)
      .u8(0)
      .u8(0)
      .u8(0x12)
      .u8(0x34)
      .u8(0x56);
    d.slowPathUpdate(new ByteReader(palette.toBuffer()));
    const rect = { left: 0, top: 0, right: 0, bottom: 0, width: 1, height: 1, bpp: 8, flags: 0 };
    d.slowPathUpdate(new ByteReader(bitmapUpdate([{ ...rect, data: Buffer.from([1, 0, 0, 0]) }])));
    assert.deepEqual(rgba(bitmaps[0]), [0x12, 0x34, 0x56, 255]);
    assert.throws(() => {
      d.slowPathUpdate(new ByteReader(new ByteWriter().u16(0).u16(0).toBuffer()));
    }, /drawing orders/);
  });

  it('interleaved RLE bitmaps (no compression header)', () => {
    const { d, bitmaps } = decoder();
    const rect = {
      left: 0,
      top: 0,
      right: 1,
      bottom: 0,
      width: 2,
      height: 1,
      bpp: 16,
      flags: 0x401,
    };
    d.fastPath(1, bitmapUpdate([{ ...rect, data: Buffer.from([0x62, 0x00, 0xf8]) }]));
    assert.deepEqual(rgba(bitmaps[0]), [255, 0, 0, 255, 255, 0, 0, 255]);
  });
});

describe('pointer updates', () => {
  /** A 2x2 24 bpp colour pointer: top row green, blue; bottom row red, transparent. */
  function colourPointer(index: number): Buffer {
    const xor = Buffer.from([0, 0, 0xff, 0, 0, 0, 0, 0xff, 0, 0xff, 0, 0]);
    const and = Buffer.from([0x40, 0, 0, 0]);
    return new ByteWriter()
      .u16(index)
      .u16(1)
      .u16(1)
      .u16(2)
      .u16(2)
      .u16(and.length)
      .u16(xor.length)
      .bytes(xor)
      .bytes(and)
      .toBuffer();
  }

  it('colour pointers with their AND mask, then the cached copy', () => {
    const { d, cursors } = decoder();
    d.fastPath(0x9, colourPointer(3));
    d.fastPath(0xa, new ByteWriter().u16(3).toBuffer());
    const expected = [0, 255, 0, 255, 0, 0, 255, 255, 255, 0, 0, 255, 0, 0, 0, 0];
    assert.deepEqual(
      cursors.map((c) => [c.width, c.height, c.hotspotX, c.hotspotY, [...c.pixels]]),
      [
        [2, 2, 1, 1, expected],
        [2, 2, 1, 1, expected],
      ],
    );
  });

  it('32 bpp new pointers keep their alpha; the null pointer hides the cursor', () => {
    const { d, cursors } = decoder();
    const ptr = new ByteWriter().u16(32).u16(0).u16(0).u16(0).u16(1).u16(1).u16(2).u16(4);
    d.fastPath(0xb, ptr.bytes(Buffer.from([0x10, 0x20, 0x30, 0x80, 0, 0])).toBuffer());
    d.fastPath(0x5, Buffer.alloc(0));
    assert.deepEqual([...(cursors[0]?.pixels ?? [])], [0x30, 0x20, 0x10, 0x80]);
    assert.deepEqual([cursors[1]?.width, [...(cursors[1]?.pixels ?? [])]], [1, [0, 0, 0, 0]]);
  });

  it('rejects huge pointers, short masks and unknown cache entries', () => {
    const { d } = decoder();
    const huge = new ByteWriter().u16(0).u16(0).u16(0).u16(1000).u16(1).u16(0).u16(0).toBuffer();
    assert.throws(() => {
      d.fastPath(0x9, huge);
    }, /too large/);
    const short = new ByteWriter().u16(0).u16(0).u16(0).u16(4).u16(4).u16(0).u16(2).u16(0);
    assert.throws(() => {
      d.fastPath(0x9, short.toBuffer());
    }, /short/);
    assert.throws(() => {
      d.fastPath(0xa, new ByteWriter().u16(7).toBuffer());
    }, /never sent/);
    assert.throws(() => {
      d.fastPath(0x9, colourPointer(99));
    }, /cache index/);
  });
});
