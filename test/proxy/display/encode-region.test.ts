import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  encodeImage,
  encodeRegion,
  extractPixels,
  type ImageMimetype,
} from '../../../src/proxy/display/image-encoder.js';
import { BLOB_MAX_BYTES, imageInstructions } from '../../../src/proxy/display/instructions.js';
import { encodePng } from '../../../src/proxy/display/png.js';
import { encodeInstruction } from '../../../src/protocol/index.js';
import { noise } from './support.js';

describe('encodeRegion', () => {
  it('encodes an area of a larger image exactly as encodeImage does the extracted area', async () => {
    const whole = Buffer.from(noise(200, 90, 3));
    const cases: [ImageMimetype, { x: number; y: number; width: number; height: number }][] = [
      ['image/png', { x: 5, y: 7, width: 33, height: 20 }], // small: png.ts
      ['image/png', { x: 1, y: 2, width: 190, height: 88 }], // large: sharp
      ['image/jpeg', { x: 16, y: 16, width: 96, height: 48 }],
      ['image/webp', { x: 8, y: 0, width: 120, height: 64 }],
      ['image/png', { x: 0, y: 0, width: 200, height: 90 }], // the whole image, no extract
    ];
    for (const [mimetype, rect] of cases) {
      for (const opaque of [true, false]) {
        const packed = extractPixels(whole, 200, rect);
        const { width, height } = rect;
        assert.deepEqual(
          await encodeRegion(whole, 200, rect, opaque, mimetype, 70),
          await encodeImage(packed, width, height, opaque, mimetype, 70),
          `${mimetype} ${JSON.stringify(rect)} opaque=${String(opaque)}`,
        );
      }
    }
  });
});

describe('extractPixels into a buffer', () => {
  it('writes into the given buffer and returns it cut to size', () => {
    const pixels = noise(10, 5, 4);
    const into = Buffer.alloc(100, 0xee);
    const out = extractPixels(pixels, 10, { x: 2, y: 1, width: 3, height: 2 }, into);
    assert.equal(out.buffer, into.buffer);
    assert.equal(out.length, 24);
    assert.deepEqual(out, extractPixels(pixels, 10, { x: 2, y: 1, width: 3, height: 2 }));
    assert.equal(into[24], 0xee);
    const rows = extractPixels(pixels, 10, { x: 0, y: 3, width: 10, height: 2 }, into);
    assert.deepEqual(new Uint8Array(rows), pixels.subarray(120));
  });

  it('rejects a buffer that is too short', () => {
    assert.throws(
      () => extractPixels(noise(4, 4), 4, { x: 0, y: 0, width: 2, height: 2 }, Buffer.alloc(15)),
      /need 16 bytes, got 15/,
    );
  });
});

describe('encodePng with a stride', () => {
  it('encodes a region as the packed copy would be, and earlier results stay intact', () => {
    const whole = noise(50, 40, 9);
    const rect = { x: 7, y: 3, width: 21, height: 30 };
    const packed = extractPixels(whole, 50, rect);
    for (const opaque of [true, false]) {
      const first = encodePng(whole, rect.width, rect.height, opaque, 50 * 4, (3 * 50 + 7) * 4);
      const kept = Buffer.from(first);
      const other = encodePng(noise(64, 64, 10), 64, 64, opaque);
      assert.notDeepEqual(other, first);
      assert.deepEqual(first, kept);
      assert.deepEqual(first, encodePng(packed, rect.width, rect.height, opaque));
    }
  });
});

describe('imageInstructions wire text', () => {
  it('is what the protocol encoder gives for every blob size boundary', () => {
    for (const size of [0, 1, 2, 3, BLOB_MAX_BYTES - 1, BLOB_MAX_BYTES, BLOB_MAX_BYTES + 1, 9074]) {
      const data = Buffer.from(noise(Math.ceil(size / 4) + 1, 1, size + 1).subarray(0, size));
      let expected = encodeInstruction('img', '12', '14', '0', 'image/webp', '3', '4');
      for (let at = 0; at < size; at += BLOB_MAX_BYTES) {
        const chunk = data.subarray(at, at + BLOB_MAX_BYTES).toString('base64');
        expected += encodeInstruction('blob', '12', chunk);
      }
      expected += encodeInstruction('end', '12');
      assert.equal(imageInstructions(12, 14, 0, 'image/webp', 3, 4, data), expected, `${size}`);
    }
  });
});
