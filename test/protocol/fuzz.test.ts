import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import fc from 'fast-check';
import { ByteParser } from '../../src/protocol/byte-parser.js';
import { decodeInstruction } from '../../src/protocol/decode.js';
import { GuacamoleError } from '../../src/protocol/errors.js';
import { encodeInstruction, type Instruction } from '../../src/protocol/instruction.js';
import { CLIENT_LIMITS, type ParserLimits, UPSTREAM_LIMITS } from '../../src/protocol/limits.js';
import { Parser, parseInstructions } from '../../src/protocol/parser.js';
import { EMOJI, H, L, PAIR } from '../fixtures/instructions.js';
import { shapeOf, type InstructionShape } from './support.js';

const RUNS = 2000;

/** Any single UTF-16 unit, lone surrogates included. */
const utf16Unit = fc.integer({ min: 0, max: 0xffff }).map((unit) => String.fromCharCode(unit));
/** Characters that stress framing: separators, digits, surrogate halves and multi-byte characters. */
const trickyUnit = fc.constantFrom(H, L, PAIR, EMOJI, '犬', 'Á', ',', ';', '.', '0', '9', 'a');
/** The same without lone surrogates, so UTF-8 can carry it. */
const trickyUtf8Unit = fc.constantFrom(PAIR, EMOJI, '犬', 'Á', ',', ';', '.', '0', '9', 'a');

