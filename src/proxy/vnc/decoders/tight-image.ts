/**
 * @module Tight image decoding: the JPEG (and TightPNG PNG) data of a Tight rect, which the decoder
 * passes on undecoded, turned into RGBA pixels with sharp on libuv's thread pool, so that the
 * proxy's surface stays right (later copies and joins) while the compressed data itself can go to
 * the client untouched.
 */
import sharp, { type OutputInfo } from 'sharp';
import { protocolError } from '../errors.js';
import type { Rect } from '../framebuffer.js';

/**
 * Decodes a Tight JPEG/PNG rect into RGBA pixels (opaque: alpha is always 255).
 * @param data the compressed image as the server sent it
 * @param rect the rect it must exactly fill
 * @returns `rect.width * rect.height * 4` bytes of RGBA
 * @throws {RfbProtocolError} `RFB_BAD_IMAGE` when the data is not an image of the rect's size
 */
export async function decodeTightImage(data: Uint8Array, rect: Rect): Promise<Uint8Array> {
  let decoded: { data: Buffer; info: OutputInfo };
  try {
    decoded = await sharp(data, { failOn: 'error' })
      .removeAlpha()
      .ensureAlpha(1)
      .raw()
      .toBuffer({ resolveWithObject: true });
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    throw protocolError('RFB_BAD_IMAGE', `undecodable Tight image: ${reason}`);
  }
  const { info } = decoded;
  if (info.width !== rect.width || info.height !== rect.height || info.channels !== 4) {
    throw protocolError(
      'RFB_BAD_IMAGE',
      `a Tight image of ${info.width}x${info.height} for a ${rect.width}x${rect.height} rect.`,
    );
  }
  return new Uint8Array(decoded.data.buffer, decoded.data.byteOffset, decoded.data.length);
}
