/**
 * @module The contract every encoding's decoder meets: consume one rect's bytes from the stream, draw
 * into the framebuffer, and return `false` ("need more bytes") until the rect is complete.
 */
import type { Framebuffer, Rect } from '../framebuffer.js';
import type { PixelReaders } from '../pixel-reader.js';
import type { RfbStream } from '../rfb-stream.js';

/** A rectangle header from a FramebufferUpdate. */
export interface RectHeader extends Rect {
  /** The encoding or pseudo-encoding number. */
  readonly encoding: number;
}

/** One screen of an ExtendedDesktopSize layout. */
export interface Screen {
  readonly id: number;
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
  readonly flags: number;
}

/** A cursor image from the Cursor pseudo-encoding. */
export interface CursorImage {
  readonly width: number;
  readonly height: number;
  /** Hotspot, relative to the image's top-left corner. */
  readonly hotspot: { readonly x: number; readonly y: number };
  /** RGBA pixels; alpha is 255 where the mask bit is set, 0 elsewhere. */
  readonly pixels: Uint8Array;
  /** The 1-bit mask as sent: rows of ⌈width/8⌉ bytes, most significant bit first. */
  readonly mask: Uint8Array;
}

/** Where decoders report what they drew. */
export interface DecoderSink {
  /** Pixels inside `rect` changed. */
  update(rect: Rect): void;
  /** The framebuffer copied `dest`-sized pixels from (srcX, srcY) to `dest`. */
  copy(srcX: number, srcY: number, dest: Rect): void;
  /** The framebuffer was resized. */
  resize(width: number, height: number, screens: readonly Screen[]): void;
  /** The server sent a new cursor image. */
  cursor(cursor: CursorImage): void;
  /** A compressed image (Tight JPEG/PNG) for `rect`, passed through undecoded; the framebuffer keeps
   * its old pixels there. */
  image(rect: Rect, mimetype: 'image/jpeg' | 'image/png', data: Uint8Array): void;
}

/** What a decoder works with. */
export interface DecoderContext {
  readonly stream: RfbStream;
  readonly framebuffer: Framebuffer;
  readonly sink: DecoderSink;
  /** Readers for the negotiated pixel format (set once SetPixelFormat is sent). */
  readonly readers: PixelReaders;
}

/** One encoding's decoder; it keeps its progress in fields between calls. */
export interface Decoder {
  /** Pseudo-encodings are not drawn, so their rect is not checked against the framebuffer. */
  readonly pseudo: boolean;
  /**
   * Decodes (part of) a rect.
   * @param rect the rect header
   * @param context stream, framebuffer and sink
   * @returns true when the rect is complete, false when more bytes are needed
   */
  decode(rect: RectHeader, context: DecoderContext): boolean;
}
