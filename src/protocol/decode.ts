/**
 * @module Decoding raw instruction bytes (as framed by ByteParser) into an Instruction, element by element,
 * using the same lead-byte code-point rule so framing and decoding never disagree.
 */
import { ServerError } from './errors.js';
import { Instruction } from './instruction.js';
import type { ParseErrorCode } from './parse-errors.js';
import { skipCodePoints } from './utf8.js';

const DOT = 0x2e;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;

/**
 * Decodes exactly one whole instruction.
 * @param raw the instruction's bytes, ending with `;`
 * @returns the instruction, its raw text kept
 * @throws {ServerError} when the bytes are not exactly one well-formed instruction
 */
export function decodeInstruction(raw: Buffer): Instruction {
  const text = raw.toString('utf8');
  // Pure ASCII: byte offsets are string offsets, so elements are cheap slices of one decoded string.
  const ascii = text.length === raw.length;
  const elements: string[] = [];
  let pos = 0;
  for (;;) {
    let length = 0;
    while (pos < raw.length && raw[pos] !== DOT) {
      const digit = (raw[pos] as number) - 0x30;
      if (digit < 0 || digit > 9) throw malformed('GUAC_ERR_BAD_LENGTH', 'a non-digit in a length');
      length = length * 10 + digit;
      pos++;
    }
    if (pos >= raw.length) throw malformed('GUAC_ERR_INCOMPLETE', 'a length with no element');
    const start = pos + 1;
    const end = ascii ? start + length : skipCodePoints(raw, start, length);
    if (end >= raw.length) throw malformed('GUAC_ERR_INCOMPLETE', 'an element cut short');
    elements.push(ascii ? text.slice(start, end) : raw.toString('utf8', start, end));
    const terminator = raw[end];
    pos = end + 1;
    if (terminator === SEMICOLON) break;
    if (terminator !== COMMA) throw malformed('GUAC_ERR_BAD_TERMINATOR', 'a bad terminator');
  }
  if (pos !== raw.length) throw malformed('GUAC_ERR_BAD_TERMINATOR', 'bytes after the instruction');
  const [opcode = '', ...args] = elements;
  return new Instruction(opcode, args, text);
}

function malformed(code: ParseErrorCode, problem: string): ServerError {
  return new ServerError(`Not exactly one well-formed instruction: ${problem}.`, { code });
}
