/**
 * @module Parser: the resumable string-level parser (Java's GuacamoleParser, JS's Guacamole.Parser), used for
 * client-sent text. Lengths count code points with Java's surrogate rules; the public limits are enforced.
 */
import type { GuacamoleError } from './errors.js';
import { Instruction } from './instruction.js';
import { CLIENT_LIMITS, type ParserLimits } from './limits.js';
import {
  badLength,
  badTerminator,
  elementTooLong,
  incompleteInstruction,
  tooManyElements,
} from './parse-errors.js';

type State = 'length' | 'content' | 'terminator' | 'error';

const DOT = 0x2e;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;

/** Receives each instruction as soon as it is complete. */
export type InstructionSink = (instruction: Instruction) => void;

/**
 * An incremental parser: feed it text in pieces of any size; it calls the sink once per complete instruction.
 * After an error it stays failed and rethrows that error.
 */
export class Parser {
  readonly #limits: ParserLimits;
  #state: State = 'length';
  /** Unconsumed text; it starts at the first character of the current instruction. */
  #buffer = '';
  #pos = 0;
  #elementStart = 0;
  #length = 0;
  #remaining = 0;
  #elements: string[] = [];
  #error: GuacamoleError | undefined;

  /** @param limits element length and count limits; the client limits by default */
  constructor(limits: ParserLimits = CLIENT_LIMITS) {
    this.#limits = limits;
  }

  /** True when part of an instruction has been received but not its end. */
  get hasPartial(): boolean {
    return this.#buffer.length > 0;
  }

  /**
   * Parses more text.
   * @param text the next piece of the stream
   * @param sink called with each instruction completed by this text, in order
   * @throws {ClientError} on malformed input (CLIENT_BAD_REQUEST)
   * @throws {ClientOverrunError} when an element or the element count exceeds the limits (CLIENT_OVERRUN)
   */
  receive(text: string, sink: InstructionSink): void {
    if (this.#error) throw this.#error;
    this.#buffer += text;
    for (;;) {
      let result: Instruction | boolean;
      try {
        result = this.#step();
      } catch (error) {
        this.#state = 'error';
        this.#error = error as GuacamoleError;
        throw error;
      }
      if (result === false) return;
      // Outside the try: a throwing sink leaves the parser usable; the rest stays buffered.
      if (result !== true) sink(result);
    }
  }

  /** Runs the current state once: false when it needs more text, an Instruction when one completed. */
  #step(): Instruction | boolean {
    switch (this.#state) {
      case 'length':
        return this.#parseLength();
      case 'content':
        return this.#skipContent();
      case 'terminator':
        return this.#parseTerminator();
      case 'error':
        return false;
      default:
        return this.#state satisfies never;
    }
  }

  #parseLength(): boolean {
    const buffer = this.#buffer;
    while (this.#pos < buffer.length) {
      const c = buffer.charCodeAt(this.#pos++);
      const digit = c - 0x30;
      if (digit >= 0 && digit <= 9) {
        this.#length = this.#length * 10 + digit;
        // Checked per digit rather than after the prefix (as Java does), so no prefix can overflow.
        if (this.#length > this.#limits.maxElementLength) {
          throw elementTooLong(this.#limits.maxElementLength);
        }
      } else if (c === DOT) {
        this.#elementStart = this.#pos;
        this.#remaining = this.#length;
        this.#state = 'content';
        return true;
      } else {
        throw badLength(String.fromCharCode(c));
      }
    }
    return false;
  }

  /** Skips `#remaining` code points; a surrogate pair is one, a lone surrogate is one. */
  #skipContent(): boolean {
    const buffer = this.#buffer;
    let pos = this.#pos;
    let remaining = this.#remaining;
    while (remaining > 0 && pos < buffer.length) {
      const unit = buffer.charCodeAt(pos);
      if (unit >= 0xd800 && unit <= 0xdbff) {
        // Whether a high surrogate is paired depends on the next unit: wait for it.
        if (pos + 1 >= buffer.length) break;
        const next = buffer.charCodeAt(pos + 1);
        pos += next >= 0xdc00 && next <= 0xdfff ? 2 : 1;
      } else {
        pos++;
      }
      remaining--;
    }
    this.#pos = pos;
    this.#remaining = remaining;
    if (remaining > 0) return false;
    this.#state = 'terminator';
    return true;
  }

  #parseTerminator(): Instruction | boolean {
    const buffer = this.#buffer;
    if (this.#pos >= buffer.length) return false;
    const c = buffer.charCodeAt(this.#pos);
    if (c !== COMMA && c !== SEMICOLON) throw badTerminator(buffer.charAt(this.#pos));
    this.#elements.push(buffer.slice(this.#elementStart, this.#pos));
    this.#pos++;
    this.#length = 0;
    this.#state = 'length';
    if (c === COMMA) {
      if (this.#elements.length >= this.#limits.maxElements) {
        throw tooManyElements(this.#limits.maxElements);
      }
      return true;
    }
    const [opcode = '', ...args] = this.#elements;
    const instruction = new Instruction(opcode, args, buffer.slice(0, this.#pos));
    this.#buffer = buffer.slice(this.#pos);
    this.#pos = 0;
    this.#elements = [];
    return instruction;
  }
}

/**
 * Parses text that must hold only complete instructions (one WebSocket message, a test vector).
 * @param text the text
 * @param limits the limits; the client limits by default
 * @returns the instructions, in order
 * @throws {ClientError} when the text is malformed or ends inside an instruction
 */
export function parseInstructions(
  text: string,
  limits: ParserLimits = CLIENT_LIMITS,
): Instruction[] {
  const parser = new Parser(limits);
  const out: Instruction[] = [];
  parser.receive(text, (instruction) => out.push(instruction));
  if (parser.hasPartial) throw incompleteInstruction();
  return out;
}
