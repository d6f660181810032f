import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ClientError, ClientOverrunError, GuacamoleError } from '../../src/protocol/errors.js';
import { encodeInstruction, type Instruction } from '../../src/protocol/instruction.js';
import {
  CLIENT_LIMITS,
  MAX_ELEMENTS,
  MAX_INSTRUCTION_LENGTH,
  UPSTREAM_LIMITS,
} from '../../src/protocol/limits.js';
import { Parser, parseInstructions } from '../../src/protocol/parser.js';
import { GuacamoleStatus } from '../../src/protocol/status.js';
import { concatWire, EMOJI, H, INSTRUCTIONS, L, PAIR, U } from '../fixtures/instructions.js';
import { assertInstructions, assertThrowsGuac, legacyEncode } from './support.js';

const STREAM = concatWire(INSTRUCTIONS);

/**
 * Feeds pieces to a new parser and collects what it delivers.
 * @param pieces the text, in receive() calls
 * @returns the instructions and the parser
 */
function feed(pieces: readonly string[]): { instructions: Instruction[]; parser: Parser } {
  const parser = new Parser();
  const instructions: Instruction[] = [];
  for (const piece of pieces)
    parser.receive(piece, (instruction) => instructions.push(instruction));
  return { instructions, parser };
}

const BAD_LENGTH = {
  type: ClientError,
  status: GuacamoleStatus.CLIENT_BAD_REQUEST,
  code: 'GUAC_ERR_BAD_LENGTH',
} as const;
const BAD_TERMINATOR = {
  type: ClientError,
  status: GuacamoleStatus.CLIENT_BAD_REQUEST,
  code: 'GUAC_ERR_BAD_TERMINATOR',
} as const;
const TOO_LONG = {
  type: ClientOverrunError,
  status: GuacamoleStatus.CLIENT_OVERRUN,
  code: 'GUAC_ERR_ELEMENT_TOO_LONG',
} as const;
const TOO_MANY = {
  type: ClientOverrunError,
  status: GuacamoleStatus.CLIENT_OVERRUN,
  code: 'GUAC_ERR_TOO_MANY_ELEMENTS',
} as const;

/**
 * @param elements how many elements, opcode included
 * @returns an instruction with that many elements: opcode `x` and empty args
 */
function withElements(elements: number): string {
  return '1.x' + ',0.'.repeat(elements - 1) + ';';
}