/** Any element text, lone surrogates included. */
const anyElement = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: utf16Unit, maxLength: 12 }),
  fc.string({ unit: trickyUnit, maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);
/** Element text that survives UTF-8. */
const utf8Element = fc.oneof(
  fc.string({ unit: 'binary', maxLength: 12 }),
  fc.string({ unit: trickyUtf8Unit, maxLength: 12 }),
  fc.string({ unit: 'grapheme', maxLength: 6 }),
);

type Elements = readonly [string, readonly string[]];

/**
 * @param element the element arbitrary
 * @returns arrays of 1–8 instructions of up to 6 args
 */
function instructionsOf(element: fc.Arbitrary<string>): fc.Arbitrary<Elements[]> {
  return fc.array(fc.tuple(element, fc.array(element, { maxLength: 6 })), {
    minLength: 1,
    maxLength: 8,
  });
}

/** Up to 6 cut points, as fractions of the input. */
const cuts = fc.array(fc.double({ min: 0, max: 1, noNaN: true }), { maxLength: 6 });

/**
 * Cuts a string or buffer at the given fractions of its length.
 * @param input the input
 * @param fractions where to cut
 * @returns the pieces, in order, covering the whole input
 */
function split<T extends string | Buffer>(input: T, fractions: readonly number[]): T[] {
  const points = [...new Set(fractions.map((f) => Math.floor(f * input.length)))].sort(
    (a, b) => a - b,
  );
  const pieces: T[] = [];
  let start = 0;
  for (const point of [...points, input.length]) {
    pieces.push(input.slice(start, point) as T);
    start = point;
  }
  return pieces;
}

/**
 * @param instructions elements
 * @returns the shapes they must parse to
 */
function expected(instructions: readonly Elements[]): InstructionShape[] {
  return instructions.map(([opcode, args]) => ({
    opcode,
    args: [...args],
    wire: encodeInstruction(opcode, ...args),
  }));
}

/**
 * @param instructions elements
 * @returns their encodings, concatenated
 */
function wireOf(instructions: readonly Elements[]): string {
  return expected(instructions)
    .map((shape) => shape.wire)
    .join('');
}

/**
 * Feeds string pieces to a Parser.
 * @param pieces the pieces
 * @param limits the limits
 * @returns what it delivered and the error it threw, if any
 */
function runParser(
  pieces: readonly string[],
  limits: ParserLimits = CLIENT_LIMITS,
): { delivered: Instruction[]; error: unknown; partial: boolean } {
  const parser = new Parser(limits);
  const delivered: Instruction[] = [];
  let error: unknown;
  for (const piece of pieces) {
    try {
      parser.receive(piece, (instruction) => delivered.push(instruction));
    } catch (caught) {
      if (error !== undefined) assert.equal(caught, error, 'a failed parser rethrows its error');
      error = caught;
    }
  }
  return { delivered, error, partial: error === undefined && parser.hasPartial };
}

/**
 * Pushes pieces to a ByteParser, taking one instruction at a time after each push.
 * @param pieces the pieces
 * @param limits the limits
 * @returns what it framed and the error it threw, if any
 */
function runByteParser(
  pieces: readonly Buffer[],
  limits: ParserLimits = UPSTREAM_LIMITS,
): { framed: Buffer[]; error: unknown; partial: boolean } {
  const parser = new ByteParser(limits);
  const framed: Buffer[] = [];
  let error: unknown;
  for (const piece of pieces) {
    parser.push(piece);
    try {
      for (let one = parser.takeOne(); one; one = parser.takeOne()) framed.push(one);
    } catch (caught) {
      if (error !== undefined) assert.equal(caught, error, 'a failed parser rethrows its error');
      error = caught;
    }
  }
  return { framed, error, partial: error === undefined && parser.hasPartial };
}

/** Garbage text: random units, or a protocol-like alphabet that reaches deeper parser states. */
const garbageText = fc.oneof(
  fc.string({ unit: utf16Unit, maxLength: 60 }),
  fc.string({
    unit: fc.constantFrom('0', '1', '2', '3', '9', '.', ',', ';', 'a', H, L, EMOJI, 'é'),
    maxLength: 80,
  }),
  // Valid streams with one character replaced.
  fc
    .tuple(instructionsOf(anyElement), fc.double({ min: 0, max: 1, noNaN: true }), utf16Unit)
    .map(([instructions, at, unit]) => {
      const wire = wireOf(instructions);
      const i = Math.floor(at * wire.length);
      return wire.slice(0, i) + unit + wire.slice(i + 1);
    }),
);

/** Garbage bytes: random, protocol-like, or valid streams with one byte replaced. */
const garbageBytes = fc.oneof(
  fc.uint8Array({ maxLength: 80 }).map((array) => Buffer.from(array)),
  fc
    .array(
      fc.constantFrom(0x30, 0x31, 0x32, 0x39, 0x2e, 0x2c, 0x3b, 0x61, 0xf0, 0xe7, 0xc3, 0x80, 0xff),
      {
        maxLength: 80,
      },
    )
    .map((array) => Buffer.from(array)),
  fc
    .tuple(
      instructionsOf(utf8Element),
      fc.double({ min: 0, max: 1, noNaN: true }),
      fc.integer({ min: 0, max: 255 }),
    )
    .map(([instructions, at, byte]) => {
      const bytes = Buffer.from(wireOf(instructions), 'utf8');
      bytes[Math.floor(at * (bytes.length - 1))] = byte;
      return bytes;
    }),
);

const limitsArb = fc.constantFrom<ParserLimits>(CLIENT_LIMITS, UPSTREAM_LIMITS, {
  maxElementLength: 3,
  maxElements: 2,
});

void describe('protocol codec properties', () => {
  void describe('round trip', () => {
    void it('encode → Parser gives back the same elements and raw text, whatever the split', () => {
      fc.assert(
        fc.property(instructionsOf(anyElement), cuts, (instructions, fractions) => {
          const shapes = expected(instructions);
          const wire = shapes.map((shape) => shape.wire).join('');
          const whole = runParser([wire]);
          assert.equal(whole.error, undefined);
          assert.deepEqual(whole.delivered.map(shapeOf), shapes);
          const pieces = runParser(split(wire, fractions));
          assert.equal(pieces.error, undefined);
          assert.equal(pieces.partial, false);
          assert.deepEqual(pieces.delivered.map(shapeOf), shapes);
          assert.deepEqual(parseInstructions(wire).map(shapeOf), shapes);
        }),
        { numRuns: RUNS },
      );
    });

    void it('encode → UTF-8 → ByteParser → decodeInstruction gives back the same elements and bytes', () => {
      fc.assert(
        fc.property(instructionsOf(utf8Element), cuts, (instructions, fractions) => {
          const shapes = expected(instructions);
          const bytes = Buffer.from(shapes.map((shape) => shape.wire).join(''), 'utf8');
          const { framed, error, partial } = runByteParser(split(bytes, fractions));
          assert.equal(error, undefined);
          assert.equal(partial, false);
          assert.deepEqual(Buffer.concat(framed), bytes);
          assert.deepEqual(
            framed.map((raw) => shapeOf(decodeInstruction(raw))),
            shapes,
          );
        }),
        { numRuns: RUNS },
      );
    });

    void it('take() returns exactly the input bytes, whatever the split and maxBytes', () => {
      fc.assert(
        fc.property(
          instructionsOf(utf8Element),
          cuts,
          fc.integer({ min: 1, max: 64 }),
          (instructions, fractions, maxBytes) => {
            const bytes = Buffer.from(wireOf(instructions), 'utf8');
            const parser = new ByteParser();
            const out: Buffer[] = [];
            for (const piece of split(bytes, fractions)) {
              parser.push(piece);
              for (let burst = parser.take(maxBytes); burst; burst = parser.take(maxBytes)) {
                out.push(burst);
              }
            }
            assert.deepEqual(Buffer.concat(out), bytes);
            assert.equal(parser.buffered, 0);
          },
        ),
        { numRuns: RUNS },
      );
    });
  });

  void describe('garbage', () => {
    void it('Parser only ever throws GuacamoleErrors and delivers a prefix of its input', () => {
      fc.assert(
        fc.property(garbageText, cuts, limitsArb, (text, fractions, limits) => {
          const { delivered, error } = runParser(split(text, fractions), limits);
          if (error !== undefined) assert.ok(error instanceof GuacamoleError, inspect(error));
          const raw = delivered.map(String).join('');
          assert.ok(text.startsWith(raw));
          for (const instruction of delivered) {
            assert.deepEqual(parseInstructions(instruction.toString(), limits).map(shapeOf), [
              shapeOf(instruction),
            ]);
          }
        }),
        { numRuns: RUNS * 2 },
      );
    });

    void it('ByteParser only ever throws GuacamoleErrors and frames a prefix of its input', () => {
      fc.assert(
        fc.property(garbageBytes, cuts, limitsArb, (bytes, fractions, limits) => {
          const { framed, error } = runByteParser(split(bytes, fractions), limits);
          if (error !== undefined) assert.ok(error instanceof GuacamoleError, inspect(error));
          const raw = Buffer.concat(framed);
          assert.deepEqual(bytes.subarray(0, raw.length), raw);
          for (const one of framed) assert.equal(one.at(-1), 0x3b);
        }),
        { numRuns: RUNS * 2 },
      );
    });

    void it('every ByteParser method throws only GuacamoleErrors, in any order', () => {
      const op = fc.constantFrom('take', 'takeOne', 'available', 'hasPartial', 'discard');
      fc.assert(
        fc.property(
          garbageBytes,
          cuts,
          fc.array(op, { maxLength: 12 }),
          (bytes, fractions, ops) => {
            const parser = new ByteParser(CLIENT_LIMITS);
            const pieces = split(bytes, fractions);
            for (const [i, name] of ops.entries()) {
              const piece = pieces[i];
              if (piece) parser.push(piece);
              try {
                if (name === 'take') parser.take(i);
                else if (name === 'takeOne') parser.takeOne();
                else if (name === 'available') parser.available();
                else if (name === 'hasPartial') assert.equal(typeof parser.hasPartial, 'boolean');
                else parser.discardPartial();
              } catch (error) {
                assert.ok(error instanceof GuacamoleError, inspect(error));
              }
            }
          },
        ),
        { numRuns: RUNS * 2 },
      );
    });

    void it('Parser and ByteParser agree on well-formed Unicode input, error codes included', () => {
      const text = fc.oneof(
        fc.string({
          unit: fc.constantFrom('0', '1', '2', '3', '9', '.', ',', ';', 'a', EMOJI, 'é', '犬'),
          maxLength: 80,
        }),
        instructionsOf(utf8Element).map((instructions) => wireOf(instructions)),
      );
      fc.assert(
        fc.property(text, limitsArb, (input, limits) => {
          const strings = runParser([input], limits);
          const bytes = runByteParser([Buffer.from(input, 'utf8')], limits);
          assert.deepEqual(
            bytes.framed.map((raw) => raw.toString('utf8')),
            strings.delivered.map(String),
          );
          const code = (error: unknown): unknown =>
            error instanceof GuacamoleError ? error.code : error;
          assert.equal(code(bytes.error), code(strings.error));
          assert.equal(bytes.partial, strings.partial);
        }),
        { numRuns: RUNS * 2 },
      );
    });
  });
});
