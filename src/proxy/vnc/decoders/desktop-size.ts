/**
 * @module DesktopSize (-223) and ExtendedDesktopSize (-308) pseudo-encodings: the server resized the
 * framebuffer (or answered a SetDesktopSize request).
 */
import { Framebuffer } from '../framebuffer.js';
import { protocolError } from '../errors.js';
import type { Decoder, DecoderContext, RectHeader, Screen } from './decoder.js';

/** Decodes DesktopSize rects: the new size is the rect's width and height. */
export class DesktopSizeDecoder implements Decoder {
  readonly pseudo = true;

  decode(rect: RectHeader, { framebuffer, sink }: DecoderContext): boolean {
    Framebuffer.checkSize(rect.width, rect.height);
    framebuffer.resize(rect.width, rect.height);
    sink.resize(rect.width, rect.height, []);
    return true;
  }
}

/** Decodes ExtendedDesktopSize rects: x is the reason, y the status, then the screen layout. */
export class ExtendedDesktopSizeDecoder implements Decoder {
  readonly pseudo = true;
  /** Whether the server has sent ExtendedDesktopSize, so it accepts SetDesktopSize. */
  supported = false;
  /** The last screen layout the server reported. */
  screens: readonly Screen[] = [];

  decode(rect: RectHeader, { stream, framebuffer, sink }: DecoderContext): boolean {
    if (!stream.has(4)) return false;
    const count = stream.peek8();
    if (!stream.has(4 + count * 16)) return false;
    stream.skip(4);
    const screens: Screen[] = [];
    for (let i = 0; i < count; i++) {
      const id = stream.shift32();
      const [x, y, width, height] = [
        stream.shift16(),
        stream.shift16(),
        stream.shift16(),
        stream.shift16(),
      ];
      screens.push({ id, x, y, width, height, flags: stream.shift32() });
    }
    this.supported = true;
    // Reason 1 is a reply to our own SetDesktopSize; a non-zero status means it was refused.
    if (rect.x === 1 && rect.y !== 0) return true;
    Framebuffer.checkSize(rect.width, rect.height);
    for (const screen of screens) {
      if (screen.x + screen.width > rect.width || screen.y + screen.height > rect.height) {
        throw protocolError('RFB_SCREEN_OUT_OF_BOUNDS', `screen ${screen.id} leaves the desktop.`);
      }
    }
    this.screens = screens;
    framebuffer.resize(rect.width, rect.height);
    sink.resize(rect.width, rect.height, screens);
    return true;
  }
}
