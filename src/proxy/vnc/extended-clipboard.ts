/**
 * @module The Extended Clipboard pseudo-encoding (0xC0A1E5CE, rfbproto §7.7.27): once announced, Server-
 * and ClientCutText with a negative length carry a u32 of flags (format bits 0…15, action bits 24…28)
 * and a body. Caps lists the formats and their unsolicited-size limits; Notify says text is available;
 * Request asks for it; Provide carries it as a zlib stream of (u32 size, UTF-8 text with CRLF line
 * endings and a NUL) per format; Peek asks for a Notify. Only the text format is used.
 */
import zlib from 'node:zlib';
import { Unzlib } from 'fflate';
import { protocolError } from './errors.js';

/** The pseudo-encoding number, as the signed value SetEncodings carries. */
export const EXTENDED_CLIPBOARD = 0xc0a1e5ce | 0;

/** Format and action bits of the flags word. */
export const ClipboardFlag = {
  TEXT: 1,
  CAPS: 1 << 24,
  REQUEST: 1 << 25,
  PEEK: 1 << 26,
  NOTIFY: 1 << 27,
  PROVIDE: 1 << 28,
} as const;

/** The longest clipboard text taken from or given to the server, in UTF-8 bytes (guacd's 256 KiB). */
export const MAX_TEXT_BYTES = 262_144;

/** Compressed input is inflated in slices this big, so a zlib bomb stops within one slice's output (≤ ~1 MiB). */
const SLICE = 1024;

const ALL_ACTIONS =
  ClipboardFlag.CAPS |
  ClipboardFlag.REQUEST |
  ClipboardFlag.PEEK |
  ClipboardFlag.NOTIFY |
  ClipboardFlag.PROVIDE;

/**
 * An extended ClientCutText message.
 * @param flags the flags word
 * @param body what follows the flags
 * @returns the message bytes
 */
export function extendedCutText(flags: number, body: Uint8Array = new Uint8Array(0)): Uint8Array {
  const bytes = new Uint8Array(12 + body.length);
  const view = new DataView(bytes.buffer);
  bytes[0] = 6;
  view.setInt32(4, -(4 + body.length));
  view.setUint32(8, flags >>> 0);
  bytes.set(body, 12);
  return bytes;
}

/**
 * The zlib'd body of a text Provide: u32 size, UTF-8 text with CRLF line endings, NUL.
 * @param text the clipboard text (cut at MAX_TEXT_BYTES)
 * @returns the compressed body
 */
