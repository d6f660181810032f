/**
 * @module The decoder registry: one decoder instance per encoding per connection (some keep zlib state),
 * looked up by the encoding number of each rect.
 */
import { Encoding } from '../encodings.js';
import { CopyRectDecoder } from './copy-rect.js';
import { CursorDecoder } from './cursor.js';
import type { Decoder } from './decoder.js';
import { DesktopSizeDecoder, ExtendedDesktopSizeDecoder } from './desktop-size.js';
import { HextileDecoder } from './hextile.js';
import { RawDecoder } from './raw.js';
import { RreDecoder } from './rre.js';
import { TightDecoder } from './tight.js';
import { ZlibDecoder } from './zlib.js';
import { ZrleDecoder } from './zrle.js';

export type {
  CursorImage,
  Decoder,
  DecoderContext,
  DecoderSink,
  RectHeader,
  Screen,
} from './decoder.js';
export { ExtendedDesktopSizeDecoder } from './desktop-size.js';

/** The encodings (not pseudo-encodings) this client decodes. */
export const SUPPORTED_ENCODINGS: ReadonlySet<number> = new Set([
  Encoding.RAW,
  Encoding.COPY_RECT,
  Encoding.RRE,
  Encoding.CORRE,
  Encoding.HEXTILE,
  Encoding.ZLIB,
  Encoding.TIGHT,
  Encoding.ZRLE,
]);

/**
 * Builds a fresh registry for one connection.
 * @returns encoding number → decoder; LastRect is handled by the client and has no decoder
 */
export function createDecoders(): Map<number, Decoder> {
  return new Map<number, Decoder>([
    [Encoding.RAW, new RawDecoder()],
    [Encoding.COPY_RECT, new CopyRectDecoder()],
    [Encoding.RRE, new RreDecoder(false)],
    [Encoding.CORRE, new RreDecoder(true)],
    [Encoding.HEXTILE, new HextileDecoder()],
    [Encoding.ZLIB, new ZlibDecoder()],
    [Encoding.TIGHT, new TightDecoder()],
    [Encoding.ZRLE, new ZrleDecoder()],
    [Encoding.CURSOR, new CursorDecoder()],
    [Encoding.DESKTOP_SIZE, new DesktopSizeDecoder()],
    [Encoding.EXTENDED_DESKTOP_SIZE, new ExtendedDesktopSizeDecoder()],
  ]);
}
