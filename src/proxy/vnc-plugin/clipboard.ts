/**
 * @module Clipboard text between Guacamole users and a VNC server: outbound `clipboard` streams (UTF-8 text
 * in base64 blobs) and inbound streams collected up to a limit, then turned into Latin-1 for RFB.
 */
import { encodeInstruction } from '../../protocol/index.js';
import type { InboundStream, StreamHandlers } from '../plugin.js';

/** guacd's clipboard buffer size (GUAC_COMMON_CLIPBOARD_MAX_LENGTH): longer text is cut. */
export const MAX_CLIPBOARD_BYTES = 262_144;

/** The outbound stream index used for clipboard text; odd, so it never meets the display's even ones. */
export const CLIPBOARD_STREAM = 1;

/** Raw bytes per `blob`: 4536 bytes are 6048 base64 characters, guacd's blob limit. */
const BLOB_BYTES = 4536;

/**
 * The instructions that send clipboard text to a user.
 * @param text the clipboard text
 * @returns the wire text: `clipboard`, `blob`s of UTF-8 in base64, `end`
 */
export function clipboardInstructions(text: string): string {
  const stream = String(CLIPBOARD_STREAM);
  const bytes = Buffer.from(text, 'utf8').subarray(0, MAX_CLIPBOARD_BYTES);
  let out = encodeInstruction('clipboard', stream, 'text/plain');
  for (let at = 0; at < bytes.length; at += BLOB_BYTES) {
    out += encodeInstruction(
      'blob',
      stream,
      bytes.subarray(at, at + BLOB_BYTES).toString('base64'),
    );
  }
  return out + encodeInstruction('end', stream);
}

/**
 * Accepts a user's `text/*` clipboard stream and hands its text over once it ends.
 * @param stream the inbound stream
 * @param deliver receives the UTF-8-decoded text (cut at MAX_CLIPBOARD_BYTES)
 * @returns handlers for the stream, or undefined to refuse other streams and mimetypes
 */
export function acceptClipboard(
  stream: InboundStream,
  deliver: (text: string) => void,
): StreamHandlers | undefined {
  if (stream.kind !== 'clipboard' || !stream.mimetype.startsWith('text/')) return undefined;
  const parts: Buffer[] = [];
  let size = 0;
  return {
    blob(data) {
      if (size >= MAX_CLIPBOARD_BYTES) return;
      const part = data.subarray(0, MAX_CLIPBOARD_BYTES - size);
      parts.push(part);
      size += part.length;
    },
    end() {
      deliver(Buffer.concat(parts).toString('utf8'));
    },
  };
}
