/**
 * @module Instruction: one Guacamole protocol instruction (opcode, args, raw text) and the encoder.
 * Element lengths count Unicode code points; a lone surrogate counts as one (GUACAMOLE-615).
 */

/**
 * Counts the Unicode code points of a string as Java's `String.codePointCount` does: a valid surrogate pair
 * is one code point, and a lone surrogate is one code point too.
 * @param value the string
 * @returns its code-point count
 */
export function codePointCount(value: string): number {
  let count = value.length;
  for (let i = 0; i < value.length - 1; i++) {
    const unit = value.charCodeAt(i);
    if (unit >= 0xd800 && unit <= 0xdbff) {
      const next = value.charCodeAt(i + 1);
      if (next >= 0xdc00 && next <= 0xdfff) {
        count--;
        i++;
      }
    }
  }
  return count;
}

/**
 * Encodes one element as `<code points>.<value>`.
 * @param value the element text
 * @returns the encoded element, without separator
 */
export function encodeElement(value: string): string {
  return `${codePointCount(value)}.${value}`;
}

/**
 * Encodes a whole instruction: elements joined by `,` and ended by `;`.
 * @param opcode the opcode (element 0); `''` is the tunnel-internal opcode
 * @param args the arguments
 * @returns the wire text, e.g. `4.size,1.0,4.1024,3.768;`
 */
export function encodeInstruction(opcode: string, ...args: readonly string[]): string {
  let text = encodeElement(opcode);
  for (const arg of args) text += ',' + encodeElement(arg);
  return text + ';';
}

/** One Guacamole instruction. Parsed instructions keep their raw text so relays never re-serialise. */
export class Instruction {
  /** Element 0. The empty opcode is reserved for tunnel-internal instructions. */
  readonly opcode: string;
  /** Elements 1…n. */
  readonly args: readonly string[];
  #raw: string | undefined;

  /**
   * @param opcode the opcode
   * @param args the arguments
   * @param raw the exact wire text this instruction was parsed from, when it was parsed
   */
  constructor(opcode: string, args: readonly string[] = [], raw?: string) {
    this.opcode = opcode;
    this.args = Object.freeze([...args]);
    this.#raw = raw;
  }

  /**
   * The wire form: the raw text it was parsed from, or a fresh encoding (cached).
   * @returns the instruction as sent on the wire
   */
  toString(): string {
    this.#raw ??= encodeInstruction(this.opcode, ...this.args);
    return this.#raw;
  }
}

/** The opcode reserved for tunnel-internal instructions (`GuacamoleTunnel.INTERNAL_DATA_OPCODE`). */
export const INTERNAL_OPCODE = '';
