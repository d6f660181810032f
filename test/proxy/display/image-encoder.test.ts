import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { parseInstructions } from '../../../src/protocol/index.js';
import {
  alignRect,
  chooseFormat,
  encodeImage,
  extractPixels,
  pngOptimality,
  suggestQuality,
} from '../../../src/proxy/display/image-encoder.js';
import type { FormatContext } from '../../../src/proxy/display/image-encoder.js';
import { BLOB_MAX_BYTES, imageInstructions } from '../../../src/proxy/display/instructions.js';
import { images, noise } from './support.js';

const BASE: FormatContext = {
  rect: { x: 0, y: 0, width: 128, height: 128 },
  framerate: 30,
  lossless: false,
  opaque: true,
  jpeg: true,
  webp: false,
  pngOptimality: () => -1,
};

describe('suggestQuality', () => {
  it('is 90 - (lag - 20), clamped to 30…90', () => {
    assert.equal(suggestQuality(0), 90);
    assert.equal(suggestQuality(20), 90);
    assert.equal(suggestQuality(21), 89);
    assert.equal(suggestQuality(50), 60);
    assert.equal(suggestQuality(80), 30);
    assert.equal(suggestQuality(500), 30);
  });
});

describe('chooseFormat', () => {
  it('uses JPEG only for large, frequent, lossy-friendly, opaque areas the users accept', () => {
    assert.equal(chooseFormat(BASE), 'image/jpeg');
    assert.equal(chooseFormat({ ...BASE, jpeg: false }), 'image/png');
    assert.equal(chooseFormat({ ...BASE, framerate: 2 }), 'image/png');
    assert.equal(chooseFormat({ ...BASE, framerate: 3 }), 'image/jpeg');
    assert.equal(
      chooseFormat({ ...BASE, rect: { x: 0, y: 0, width: 64, height: 64 } }),
      'image/png',
    );
    assert.equal(
      chooseFormat({ ...BASE, rect: { x: 0, y: 0, width: 65, height: 64 } }),
      'image/jpeg',
    );
    assert.equal(chooseFormat({ ...BASE, pngOptimality: () => 0 }), 'image/png');
    assert.equal(chooseFormat({ ...BASE, opaque: false }), 'image/png');
    assert.equal(chooseFormat({ ...BASE, lossless: true }), 'image/png');
  });

  it('prefers WebP when accepted, with no minimum area, and never when lossless', () => {
    assert.equal(chooseFormat({ ...BASE, webp: true }), 'image/webp');
    const small = { ...BASE, webp: true, rect: { x: 0, y: 0, width: 8, height: 8 } };
    assert.equal(chooseFormat(small), 'image/webp');
    assert.equal(chooseFormat({ ...small, framerate: 2 }), 'image/png');
    assert.equal(chooseFormat({ ...BASE, webp: true, lossless: true }), 'image/png');
  });

  it('does not scan pixels unless a lossy format is possible', () => {
    let scans = 0;
    const counted = {
      ...BASE,
      pngOptimality: () => {
        scans++;
        return -1;
      },
    };
    chooseFormat({ ...counted, jpeg: false });
    chooseFormat({ ...counted, framerate: 0 });
    assert.equal(scans, 0);
    chooseFormat(counted);
    assert.equal(scans, 1);
  });
});

describe('pngOptimality', () => {
  it('is guacd’s 256 × same / different − 1024, ignoring alpha', () => {
    const flat = new Uint32Array(16 * 4).fill(0x00112233);
    flat[5] = 0xff112233;
    // 4 rows × 15 comparisons, all the same: 256 * 60 / 1 - 1024.
    assert.equal(pngOptimality(flat, 16, { x: 0, y: 0, width: 16, height: 4 }), 256 * 60 - 1024);
    const words = new Uint32Array(noise(16, 4).buffer);
    assert.ok(pngOptimality(words, 16, { x: 0, y: 0, width: 16, height: 4 }) < 0);
    assert.equal(pngOptimality(words, 16, { x: 0, y: 0, width: 0, height: 4 }), 0);
  });
});

describe('alignRect', () => {
  it('expands to 16-px (JPEG) and 8-px (WebP) blocks, clipped to the layer', () => {
    const rect = { x: 17, y: 9, width: 20, height: 3 };
    assert.deepEqual(alignRect(rect, 16, 1000, 1000), { x: 16, y: 0, width: 32, height: 16 });
    assert.deepEqual(alignRect(rect, 8, 1000, 1000), { x: 16, y: 8, width: 24, height: 8 });
    assert.deepEqual(alignRect(rect, 16, 40, 10), { x: 16, y: 0, width: 24, height: 10 });
    assert.deepEqual(alignRect(rect, 1, 1000, 1000), rect);
  });
});

describe('encodeImage', () => {
  it('round-trips PNG exactly, with and without alpha', async () => {
    const pixels = noise(37, 11);
    pixels[3] = 17;
    const rgba = await encodeImage(Buffer.from(pixels), 37, 11, false, 'image/png', 0);
    const back = await sharp(rgba).raw().toBuffer({ resolveWithObject: true });
    assert.equal(back.info.channels, 4);
    assert.deepEqual(new Uint8Array(back.data), pixels);
    const rgb = await encodeImage(Buffer.from(pixels), 37, 11, true, 'image/png', 0);
    const opaque = await sharp(rgb).raw().toBuffer({ resolveWithObject: true });
    assert.equal(opaque.info.channels, 3);
    assert.deepEqual(opaque.data[3 * 5 + 1], pixels[4 * 5 + 1]);
  });

  it('produces real JPEG and WebP data, smaller at lower quality', async () => {
    const raw = Buffer.from(noise(64, 64));
    const high = await encodeImage(raw, 64, 64, true, 'image/jpeg', 90);
    const low = await encodeImage(raw, 64, 64, true, 'image/jpeg', 30);
    assert.deepEqual([...high.subarray(0, 3)], [0xff, 0xd8, 0xff]);
    assert.ok(low.length < high.length);
    const webp = await encodeImage(raw, 64, 64, true, 'image/webp', 60);
    assert.equal(webp.subarray(8, 12).toString('latin1'), 'WEBP');
  });

  it('extracts an area row by row', () => {
    const pixels = noise(10, 5);
    const out = extractPixels(pixels, 10, { x: 2, y: 1, width: 3, height: 2 });
    assert.deepEqual([...out.subarray(0, 12)], [...pixels.subarray((10 + 2) * 4, (10 + 5) * 4)]);
    assert.deepEqual([...out.subarray(12)], [...pixels.subarray((20 + 2) * 4, (20 + 5) * 4)]);
    const rows = extractPixels(pixels, 10, { x: 0, y: 3, width: 10, height: 2 });
    assert.deepEqual(new Uint8Array(rows), pixels.subarray(120));
  });
});

describe('imageInstructions', () => {
  it('splits data into canonical base64 blobs of at most 6048 characters', () => {
    const data = Buffer.from(noise(100, 100));
    const instructions = parseInstructions(imageInstructions(4, 14, 0, 'image/png', 5, 6, data));
    const [image] = images(instructions);
    assert.ok(image);
    assert.deepEqual(image.data, data);
    assert.equal(image.blobLengths.length, Math.ceil(data.length / BLOB_MAX_BYTES));
    assert.ok(image.blobLengths.every((length) => length <= 6048));
    assert.equal(image.blobLengths[0], 6048);
    assert.equal(String(instructions[0]), '3.img,1.4,2.14,1.0,9.image/png,1.5,1.6;');
    assert.equal(String(instructions.at(-1)), '3.end,1.4;');
  });
});
