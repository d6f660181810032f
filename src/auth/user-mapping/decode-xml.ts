/**
 * @module Turns the bytes of an XML file into text the way a SAX parser does: a byte-order mark wins,
 * then the `encoding` of the XML declaration, then UTF-8. Malformed bytes are an error, not U+FFFD.
 */
import { TextDecoder } from 'node:util';
import { UserMappingSyntaxError } from './parse-user-mapping.js';

const DECLARED_ENCODING = /^<\?xml\s[^>]*?\bencoding\s*=\s*["']([A-Za-z][A-Za-z0-9._-]*)["']/;

/**
 * Decodes an XML document.
 * @param bytes the file's contents
 * @returns the text, without a byte-order mark
 * @throws {UserMappingSyntaxError} for an unknown encoding or bytes that are invalid in it
 */
export function decodeXml(bytes: Uint8Array): string {
  let label = 'utf-8';
  let start = 0;
  if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) {
    start = 3;
  } else if (bytes[0] === 0xff && bytes[1] === 0xfe) {
    label = 'utf-16le';
    start = 2;
  } else if (bytes[0] === 0xfe && bytes[1] === 0xff) {
    label = 'utf-16be';
    start = 2;
  } else {
    // The declaration itself is ASCII in every encoding a declaration may name here.
    const head = Buffer.from(bytes.subarray(0, 200)).toString('latin1');
    label = DECLARED_ENCODING.exec(head)?.[1]?.toLowerCase() ?? 'utf-8';
  }
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label, { fatal: true, ignoreBOM: true });
  } catch {
    throw new UserMappingSyntaxError(`Unsupported encoding: '${label}'`, 1);
  }
  try {
    return decoder.decode(bytes.subarray(start));
  } catch {
    throw new UserMappingSyntaxError(`The file is not valid ${label}.`);
  }
}
