import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { encodeImage } from '../../../src/proxy/display/image-encoder.js';
import { SMALL_PNG_AREA, encodePng } from '../../../src/proxy/display/png.js';
import { noise } from './support.js';

/**
 * Decodes a PNG with sharp.
 * @param png the file
 * @returns its RGBA pixels, size and channel count
 */
async function decode(png: Buffer) {
  const { data, info } = await sharp(png).ensureAlpha().raw().toBuffer({ resolveWithObject: true });
  const meta = await sharp(png).metadata();
  return { data, width: info.width, height: info.height, channels: meta.channels };
}

describe('encodePng', () => {
  it('writes an RGBA PNG that decodes to the same pixels', async () => {
    const raw = noise(37, 11, 5);
    for (let i = 3; i < raw.length; i += 4) raw[i] = i % 255;
    const image = await decode(encodePng(raw, 37, 11, false));
    assert.deepEqual([image.width, image.height, image.channels], [37, 11, 4]);
    assert.deepEqual(new Uint8Array(image.data), raw);
  });

  it('drops alpha for opaque images', async () => {
    const raw = noise(16, 16, 6);
    const image = await decode(encodePng(raw, 16, 16, true));
    assert.equal(image.channels, 3);
    for (let i = 0; i < raw.length; i += 4) {
      assert.deepEqual([...image.data.subarray(i, i + 3)], [...raw.subarray(i, i + 3)]);
      assert.equal(image.data[i + 3], 255);
    }
  });

  it('is what encodeImage uses for small PNGs, and sharp still does large ones', async () => {
    const small = noise(64, 64, 7);
    assert.ok(64 * 64 <= SMALL_PNG_AREA);
    assert.deepEqual(
      await encodeImage(Buffer.from(small), 64, 64, true, 'image/png', 0),
      encodePng(small, 64, 64, true),
    );
    const large = Buffer.from(noise(256, 128, 8));
    const png = await encodeImage(large, 256, 128, true, 'image/png', 0);
    assert.notDeepEqual(png, encodePng(large, 256, 128, true));
    const image = await decode(png);
    assert.deepEqual([image.width, image.height], [256, 128]);
  });
});
