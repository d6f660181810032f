/**
 * @module The interleaved RLE bitmap decoder (MS-RDPBCGR 2.2.9.1.1.3.1.2.4) for 8, 15, 16 and 24 bpp.
 * Output is one pixel value per entry, rows in the order they were encoded (bottom-up, as the caller
 * flips them). Every read is checked against the input and every write against the output, so an
 * overrun ends the connection with an RdpProtocolError instead of touching memory outside the bitmap.
 */
import { protocolError } from './errors.js';

const REGULAR_BG_RUN = 0x0;
const REGULAR_FG_RUN = 0x1;
const REGULAR_FGBG_IMAGE = 0x2;
const REGULAR_COLOR_RUN = 0x3;
const REGULAR_COLOR_IMAGE = 0x4;
const LITE_SET_FG_FG_RUN = 0xc;
const LITE_SET_FG_FGBG_IMAGE = 0xd;
const LITE_DITHERED_RUN = 0xe;
const MEGA_MEGA_BG_RUN = 0xf0;
const MEGA_MEGA_FG_RUN = 0xf1;
const MEGA_MEGA_FGBG_IMAGE = 0xf2;
const MEGA_MEGA_COLOR_RUN = 0xf3;
const MEGA_MEGA_COLOR_IMAGE = 0xf4;
const MEGA_MEGA_SET_FG_RUN = 0xf6;
const MEGA_MEGA_SET_FGBG_IMAGE = 0xf7;
const MEGA_MEGA_DITHERED_RUN = 0xf8;
const SPECIAL_FGBG_1 = 0xf9;
const SPECIAL_FGBG_2 = 0xfa;
const WHITE = 0xfd;
const BLACK = 0xfe;

/** The white pixel value for a colour depth. */
function whiteFor(bpp: number): number {
  if (bpp === 8) return 0xff;
  if (bpp === 15) return 0x7fff;
  if (bpp === 16) return 0xffff;
  return 0xffffff;
}

/**
 * Decodes one interleaved-RLE bitmap.
 * @param input the compressed bytes
 * @param width the bitmap width in pixels
 * @param height the bitmap height in pixels
 * @param bpp 8, 15, 16 or 24
 * @returns width × height pixel values, in encoded row order
 */