void describe('Parser', () => {
  void describe('golden vectors', () => {
    for (const vector of INSTRUCTIONS) {
      void it(`parses ${vector.name}`, () => {
        const { instructions, parser } = feed([vector.wire]);
        assertInstructions(instructions, [vector]);
        assert.equal(parser.hasPartial, false);
      });
    }

    void it('parses the whole table fed at once', () => {
      const { instructions, parser } = feed([STREAM]);
      assertInstructions(instructions, INSTRUCTIONS);
      assert.equal(parser.hasPartial, false);
    });

    void it('parses the whole table fed one UTF-16 unit at a time, splitting surrogate pairs', () => {
      const units = Array.from({ length: STREAM.length }, (_, i) => STREAM.charAt(i));
      const { instructions, parser } = feed(units);
      assertInstructions(instructions, INSTRUCTIONS);
      assert.equal(parser.hasPartial, false);
    });

    void it('parses the whole table split into two receives at every index', () => {
      for (let i = 0; i <= STREAM.length; i++) {
        const { instructions, parser } = feed([STREAM.slice(0, i), STREAM.slice(i)]);
        assertInstructions(instructions, INSTRUCTIONS);
        assert.equal(parser.hasPartial, false, `split at ${i}`);
      }
    });

    void it('delivers each instruction as soon as its terminator arrives', () => {
      const parser = new Parser();
      const seen: string[] = [];
      for (const [index, vector] of INSTRUCTIONS.entries()) {
        parser.receive(vector.wire.slice(0, -1), (instruction) =>
          seen.push(instruction.toString()),
        );
        assert.equal(seen.length, index, vector.name);
        parser.receive(';', (instruction) => seen.push(instruction.toString()));
        assert.equal(seen.at(-1), vector.wire);
      }
    });

    void it('delivers nothing until the §9.8 buffer-mode instruction is complete', () => {
      const parser = new Parser();
      const seen: Instruction[] = [];
      parser.receive('5.test2,10.hello', (i) => seen.push(i));
      assert.equal(seen.length, 0);
      parser.receive('hello,15', (i) => seen.push(i));
      assert.equal(seen.length, 0);
      parser.receive('.worldworldworld;', (i) => seen.push(i));
      assert.equal(seen.length, 1);
      assert.equal(seen[0]?.opcode, 'test2');
      assert.deepEqual(seen[0].args, ['hellohello', 'worldworldworld']);
    });

    void it('pairs a high surrogate with a low surrogate that arrives in the next receive', () => {
      const { instructions } = feed(['4.test,5.1234' + H, L + ';']);
      assert.deepEqual(instructions[0]?.args, ['1234' + PAIR]);
    });

    void it('treats a lone high surrogate as one code point once the next unit shows it is unpaired', () => {
      const { instructions } = feed(['4.test,5.1234' + H, ',5.4567' + L + ';']);
      assert.deepEqual(instructions[0]?.args, ['1234' + H, '4567' + L]);
    });

    void it('accepts zero-padded lengths and keeps them in the raw text', () => {
      const [instruction] = parseInstructions('004.test,0000003.foo;');
      assert.equal(instruction?.opcode, 'test');
      assert.deepEqual(instruction.args, ['foo']);
      assert.equal(instruction.toString(), '004.test,0000003.foo;');
    });
  });

  void describe('#hasPartial', () => {
    void it('is false before any input, true inside an instruction and false after it', () => {
      const parser = new Parser();
      assert.equal(parser.hasPartial, false);
      parser.receive('4.te', () => undefined);
      assert.equal(parser.hasPartial, true);
      parser.receive('st', () => undefined);
      assert.equal(parser.hasPartial, true);
      parser.receive(';', () => undefined);
      assert.equal(parser.hasPartial, false);
    });

    void it('is true when only a length digit has arrived', () => {
      const parser = new Parser();
      parser.receive('3.nop;4', () => undefined);
      assert.equal(parser.hasPartial, true);
    });
  });

  void describe('malformed input', () => {
    void it('rejects a non-numeric length and names the character', () => {
      assertThrowsGuac(() => feed(['4.test,x.foo;']), {
        ...BAD_LENGTH,
        message: [/Non-numeric character in element length/, /"x"/],
      });
    });

    void it('rejects a negative length', () => {
      assertThrowsGuac(() => feed(['-1.a;']), {
        ...BAD_LENGTH,
        message: [/Non-numeric character in element length/, /"-"/],
      });
    });

    void it('rejects a length cut by a terminator', () => {
      assertThrowsGuac(() => feed(['4;']), { ...BAD_LENGTH, message: [/";"/] });
    });

    void it('rejects an element followed by something other than "," or ";" and names it', () => {
      assertThrowsGuac(() => feed(['4.test:']), {
        ...BAD_TERMINATOR,
        message: [/Element terminator of instruction was not ';' nor ','/, /":"/, /code points/],
      });
    });

    void it('rejects a length one code point too short', () => {
      assertThrowsGuac(() => feed(['3.test;']), { ...BAD_TERMINATOR, message: [/"t"/] });
    });

    void it('rejects the UTF-16 lengths of guacamole-common-js 1.5.0 for an astral character', () => {
      // The npm 1.5.0 client (and Java ≤ 1.5.1) write String.length: 2 for one emoji.
      assert.equal(legacyEncode('test', EMOJI), '4.test,2.' + EMOJI + ';');
      const stream = legacyEncode('name', EMOJI) + '3.nop;';
      assert.equal(stream, '4.name,2.' + EMOJI + ';3.nop;');
      // The ';' is read as the second code point, so the next instruction's "3" is the terminator.
      assertThrowsGuac(() => feed([stream]), { ...BAD_TERMINATOR, message: [/"3"/] });
    });

    void it('mis-frames a lone legacy-encoded astral instruction as incomplete', () => {
      assertThrowsGuac(() => parseInstructions(legacyEncode('name', EMOJI + 'x')), {
        type: ClientError,
        status: GuacamoleStatus.CLIENT_BAD_REQUEST,
        code: 'GUAC_ERR_INCOMPLETE',
        message: [/incomplete/],
      });
    });

    void it('accepts the same text when it is encoded with code points', () => {
      assertInstructions(parseInstructions(encodeInstruction('name', EMOJI) + '3.nop;'), [
        { name: 'name', wire: '4.name,1.' + EMOJI + ';', opcode: 'name', args: [EMOJI] },
        { name: 'nop', wire: '3.nop;', opcode: 'nop', args: [] },
      ]);
    });

    void it('shows an unprintable offending character escaped', () => {
      assertThrowsGuac(() => feed(['4.test\u0000']), {
        ...BAD_TERMINATOR,
        message: [/\\u0000/],
      });
    });
  });

  void describe('limits', () => {
    void it('accepts an element of exactly 8192 code points', () => {
      const blob = 'A'.repeat(MAX_INSTRUCTION_LENGTH);
      const [instruction] = parseInstructions(`4.blob,1.1,8192.${blob};`);
      assert.equal(instruction?.args[1], blob);
    });

    void it('counts the 8192 limit in code points: 8192 astral characters pass', () => {
      const blob = EMOJI.repeat(MAX_INSTRUCTION_LENGTH);
      assert.equal(blob.length, 16384);
      const [instruction] = parseInstructions(`4.blob,8192.${blob};`);
      assert.equal(instruction?.args[0], blob);
    });

    void it('rejects an element of 8193 code points with CLIENT_OVERRUN (781)', () => {
      const error = assertThrowsGuac(
        () => parseInstructions(`4.blob,1.1,8193.${'A'.repeat(8193)};`),
        { ...TOO_LONG, message: [/Instruction exceeds maximum length/, /8192/] },
      );
      assert.equal(error.status.guac, 781);
      assert.equal(error.status.http, 413);
      assert.equal(error.status.ws, 1009);
    });

    void it('rejects an over-long length as soon as its digits exceed the limit, before any content', () => {
      const parser = new Parser();
      parser.receive('4.blob,819', () => undefined);
      assertThrowsGuac(
        () => {
          parser.receive('3', () => undefined);
        },
        { ...TOO_LONG, message: [/8192/] },
      );
    });

    void it('fails fast on a huge digit string instead of accumulating it', () => {
      assertThrowsGuac(() => feed(['9'.repeat(5_000_000)]), { ...TOO_LONG, message: [/8192/] });
      assertThrowsGuac(() => feed(['1'.repeat(400) + '.a;']), { ...TOO_LONG, message: [/8192/] });
    });

    void it('accepts 128 elements, opcode included', () => {
      const [instruction] = parseInstructions(withElements(MAX_ELEMENTS));
      assert.equal(instruction?.args.length, MAX_ELEMENTS - 1);
    });

    void it('rejects 129 elements with CLIENT_OVERRUN', () => {
      assertThrowsGuac(() => parseInstructions(withElements(MAX_ELEMENTS + 1)), {
        ...TOO_MANY,
        message: [/Instruction contains too many elements/, /128/],
      });
    });

    void it("accepts guacd's 89-element RDP args instruction", () => {
      const names = Array.from({ length: 87 }, (_, i) => `param-${i}`);
      const [instruction] = parseInstructions(encodeInstruction('args', 'VERSION_1_5_0', ...names));
      assert.equal(instruction?.args.length, 88);
    });

    void it('applies custom limits', () => {
      const limits = { maxElementLength: 3, maxElements: 2 };
      assert.equal(parseInstructions('3.abc,3.def;', limits).length, 1);
      assertThrowsGuac(() => parseInstructions('4.abcd;', limits), { ...TOO_LONG, message: [/3/] });
      assertThrowsGuac(() => parseInstructions('1.a,1.b,1.c;', limits), {
        ...TOO_MANY,
        message: [/2/],
      });
    });

    void it('uses the client limits by default and accepts 8193 with the upstream limits', () => {
      assert.deepEqual(CLIENT_LIMITS, { maxElementLength: 8192, maxElements: 128 });
      const wire = `4.blob,8193.${'A'.repeat(8193)};`;
      assert.throws(() => parseInstructions(wire), ClientOverrunError);
      assert.equal(parseInstructions(wire, UPSTREAM_LIMITS)[0]?.args[0]?.length, 8193);
      assert.equal(parseInstructions(withElements(MAX_ELEMENTS + 1), UPSTREAM_LIMITS).length, 1);
    });
  });

  void describe('after an error', () => {
    void it('delivers the instructions that precede the error in the same receive', () => {
      const seen: string[] = [];
      const parser = new Parser();
      assert.throws(() => {
        parser.receive('3.nop;4.sync,1.1;4.test:', (i) => seen.push(i.toString()));
      }, ClientError);
      assert.deepEqual(seen, ['3.nop;', '4.sync,1.1;']);
    });

    void it("delivers guacd append.c's instruction and then rejects the trailing garbage", () => {
      const seen: Instruction[] = [];
      const parser = new Parser();
      const input = '4.test,8.testdata,5.zxcvb,13.guacamoletest;XXXXXXXXXXXXXXXXXX';
      assertThrowsGuac(
        () => {
          parser.receive(input, (i) => seen.push(i));
        },
        { ...BAD_LENGTH, message: [/"X"/] },
      );
      assert.deepEqual(
        seen.map((i) => [i.opcode, ...i.args]),
        [['test', 'testdata', 'zxcvb', 'guacamoletest']],
      );
    });

    void it('stays failed and rethrows the same error, delivering nothing more', () => {
      const parser = new Parser();
      let first: unknown;
      try {
        parser.receive('x', () => undefined);
      } catch (error) {
        first = error;
      }
      assert.ok(first instanceof GuacamoleError);
      let calls = 0;
      for (const more of ['3.nop;', '', ';']) {
        assert.throws(
          () => {
            parser.receive(more, () => calls++);
          },
          (error) => error === first,
        );
      }
      assert.equal(calls, 0);
    });
  });

  void describe('parseInstructions', () => {
    void it('parses a message of whole instructions', () => {
      assertInstructions(parseInstructions(STREAM), INSTRUCTIONS);
    });

    void it('returns nothing for empty text', () => {
      assert.deepEqual(parseInstructions(''), []);
    });

    for (const tail of ['4', '4.', '4.te', '4.test', '4.test,', '4.test,5.12' + H, '1.' + H]) {
      void it(`rejects text ending inside an instruction (${JSON.stringify(tail)}) as incomplete`, () => {
        assertThrowsGuac(() => parseInstructions('3.nop;' + tail), {
          type: ClientError,
          status: GuacamoleStatus.CLIENT_BAD_REQUEST,
          code: 'GUAC_ERR_INCOMPLETE',
          message: [/ends inside an instruction/],
        });
      });
    }

    void it('parses the surrogate vectors without help from a following instruction', () => {
      assert.deepEqual(parseInstructions('1.' + H + ';')[0]?.opcode, H);
      assert.deepEqual(parseInstructions('1.' + L + ';')[0]?.opcode, L);
      assert.deepEqual(parseInstructions('2.' + U.slice(0, 2) + ';')[0]?.opcode, U.slice(0, 2));
    });
  });
});
