import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import sharp from 'sharp';
import { decodeTightImage } from '../../../src/proxy/vnc/decoders/tight-image.js';
import { RfbProtocolError } from '../../../src/proxy/vnc/errors.js';

const RECT = { x: 5, y: 7, width: 32, height: 16 };

/**
 * A solid-colour image.
 * @param format jpeg or png
 * @param width its width
 * @param height its height
 * @returns the encoded file
 */
async function solid(format: 'jpeg' | 'png', width = 32, height = 16): Promise<Buffer> {
  const image = sharp({
    create: { width, height, channels: 3, background: { r: 200, g: 40, b: 90 } },
  });
  return format === 'jpeg'
    ? await image.jpeg({ quality: 95 }).toBuffer()
    : await image.png().toBuffer();
}

describe('decodeTightImage', () => {
  for (const format of ['jpeg', 'png'] as const) {
    it(`decodes a ${format} rect into opaque RGBA of the rect's size`, async () => {
      const pixels = await decodeTightImage(await solid(format), RECT);
      assert.equal(pixels.length, 32 * 16 * 4);
      for (let i = 0; i < pixels.length; i += 4) {
        assert.ok(Math.abs((pixels[i] as number) - 200) <= 3);
        assert.ok(Math.abs((pixels[i + 1] as number) - 40) <= 3);
        assert.ok(Math.abs((pixels[i + 2] as number) - 90) <= 3);
        assert.equal(pixels[i + 3], 255);
      }
    });
  }

  it('rejects an image that does not fit its rect', async () => {
    await assert.rejects(decodeTightImage(await solid('jpeg', 16, 16), RECT), (error) => {
      assert.ok(error instanceof RfbProtocolError);
      assert.equal(error.code, 'RFB_BAD_IMAGE');
      assert.match(error.message, /16x16 for a 32x16 rect/);
      return true;
    });
  });

  it('rejects data that is not an image', async () => {
    const garbage = new Uint8Array([0xff, 0xd8, 0xff, 1, 2, 3, 4, 5]);
    await assert.rejects(decodeTightImage(garbage, RECT), (error) => {
      assert.ok(error instanceof RfbProtocolError);
      assert.equal(error.code, 'RFB_BAD_IMAGE');
      return true;
    });
  });
});