export function decodeInterleavedRle(
  input: Uint8Array,
  width: number,
  height: number,
  bpp: number,
): Uint32Array {
  const bytesPerPixel = bpp === 8 ? 1 : bpp === 24 ? 3 : 2;
  if (bpp !== 8 && bpp !== 15 && bpp !== 16 && bpp !== 24) {
    throw protocolError('RDP_BAD_BITMAP', `interleaved RLE at ${bpp} bpp.`);
  }
  const out = new Uint32Array(width * height);
  const white = whiteFor(bpp);
  let src = 0;
  let dest = 0;
  let fgPel = white;
  let insertFgPel = false;

  const byte = (): number => {
    if (src >= input.length) throw protocolError('RDP_RLE_TRUNCATED', 'RLE data ends early.');
    return input[src++] as number;
  };
  const pixel = (): number => {
    let value = 0;
    for (let i = 0; i < bytesPerPixel; i++) value |= byte() << (8 * i);
    return value >>> 0;
  };
  const room = (n: number): void => {
    if (dest + n > out.length) {
      throw protocolError('RDP_RLE_OVERRUN', `RLE run of ${n} pixels overruns the bitmap.`);
    }
  };
  const above = (): number => (dest >= width ? (out[dest - width] as number) : 0);
  const writeFg = (): void => {
    out[dest] = dest >= width ? (above() ^ fgPel) >>> 0 : fgPel;
    dest++;
  };
  const writeBg = (): void => {
    out[dest] = above();
    dest++;
  };
  const fgbg = (bitmask: number, count: number): void => {
    room(count);
    for (let bit = 0; bit < count; bit++) {
      if (bitmask & (1 << bit)) writeFg();
      else writeBg();
    }
  };
  const fgbgImage = (length: number): void => {
    for (let left = length; left > 0; left -= 8) fgbg(byte(), Math.min(8, left));
  };

  while (src < input.length) {
    const header = byte();
    let code: number;
    if (header >> 4 === 0x0f) code = header;
    else if (header >> 4 >= 0x0c) code = header >> 4;
    else code = header >> 5;
    let length = 0;
    // Run lengths.
    switch (code) {
      case REGULAR_FGBG_IMAGE:
        length = (header & 0x1f) === 0 ? byte() + 1 : (header & 0x1f) * 8;
        break;
      case LITE_SET_FG_FGBG_IMAGE:
        length = (header & 0x0f) === 0 ? byte() + 1 : (header & 0x0f) * 8;
        break;
      case REGULAR_BG_RUN:
      case REGULAR_FG_RUN:
      case REGULAR_COLOR_RUN:
      case REGULAR_COLOR_IMAGE:
        length = (header & 0x1f) === 0 ? byte() + 32 : header & 0x1f;
        break;
      case LITE_SET_FG_FG_RUN:
      case LITE_DITHERED_RUN:
        length = (header & 0x0f) === 0 ? byte() + 16 : header & 0x0f;
        break;
      case MEGA_MEGA_BG_RUN:
      case MEGA_MEGA_FG_RUN:
      case MEGA_MEGA_FGBG_IMAGE:
      case MEGA_MEGA_COLOR_RUN:
      case MEGA_MEGA_COLOR_IMAGE:
      case MEGA_MEGA_SET_FG_RUN:
      case MEGA_MEGA_SET_FGBG_IMAGE:
      case MEGA_MEGA_DITHERED_RUN:
        length = byte() | (byte() << 8);
        break;
      default:
        break;
    }
    const wasBgRun = code === REGULAR_BG_RUN || code === MEGA_MEGA_BG_RUN;
    switch (code) {
      case REGULAR_BG_RUN:
      case MEGA_MEGA_BG_RUN: {
        room(length);
        let left = length;
        if (insertFgPel && left > 0) {
          writeFg();
          left--;
        }
        for (; left > 0; left--) writeBg();
        break;
      }
      case LITE_SET_FG_FG_RUN:
      case MEGA_MEGA_SET_FG_RUN:
      case REGULAR_FG_RUN:
      case MEGA_MEGA_FG_RUN:
        if (code === LITE_SET_FG_FG_RUN || code === MEGA_MEGA_SET_FG_RUN) fgPel = pixel();
        room(length);
        for (let i = 0; i < length; i++) writeFg();
        break;
      case LITE_DITHERED_RUN:
      case MEGA_MEGA_DITHERED_RUN: {
        const a = pixel();
        const b = pixel();
        room(length * 2);
        for (let i = 0; i < length; i++) {
          out[dest++] = a;
          out[dest++] = b;
        }
        break;
      }
      case REGULAR_COLOR_RUN:
      case MEGA_MEGA_COLOR_RUN: {
        const value = pixel();
        room(length);
        out.fill(value, dest, dest + length);
        dest += length;
        break;
      }
      case REGULAR_FGBG_IMAGE:
      case MEGA_MEGA_FGBG_IMAGE:
      case LITE_SET_FG_FGBG_IMAGE:
      case MEGA_MEGA_SET_FGBG_IMAGE:
        if (code === LITE_SET_FG_FGBG_IMAGE || code === MEGA_MEGA_SET_FGBG_IMAGE) fgPel = pixel();
        fgbgImage(length);
        break;
      case REGULAR_COLOR_IMAGE:
      case MEGA_MEGA_COLOR_IMAGE:
        room(length);
        for (let i = 0; i < length; i++) out[dest++] = pixel();
        break;
      case SPECIAL_FGBG_1:
        fgbg(0x03, 8);
        break;
      case SPECIAL_FGBG_2:
        fgbg(0x05, 8);
        break;
      case WHITE:
        room(1);
        out[dest++] = white;
        break;
      case BLACK:
        room(1);
        out[dest++] = 0;
        break;
      default:
        throw protocolError('RDP_RLE_BAD_ORDER', `unknown RLE order 0x${header.toString(16)}.`);
    }
    insertFgPel = wasBgRun;
  }
  return out;
}
