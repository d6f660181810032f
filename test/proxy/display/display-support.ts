/**
 * @module Display test fixtures: a display with one joined user, image decoding and reference
 * pixels.
 */
import sharp from 'sharp';
import { Display } from '../../../src/proxy/display/display.js';
import { extractPixels } from '../../../src/proxy/display/image-encoder.js';
import { Surface } from '../../../src/proxy/display/surface.js';
import { ManualClock, RecordingUser } from './support.js';

export const RED = { r: 255, g: 0, b: 0, a: 255 };

/**
 * A display with one user that has already received the initial state.
 * @param mimetypes the user's image mimetypes
 * @param lossless `force-lossless`
 * @returns the parts
 */
export async function joined(
  mimetypes: readonly string[] = ['image/png'],
  lossless = false,
): Promise<{
  surface: Surface;
  display: Display;
  user: RecordingUser;
  clock: ManualClock;
  waits: number[];
}> {
  const clock = new ManualClock();
  const waits: number[] = [];
  const surface = new Surface(640, 480);
  const display = new Display(surface, {
    now: clock.now,
    lossless,
    delay: (ms) => {
      waits.push(ms);
      return Promise.resolve();
    },
  });
  const user = new RecordingUser(mimetypes);
  await display.addUser(user);
  user.take();
  return { surface, display, user, clock, waits };
}

/**
 * Decodes an image to raw RGB.
 * @param data the encoded image
 * @returns the pixels and channel count
 */
export async function decode(data: Buffer): Promise<{ pixels: Buffer; channels: number }> {
  const { data: pixels, info } = await sharp(data).raw().toBuffer({ resolveWithObject: true });
  return { pixels, channels: info.channels };
}

/**
 * The RGB bytes of a surface area.
 * @param surface the surface
 * @param rect the area
 * @returns RGB bytes
 */
export function rgb(
  surface: Surface,
  rect: { x: number; y: number; width: number; height: number },
): Buffer {
  const rgba = extractPixels(surface.pixels, surface.width, rect);
  const out = Buffer.alloc((rgba.length / 4) * 3);
  for (let i = 0, o = 0; i < rgba.length; i += 4) {
    out[o++] = rgba[i] as number;
    out[o++] = rgba[i + 1] as number;
    out[o++] = rgba[i + 2] as number;
  }
  return out;
}
