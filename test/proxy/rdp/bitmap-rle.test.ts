/**
 * @module The interleaved RLE decoder against hand-made vectors built from MS-RDPBCGR 2.2.9.1.1.3.1.2.4:
 * every order code (regular, lite, mega-mega, special, white, black), the first-line and insert-FG rules,
 * each colour depth's pixel size, and malformed input (truncation, overruns, unknown orders).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { decodeInterleavedRle } from '../../../src/proxy/rdp/bitmap-rle.js';
import { RdpProtocolError } from '../../../src/proxy/rdp/errors.js';

const rle = (bytes: number[], width = 4, height = 2, bpp = 8) => [
  ...decodeInterleavedRle(Uint8Array.from(bytes), width, height, bpp),
];
const W = 0xff;

describe('interleaved RLE', () => {
  it('regular colour image, then a background run copying the line above', () => {
    assert.deepEqual(rle([0x84, 1, 2, 3, 4, 0x04]), [1, 2, 3, 4, 1, 2, 3, 4]);
  });

  it('foreground run: the FG pel on the first line, XOR with the line above after', () => {
    assert.deepEqual(rle([0x24, 0x84, 1, 2, 3, 4]), [W, W, W, W, 1, 2, 3, 4]);
    assert.deepEqual(rle([0x84, 1, 2, 3, 4, 0x24]), [1, 2, 3, 4, 1 ^ W, 2 ^ W, 3 ^ W, 4 ^ W]);
  });

  it('two background runs in a row insert one FG pel', () => {
    assert.deepEqual(rle([0x02, 0x02, 0x04]), [0, 0, W, 0, W, 0, W, 0]);
  });

  it('colour run, and the long form of a regular run length (+32)', () => {
    assert.deepEqual(rle([0x64, 7, 0x64, 8]), [7, 7, 7, 7, 8, 8, 8, 8]);
    const long = rle([0x60, 0x00, 5], 32, 1);
    assert.deepEqual(long, Array<number>(32).fill(5));
  });

  it('FG/BG image: bits LSB first, set = FG, clear = BG; both length forms', () => {
    const expected = [0, W, 0, W, W, W, W, W];
    assert.deepEqual(rle([0x41, 0x5a]), expected);
    assert.deepEqual(rle([0x40, 0x07, 0x5a]), expected);
  });

  it('lite set-FG FG run and set-FG FG/BG image change the FG pel', () => {
    assert.deepEqual(rle([0xc4, 0x11, 0x24]), [0x11, 0x11, 0x11, 0x11, 0, 0, 0, 0]);
    assert.deepEqual(rle([0xd1, 0x22, 0xff]), [0x22, 0x22, 0x22, 0x22, 0, 0, 0, 0]);
    assert.deepEqual(rle([0xd0, 0x07, 0x22, 0x0f]), Array<number>(8).fill(0x22));
  });

  it('lite dithered run writes pixel pairs', () => {
    assert.deepEqual(rle([0xe4, 5, 6]), [5, 6, 5, 6, 5, 6, 5, 6]);
    assert.deepEqual(
      rle([0xe0, 0x00, 5, 6], 32, 1),
      Array.from({ length: 32 }, (_, i) => 5 + (i % 2)),
    );
  });

  it('mega-mega orders take a 16-bit length', () => {
    assert.deepEqual(rle([0xf3, 8, 0, 9]), Array<number>(8).fill(9));
    assert.deepEqual(rle([0xf0, 8, 0]), Array<number>(8).fill(0));
    assert.deepEqual(rle([0xf1, 4, 0, 0xf0, 4, 0]), [W, W, W, W, W, W, W, W]);
    assert.deepEqual(rle([0xf6, 4, 0, 0x33, 0x24]), [0x33, 0x33, 0x33, 0x33, 0, 0, 0, 0]);
    assert.deepEqual(rle([0xf2, 8, 0, 0x5a]), [0, W, 0, W, W, W, W, W]);
    assert.deepEqual(rle([0xf7, 8, 0, 0x44, 0x0f]), Array<number>(8).fill(0x44));
    assert.deepEqual(rle([0xf4, 4, 0, 1, 2, 3, 4, 0x04]), [1, 2, 3, 4, 1, 2, 3, 4]);
    assert.deepEqual(rle([0xf8, 4, 0, 7, 8]), [7, 8, 7, 8, 7, 8, 7, 8]);
  });

  it('special FG/BG orders use the fixed masks 0x03 and 0x05 over 8 pixels', () => {
    const out = rle([0xf9, 0xfa], 8, 2);
    assert.deepEqual(out, [W, W, 0, 0, 0, 0, 0, 0, 0, W, W, 0, 0, 0, 0, 0]);
  });

  it('white and black single pixels', () => {
    assert.deepEqual(rle([0xfd, 0xfe, 0xfd, 0xfe], 4, 1), [W, 0, W, 0]);
  });

  it('reads 2-byte pixels at 15/16 bpp and 3-byte pixels at 24 bpp', () => {
    assert.deepEqual(rle([0x62, 0x34, 0x12, 0x22], 2, 2, 16), [0x1234, 0x1234, 0xedcb, 0xedcb]);
    assert.deepEqual(rle([0x22], 2, 1, 15), [0x7fff, 0x7fff]);
    assert.deepEqual(rle([0x82, 1, 2, 3, 4, 5, 6, 0x22], 2, 2, 24), [
      0x030201,
      0x060504,
      0x030201 ^ 0xffffff,
      0x060504 ^ 0xffffff,
    ]);
  });
});

describe('interleaved RLE, malformed input', () => {
  const fails = (bytes: number[], code: string, width = 4, height = 2, bpp = 8) => {
    assert.throws(
      () => decodeInterleavedRle(Uint8Array.from(bytes), width, height, bpp),
      (error: unknown) => error instanceof RdpProtocolError && error.code === code,
    );
  };

  it('data that ends inside an order', () => {
    fails([0x84, 1, 2], 'RDP_RLE_TRUNCATED');
    fails([0x60], 'RDP_RLE_TRUNCATED');
    fails([0xf3, 8], 'RDP_RLE_TRUNCATED');
    fails([0x62, 0x34], 'RDP_RLE_TRUNCATED', 2, 2, 16);
  });

  it('runs that overrun the bitmap', () => {
    fails([0x69, 7], 'RDP_RLE_OVERRUN');
    fails([0xf0, 0xff, 0xff], 'RDP_RLE_OVERRUN');
    fails([0xe5, 1, 2], 'RDP_RLE_OVERRUN');
    fails([0xf9, 0xf9], 'RDP_RLE_OVERRUN');
    fails([0x88, 0, 0, 0, 0, 0, 0, 0, 0, 0xfd], 'RDP_RLE_OVERRUN');
  });

  it('unknown order codes and depths', () => {
    fails([0xa1], 'RDP_RLE_BAD_ORDER');
    fails([0xff], 'RDP_RLE_BAD_ORDER');
    fails([0xf5, 1, 0], 'RDP_RLE_BAD_ORDER');
    fails([0x01], 'RDP_BAD_BITMAP', 4, 2, 32);
  });
});