export function provideBody(text: string): Uint8Array {
  const utf8 = Buffer.from(text.replace(/\r?\n/g, '\r\n'), 'utf8').subarray(0, MAX_TEXT_BYTES);
  const plain = Buffer.alloc(4 + utf8.length + 1);
  plain.writeUInt32BE(utf8.length + 1, 0);
  utf8.copy(plain, 4);
  // Sync-flushed rather than finished, as libvncclient and noVNC do: some servers mishandle Z_STREAM_END.
  return zlib.deflateSync(plain, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
}

/**
 * Inflates a Provide body up to `limit` bytes; the rest of the stream is not inflated at all.
 * @param data the compressed body
 * @param limit the most bytes wanted
 * @returns at most `limit` decompressed bytes
 */
export function inflateLimited(data: Uint8Array, limit: number): Uint8Array {
  const chunks: Uint8Array[] = [];
  let total = 0;
  const unzlib = new Unzlib((chunk) => {
    chunks.push(chunk);
    total += chunk.length;
  });
  try {
    for (let at = 0; at < data.length && total < limit; at += SLICE) {
      unzlib.push(data.subarray(at, at + SLICE), false);
    }
  } catch (error) {
    throw protocolError('RFB_ZLIB_ERROR', `corrupt extended clipboard data (${String(error)}).`);
  }
  return Buffer.concat(chunks).subarray(0, limit);
}

/**
 * Reads the text out of an inflated Provide body (text is always the first format present).
 * @param plain the inflated bytes, possibly cut short by the limit
 * @returns the text with LF line endings, cut at MAX_TEXT_BYTES
 */
export function textOfProvide(plain: Uint8Array): string {
  if (plain.length < 4) {
    throw protocolError('RFB_BAD_CLIPBOARD', 'extended clipboard data without a text size.');
  }
  const size = new DataView(plain.buffer, plain.byteOffset, 4).getUint32(0);
  let text = plain.subarray(4, 4 + Math.min(size, MAX_TEXT_BYTES));
  const nul = text.indexOf(0);
  if (nul >= 0) text = text.subarray(0, nul);
  return new TextDecoder('utf-8', { fatal: false }).decode(text).replace(/\r\n/g, '\n');
}

/** The client side of the extended clipboard for one connection. */
export class ExtendedClipboard {
  readonly #send: (bytes: Uint8Array) => void;
  readonly #deliver: (text: string) => void;
  /** The server's actions and its unsolicited text limit, once it sent Caps. */
  #server: { actions: number; textLimit: number } | undefined;
  #text: string | undefined;

  /**
   * @param send writes a message to the server
   * @param deliver receives text the server provided
   */
  constructor(send: (bytes: Uint8Array) => void, deliver: (text: string) => void) {
    this.#send = send;
    this.#deliver = deliver;
  }

  /** Whether the server announced the extension (sent Caps) and takes text through it. */
  get active(): boolean {
    return this.#server !== undefined && (this.#server.actions & ClipboardFlag.NOTIFY) !== 0;
  }

  /**
   * Handles one extended ServerCutText body.
   * @param body the flags word and what follows it
   */
  receive(body: Uint8Array): void {
    if (body.length < 4) {
      throw protocolError('RFB_BAD_CLIPBOARD', 'extended clipboard message without flags.');
    }
    const view = new DataView(body.buffer, body.byteOffset, body.length);
    const flags = view.getUint32(0);
    const text = (flags & ClipboardFlag.TEXT) !== 0;
    if (flags & ClipboardFlag.CAPS) this.#caps(flags, view);
    else if (flags & ClipboardFlag.PROVIDE) {
      if (text) this.#deliver(textOfProvide(inflateLimited(body.subarray(4), MAX_TEXT_BYTES + 4)));
    } else if (flags & ClipboardFlag.NOTIFY) {
      if (text) this.#send(extendedCutText(ClipboardFlag.REQUEST | ClipboardFlag.TEXT));
    } else if (flags & ClipboardFlag.REQUEST) {
      if (text && this.#text !== undefined) this.#provide(this.#text);
    } else if (flags & ClipboardFlag.PEEK) {
      const formats = this.#text === undefined ? 0 : ClipboardFlag.TEXT;
      this.#send(extendedCutText(ClipboardFlag.NOTIFY | formats));
    }
  }

  /**
   * Offers new clipboard text: Notify, then Provide at once if it is within the server's unsolicited
   * limit (otherwise the server asks with Request).
   * @param text the text
   */
  offer(text: string): void {
    this.#text = text;
    this.#send(extendedCutText(ClipboardFlag.NOTIFY | ClipboardFlag.TEXT));
    const limit = this.#server?.textLimit ?? 0;
    const provides = ((this.#server?.actions ?? 0) & ClipboardFlag.PROVIDE) !== 0;
    if (provides && Buffer.byteLength(text, 'utf8') + 1 <= limit) this.#provide(text);
  }

  #provide(text: string): void {
    this.#send(extendedCutText(ClipboardFlag.PROVIDE | ClipboardFlag.TEXT, provideBody(text)));
  }

  #caps(flags: number, view: DataView): void {
    let textLimit = 0;
    let at = 4;
    for (let bit = 0; bit < 16; bit++) {
      if ((flags & (1 << bit)) === 0) continue;
      if (at + 4 > view.byteLength) {
        throw protocolError('RFB_BAD_CLIPBOARD', 'extended clipboard caps without their sizes.');
      }
      if (bit === 0) textLimit = view.getUint32(at);
      at += 4;
    }
    const first = this.#server === undefined;
    this.#server = { actions: flags & ALL_ACTIONS, textLimit };
    if (!first) return;
    const caps = new Uint8Array(4);
    new DataView(caps.buffer).setUint32(0, MAX_TEXT_BYTES);
    this.#send(extendedCutText(ALL_ACTIONS | ClipboardFlag.TEXT, caps));
  }
}
