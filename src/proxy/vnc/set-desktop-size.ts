/**
 * @module SetDesktopSize requests (the ExtendedDesktopSize extension): allowed once the server has sent
 * an ExtendedDesktopSize rect, for sizes within MAX_DIMENSION that differ from the framebuffer's. The
 * request describes one screen covering the desktop, keeping the server's id and flags for it, as guacd
 * does.
 */
import { ExtendedDesktopSizeDecoder, type Decoder } from './decoders/index.js';
import { Encoding } from './encodings.js';
import { MAX_DIMENSION, type Framebuffer } from './framebuffer.js';
import * as msg from './messages.js';

/**
 * The connection's ExtendedDesktopSize decoder, if the server has shown it accepts SetDesktopSize.
 * @param decoders the connection's decoder registry
 * @returns the decoder, or undefined while resizing is unsupported
 */
export function resizeDecoder(
  decoders: ReadonlyMap<number, Decoder>,
): ExtendedDesktopSizeDecoder | undefined {
  const decoder = decoders.get(Encoding.EXTENDED_DESKTOP_SIZE);
  return decoder instanceof ExtendedDesktopSizeDecoder && decoder.supported ? decoder : undefined;
}

/**
 * The SetDesktopSize message for a new size.
 * @param decoders the connection's decoder registry (the ExtendedDesktopSize decoder's screen layout)
 * @param framebuffer the current framebuffer
 * @param width the wanted width
 * @param height the wanted height
 * @returns the message, or undefined if resizing is unsupported, the size is out of range or it is
 *   already the framebuffer's
 */
export function desktopSizeRequest(
  decoders: ReadonlyMap<number, Decoder>,
  framebuffer: Framebuffer,
  width: number,
  height: number,
): Uint8Array | undefined {
  const decoder = resizeDecoder(decoders);
  const valid = (n: number) => Number.isInteger(n) && n > 0 && n <= MAX_DIMENSION;
  if (decoder === undefined || !valid(width) || !valid(height)) return undefined;
  if (width === framebuffer.width && height === framebuffer.height) return undefined;
  const [first] = decoder.screens;
  const screen = { id: first?.id ?? 0, x: 0, y: 0, width, height, flags: first?.flags ?? 0 };
  return msg.setDesktopSize(width, height, [screen]);
}
