/** @module Encoders for RFB client-to-server messages (RFC 6143 §7.5 and ExtendedDesktopSize). */
import { encodePixelFormat, type PixelFormat } from './pixel-format.js';
import type { Rect } from './framebuffer.js';
import type { Screen } from './decoders/index.js';

/** Client message types. */
export const ClientMessage = {
  SET_PIXEL_FORMAT: 0,
  SET_ENCODINGS: 2,
  FRAMEBUFFER_UPDATE_REQUEST: 3,
  KEY_EVENT: 4,
  POINTER_EVENT: 5,
  CLIENT_CUT_TEXT: 6,
  SET_DESKTOP_SIZE: 251,
} as const;

/** Server message types. */
export const ServerMessage = {
  FRAMEBUFFER_UPDATE: 0,
  SET_COLOUR_MAP_ENTRIES: 1,
  BELL: 2,
  SERVER_CUT_TEXT: 3,
} as const;

/** The longest clipboard text sent or accepted, in bytes. */
export const MAX_CLIPBOARD_LENGTH = 1 << 20;

/**
 * SetPixelFormat.
 * @param format the format to request
 * @returns the message bytes
 */
export function setPixelFormat(format: PixelFormat): Uint8Array {
  const bytes = new Uint8Array(20);
  bytes[0] = ClientMessage.SET_PIXEL_FORMAT;
  bytes.set(encodePixelFormat(format), 4);
  return bytes;
}

/**
 * SetEncodings.
 * @param encodings encoding and pseudo-encoding numbers, most preferred first
 * @returns the message bytes
 */
export function setEncodings(encodings: readonly number[]): Uint8Array {
  const view = new DataView(new ArrayBuffer(4 + encodings.length * 4));
  view.setUint8(0, ClientMessage.SET_ENCODINGS);
  view.setUint16(2, encodings.length);
  encodings.forEach((encoding, i) => {
    view.setInt32(4 + i * 4, encoding);
  });
  return new Uint8Array(view.buffer);
}

/**
 * FramebufferUpdateRequest.
 * @param incremental whether only changes are wanted
 * @param rect the area
 * @returns the message bytes
 */
export function framebufferUpdateRequest(incremental: boolean, rect: Rect): Uint8Array {
  const view = new DataView(new ArrayBuffer(10));
  view.setUint8(0, ClientMessage.FRAMEBUFFER_UPDATE_REQUEST);
  view.setUint8(1, incremental ? 1 : 0);
  view.setUint16(2, rect.x);
  view.setUint16(4, rect.y);
  view.setUint16(6, rect.width);
  view.setUint16(8, rect.height);
  return new Uint8Array(view.buffer);
}

/**
 * KeyEvent.
 * @param keysym the X11 keysym, passed through
 * @param pressed true for press, false for release
 * @returns the message bytes
 */
export function keyEvent(keysym: number, pressed: boolean): Uint8Array {
  const view = new DataView(new ArrayBuffer(8));
  view.setUint8(0, ClientMessage.KEY_EVENT);
  view.setUint8(1, pressed ? 1 : 0);
  view.setUint32(4, keysym >>> 0);
  return new Uint8Array(view.buffer);
}

/**
 * PointerEvent.
 * @param x column
 * @param y row
 * @param buttons button mask: bit 0 left, 1 middle, 2 right, 3 wheel up, 4 wheel down
 * @returns the message bytes
 */
export function pointerEvent(x: number, y: number, buttons: number): Uint8Array {
  const view = new DataView(new ArrayBuffer(6));
  view.setUint8(0, ClientMessage.POINTER_EVENT);
  view.setUint8(1, buttons & 0xff);
  view.setUint16(2, Math.max(0, Math.min(0xffff, Math.trunc(x))));
  view.setUint16(4, Math.max(0, Math.min(0xffff, Math.trunc(y))));
  return new Uint8Array(view.buffer);
}

/**
 * ClientCutText.
 * @param text the clipboard text, already encoded (see clipboard-encoding.ts), or a string sent as
 * Latin-1 with other characters as '?'
 * @returns the message bytes
 */
export function clientCutText(text: Uint8Array | string): Uint8Array {
  const body =
    typeof text === 'string'
      ? Buffer.from(
          Array.from(text.slice(0, MAX_CLIPBOARD_LENGTH), (c) =>
            (c.codePointAt(0) ?? 0) > 0xff ? '?' : c,
          ).join(''),
          'latin1',
        )
      : text.subarray(0, MAX_CLIPBOARD_LENGTH);
  const bytes = new Uint8Array(8 + body.length);
  bytes[0] = ClientMessage.CLIENT_CUT_TEXT;
  new DataView(bytes.buffer).setUint32(4, body.length);
  bytes.set(body, 8);
  return bytes;
}

/**
 * SetDesktopSize (ExtendedDesktopSize extension).
 * @param width the requested width
 * @param height the requested height
 * @param screens the screen layout; one screen covering everything when empty
 * @returns the message bytes
 */
export function setDesktopSize(
  width: number,
  height: number,
  screens: readonly Screen[],
): Uint8Array {
  const layout = screens.length > 0 ? screens : [{ id: 0, x: 0, y: 0, width, height, flags: 0 }];
  const view = new DataView(new ArrayBuffer(8 + layout.length * 16));
  view.setUint8(0, ClientMessage.SET_DESKTOP_SIZE);
  view.setUint16(2, width);
  view.setUint16(4, height);
  view.setUint8(6, layout.length);
  layout.forEach((screen, i) => {
    const at = 8 + i * 16;
    view.setUint32(at, screen.id);
    view.setUint16(at + 4, screen.x);
    view.setUint16(at + 6, screen.y);
    view.setUint16(at + 8, screen.width);
    view.setUint16(at + 10, screen.height);
    view.setUint32(at + 12, screen.flags);
  });
  return new Uint8Array(view.buffer);
}
