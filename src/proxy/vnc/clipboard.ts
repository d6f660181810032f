/**
 * @module RfbClipboard: the clipboard of one RFB connection, both ways. Local text goes out through the
 * extended clipboard when the server has it and `clipboard-encoding` is UTF-8 (as guacd does), otherwise
 * as ClientCutText in that encoding. ServerCutText arrives in that encoding or, with a negative length,
 * as an extended-clipboard message; a body too long to buffer is left for the caller to skip.
 */
import { decodeClipboard, encodeClipboard, parseClipboardEncoding } from './clipboard-encoding.js';
import type { ClipboardEncoding } from './clipboard-encoding.js';
import { ExtendedClipboard } from './extended-clipboard.js';
import * as msg from './messages.js';
import type { RfbStream } from './rfb-stream.js';

/** The classic and extended clipboard of one connection. */
export class RfbClipboard {
  readonly #encoding: ClipboardEncoding;
  readonly #extended: ExtendedClipboard;
  readonly #send: (bytes: Uint8Array) => void;
  readonly #onText: (text: string) => void;

  /**
   * @param encoding guacd's `clipboard-encoding` (ISO8859-1 when undefined)
   * @param send writes a message to the server
   * @param onText receives the server's clipboard text
   */
  constructor(
    encoding: string | undefined,
    send: (bytes: Uint8Array) => void,
    onText: (text: string) => void,
  ) {
    this.#encoding = parseClipboardEncoding(encoding);
    this.#send = send;
    this.#onText = onText;
    this.#extended = new ExtendedClipboard(send, onText);
  }

  /** Whether the server speaks the extended (UTF-8) clipboard. */
  get extended(): boolean {
    return this.#extended.active;
  }

  /**
   * Sends local clipboard text.
   * @param text the text
   */
  send(text: string): void {
    if (this.#encoding === 'UTF-8' && this.#extended.active) {
      this.#extended.offer(text);
    } else this.#send(msg.clientCutText(encodeClipboard(text, this.#encoding)));
  }

  /**
   * Reads one ServerCutText message (its type byte not yet consumed).
   * @param stream received bytes
   * @returns undefined until the message can be read; then how many body bytes the caller must still
   *   skip as they arrive (0, unless the body is too long to buffer)
   */
  read(stream: RfbStream): number | undefined {
    if (!stream.has(8)) return undefined;
    const signed = stream.peek32(4) | 0;
    const length = Math.abs(signed);
    if (length > msg.MAX_CLIPBOARD_LENGTH) {
      // Too long to buffer: skipped as it arrives; the connection goes on.
      stream.skip(8);
      return length;
    }
    if (!stream.has(8 + length)) return undefined;
    stream.skip(8);
    const body = stream.shiftBytes(length);
    if (signed < 0) this.#extended.receive(body);
    else this.#onText(decodeClipboard(body, this.#encoding));
    return 0;
  }
}
