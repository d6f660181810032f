/**
 * @module InstructionFilter (GuacamoleFilter) with a filtered reader and writer. A filter returns the
 * instruction (or a replacement) to keep it, or null to drop it; it may throw a GuacamoleError.
 */
import { ByteParser } from './byte-parser.js';
import { decodeInstruction } from './decode.js';
import { ServerError } from './errors.js';
import type { Instruction } from './instruction.js';
import { CLIENT_LIMITS, type ParserLimits } from './limits.js';
import { Parser } from './parser.js';
import type { GuacamoleReader } from './reader.js';
import type { GuacamoleWriter } from './writer.js';

/** Inspects, replaces or drops one instruction. */
export type InstructionFilter = (instruction: Instruction) => Instruction | null;

/**
 * Splits bytes that hold only whole instructions into one Buffer per instruction (no copies).
 * @param bytes whole instructions
 * @returns one slice per instruction
 */
export function splitInstructions(bytes: Buffer): Buffer[] {
  const parser = new ByteParser();
  parser.push(bytes);
  const out: Buffer[] = [];
  for (let one = parser.takeOne(); one; one = parser.takeOne()) out.push(one);
  return out;
}

/** A reader that passes every instruction through a filter (FilteredGuacamoleReader). */
export class FilteredReader implements GuacamoleReader {
  readonly #inner: GuacamoleReader;
  readonly #filter: InstructionFilter;

  /**
   * @param inner the reader to filter
   * @param filter the filter
   */
  constructor(inner: GuacamoleReader, filter: InstructionFilter) {
    this.#inner = inner;
    this.#filter = filter;
  }

  /** Instructions the filter keeps unchanged are passed on as their original bytes. */
  async read(maxBytes?: number): Promise<Buffer | null> {
    for (;;) {
      const burst = await this.#inner.read(maxBytes);
      if (burst === null) return null;
      const kept: Buffer[] = [];
      for (const raw of splitInstructions(burst)) {
        const instruction = decodeInstruction(raw);
        const result = this.#filter(instruction);
        if (result === instruction) kept.push(raw);
        else if (result !== null) kept.push(Buffer.from(result.toString()));
      }
      if (kept.length > 0) return kept.length === 1 ? (kept[0] as Buffer) : Buffer.concat(kept);
    }
  }

  async readInstruction(): Promise<Instruction | null> {
    for (;;) {
      const instruction = await this.#inner.readInstruction();
      if (instruction === null) return null;
      const result = this.#filter(instruction);
      if (result !== null) return result;
    }
  }

  available(): boolean {
    return this.#inner.available();
  }
}

/**
 * A writer that parses what is written and passes each instruction through a filter
 * (FilteredGuacamoleWriter). Each write must end on an instruction boundary.
 */
export class FilteredWriter implements GuacamoleWriter {
  readonly #inner: GuacamoleWriter;
  readonly #filter: InstructionFilter;
  readonly #parser: Parser;

  /**
   * @param inner the writer to filter into
   * @param filter the filter
   * @param limits parser limits for the written text; the client limits by default
   */
  constructor(
    inner: GuacamoleWriter,
    filter: InstructionFilter,
    limits: ParserLimits = CLIENT_LIMITS,
  ) {
    this.#inner = inner;
    this.#filter = filter;
    this.#parser = new Parser(limits);
  }

  /**
   * Instructions before a malformed one are still written, as in Java.
   * @throws {ClientError} on malformed text
   * @throws {ServerError} when the text ends inside an instruction
   */
  async write(data: string | Uint8Array): Promise<void> {
    const parsed: Instruction[] = [];
    let failure: Error | undefined;
    try {
      this.#parser.receive(
        typeof data === 'string' ? data : Buffer.from(data).toString('utf8'),
        (instruction) => parsed.push(instruction),
      );
    } catch (error) {
      failure = error as Error;
    }
    for (const instruction of parsed) await this.writeInstruction(instruction);
    if (failure !== undefined) throw failure;
    if (this.#parser.hasPartial) {
      throw new ServerError('Filtered write() contained an incomplete instruction.', {
        code: 'GUAC_ERR_INCOMPLETE',
      });
    }
  }

  async writeInstruction(instruction: Instruction): Promise<void> {
    const result = this.#filter(instruction);
    if (result !== null) await this.#inner.writeInstruction(result);
  }
}
