import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ByteParser } from '../../src/protocol/byte-parser.js';
import { decodeInstruction } from '../../src/protocol/decode.js';
import { ClientError, ClientOverrunError, GuacamoleError } from '../../src/protocol/errors.js';
import {
  CLIENT_LIMITS,
  MAX_ELEMENTS,
  MAX_INSTRUCTION_LENGTH,
  UPSTREAM_LIMITS,
} from '../../src/protocol/limits.js';
import { GuacamoleStatus } from '../../src/protocol/status.js';
import { BYTE_INSTRUCTIONS, concatWire, EMOJI, GUACD_U, UTF8_4 } from '../fixtures/instructions.js';
import { assertInstructions, assertThrowsGuac } from './support.js';

const STREAM = Buffer.from(concatWire(BYTE_INSTRUCTIONS), 'utf8');

/**
 * Takes every complete instruction, one at a time.
 * @param parser the parser
 * @returns the raw bytes of each
 */
function takeEach(parser: ByteParser): Buffer[] {
  const out: Buffer[] = [];
  for (let one = parser.takeOne(); one; one = parser.takeOne()) out.push(one);
  return out;
}

/**
 * @param chunks the chunks to push
 * @param limits the limits, or the default
 * @returns a parser holding them
 */
function parserWith(chunks: readonly Buffer[], limits = UPSTREAM_LIMITS): ByteParser {
  const parser = new ByteParser(limits);
  for (const chunk of chunks) parser.push(chunk);
  return parser;
}

const ascii = (text: string): Buffer => Buffer.from(text, 'utf8');

/**
 * @param elements how many elements, opcode included
 * @returns an instruction with opcode `x` and empty args
 */
function withElements(elements: number): Buffer {
  return ascii('1.x' + ',0.'.repeat(elements - 1) + ';');
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

/**
 * Finds offsets that fall inside a multi-byte character of the given size.
 * @param bytes valid UTF-8
 * @param size the character size in bytes (2–4)
 * @returns offsets strictly inside such characters
 */
function offsetsInside(bytes: Buffer, size: number): number[] {
  const out: number[] = [];
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i] ?? 0;
    const n = lead < 0x80 ? 1 : lead < 0xe0 ? 2 : lead < 0xf0 ? 3 : 4;
    if (n === size) for (let k = 1; k < n; k++) out.push(i + k);
    i += n;
  }
  return out;
}

void describe('ByteParser', () => {
  void describe('golden vectors as UTF-8 bytes', () => {
    for (const vector of BYTE_INSTRUCTIONS) {
      void it(`frames ${vector.name}`, () => {
        const bytes = ascii(vector.wire);
        const parser = parserWith([bytes]);
        const one = parser.takeOne();
        assert.ok(one);
        assert.deepEqual(one, bytes);
        assertInstructions([decodeInstruction(one)], [vector]);
        assert.equal(parser.takeOne(), undefined);
        assert.equal(parser.buffered, 0);
        assert.equal(parser.hasPartial, false);
      });
    }

    void it('frames the whole table pushed at once, returning the exact input bytes', () => {
      const parser = parserWith([STREAM]);
      assert.deepEqual(parser.take(), STREAM);
      assert.equal(parser.take(), undefined);
    });

    void it('frames the whole table one instruction at a time with takeOne', () => {
      const parts = takeEach(parserWith([STREAM]));
      assert.deepEqual(Buffer.concat(parts), STREAM);
      assertInstructions(parts.map(decodeInstruction), BYTE_INSTRUCTIONS);
    });

    void it('frames the table split into two pushes at every byte index', () => {
      for (let i = 0; i <= STREAM.length; i++) {
        const halves = [STREAM.subarray(0, i), STREAM.subarray(i)];
        const whole = parserWith(halves).take();
        assert.deepEqual(whole, STREAM, `take() with a split at ${i}`);
        const parts = takeEach(parserWith(halves));
        assertInstructions(parts.map(decodeInstruction), BYTE_INSTRUCTIONS);
      }
    });

    void it('frames the table split inside 2-, 3- and 4-byte characters', () => {
      for (const size of [2, 3, 4]) {
        const offsets = offsetsInside(STREAM, size);
        assert.ok(offsets.length > 0, `the table has ${size}-byte characters`);
        for (const i of offsets) {
          const parser = parserWith([STREAM.subarray(0, i)]);
          const before = takeEach(parser);
          parser.push(STREAM.subarray(i));
          const parts = [...before, ...takeEach(parser)];
          assert.deepEqual(Buffer.concat(parts), STREAM, `split at ${i}`);
          assertInstructions(parts.map(decodeInstruction), BYTE_INSTRUCTIONS);
        }
      }
    });

    void it('frames a 4-byte character pushed one byte at a time inside an element', () => {
      const bytes = ascii('4.name,3.a' + EMOJI + 'b;');
      const parser = new ByteParser();
      for (let i = 0; i < bytes.length - 1; i++) {
        parser.push(bytes.subarray(i, i + 1));
        assert.equal(parser.available(), false, `after byte ${i}`);
      }
      parser.push(bytes.subarray(-1));
      const one = parser.takeOne();
      assert.ok(one);
      assert.deepEqual(decodeInstruction(one).args, ['a' + EMOJI + 'b']);
    });

    void it('frames the table pushed one byte at a time, taking after every push', () => {
      const parser = new ByteParser();
      const taken: Buffer[] = [];
      for (let i = 0; i < STREAM.length; i++) {
        parser.push(STREAM.subarray(i, i + 1));
        const out = parser.take();
        if (out) taken.push(out);
      }
      assert.deepEqual(Buffer.concat(taken), STREAM);
      assertInstructions(taken.map(decodeInstruction), BYTE_INSTRUCTIONS);
      assert.equal(parser.hasPartial, false);
    });

    void it('frames the table pushed one byte at a time and drained once at the end', () => {
      const parser = new ByteParser();
      for (let i = 0; i < STREAM.length; i++) parser.push(STREAM.subarray(i, i + 1));
      assert.equal(parser.buffered, STREAM.length);
      const parts = takeEach(parser);
      assert.deepEqual(Buffer.concat(parts), STREAM);
      assertInstructions(parts.map(decodeInstruction), BYTE_INSTRUCTIONS);
    });

    void it("frames guacd read.c's stream built from UTF8_4 bytes", () => {
      const stream = Buffer.concat([
        ascii('4.test,6.a'),
        UTF8_4,
        ascii('b,5.12345,10.a'),
        UTF8_4,
        UTF8_4,
        ascii('c;5.test2,10.hellohello,15.worldworldworld;'),
      ]);
      const parts = takeEach(parserWith([stream]));
      assert.deepEqual(
        parts.map(decodeInstruction).map((i) => [i.opcode, ...i.args]),
        [
          ['test', 'a' + GUACD_U + 'b', '12345', 'a' + GUACD_U + GUACD_U + 'c'],
          ['test2', 'hellohello', 'worldworldworld'],
        ],
      );
    });

    void it("leaves guacd append.c's 18 trailing bytes unparsed after the instruction", () => {
      const parser = parserWith([
        ascii('4.test,8.testdata,5.zxcvb,13.guacamoletest;XXXXXXXXXXXXXXXXXX'),
      ]);
      const one = parser.takeOne();
      assert.ok(one);
      assert.equal(one.toString(), '4.test,8.testdata,5.zxcvb,13.guacamoletest;');
      assert.equal(parser.buffered, 18);
      assertThrowsGuac(() => parser.take(), { ...BAD_LENGTH, message: [/"X"/] });
    });
  });

  void describe('#take', () => {
    const three = ascii('3.abc;3.def;3.ghi;');

    void it('returns undefined when nothing is buffered or only part of an instruction', () => {
      const parser = new ByteParser();
      assert.equal(parser.take(), undefined);
      parser.push(ascii('3.ab'));
      assert.equal(parser.take(), undefined);
      assert.equal(parser.buffered, 4);
    });

    void it('stops after the instruction that reaches maxBytes', () => {
      const cases: readonly (readonly [number, string])[] = [
        [1, '3.abc;'],
        [6, '3.abc;'],
        [7, '3.abc;3.def;'],
        [12, '3.abc;3.def;'],
        [13, '3.abc;3.def;3.ghi;'],
        [1000, '3.abc;3.def;3.ghi;'],
        [Infinity, '3.abc;3.def;3.ghi;'],
      ];
      for (const [maxBytes, expected] of cases) {
        const out = parserWith([three]).take(maxBytes);
        assert.equal(out?.toString(), expected, `take(${maxBytes})`);
      }
    });

    void it('returns whole instructions only, even when the first exceeds maxBytes', () => {
      const parser = parserWith([ascii('4.blob,1.1,10.0123456789;3.nop;')]);
      assert.equal(parser.take(3)?.toString(), '4.blob,1.1,10.0123456789;');
      assert.equal(parser.take(3)?.toString(), '3.nop;');
    });

    void it('returns one whole instruction for maxBytes 0 (the limit is soft)', () => {
      assert.equal(parserWith([three]).take(0)?.toString(), '3.abc;');
    });

    void it('leaves a partial tail buffered and returns it once completed', () => {
      const parser = parserWith([ascii('3.abc;3.de')]);
      assert.equal(parser.take()?.toString(), '3.abc;');
      assert.equal(parser.buffered, 4);
      parser.push(ascii('f;'));
      assert.equal(parser.take()?.toString(), '3.def;');
      assert.equal(parser.buffered, 0);
    });

    void it('takes exactly one instruction with takeOne after hasPartial has scanned ahead', () => {
      const parser = parserWith([ascii('3.foo;3.bar;3.ba')]);
      assert.equal(parser.hasPartial, true);
      assert.equal(parser.takeOne()?.toString(), '3.foo;');
      assert.equal(parser.takeOne()?.toString(), '3.bar;');
      assert.equal(parser.takeOne(), undefined);
    });

    void it('honours maxBytes after hasPartial has scanned ahead', () => {
      const parser = parserWith([three]);
      assert.equal(parser.hasPartial, false);
      assert.equal(parser.take(6)?.toString(), '3.abc;');
    });

    void it('returns a copy of the right bytes when an instruction spans chunks', () => {
      const a = ascii('3.abc;3.d');
      const b = ascii('ef;3.g');
      const c = ascii('hi;');
      const parser = parserWith([a, b, c]);
      assert.equal(parser.take()?.toString(), '3.abc;3.def;3.ghi;');
    });
  });

  void describe('zero copy', () => {
    void it('returns a view of the pushed chunk when all instructions are in it', () => {
      const chunk = ascii('3.nop;4.sync,1.1;');
      const out = parserWith([chunk]).take();
      assert.ok(out);
      assert.equal(out.buffer, chunk.buffer);
      assert.equal(out.byteOffset, chunk.byteOffset);
      assert.equal(out.length, chunk.length);
    });

    void it('returns views at the right offsets for consecutive instructions of one chunk', () => {
      const chunk = Buffer.alloc(17);
      chunk.write('3.nop;4.sync,1.1;');
      const parser = parserWith([chunk]);
      const first = parser.takeOne();
      const second = parser.takeOne();
      assert.ok(first && second);
      assert.equal(first.buffer, chunk.buffer);
      assert.equal(second.buffer, chunk.buffer);
      assert.equal(first.byteOffset, chunk.byteOffset);
      assert.equal(second.byteOffset, chunk.byteOffset + 6);
      chunk[2] = 0x4e; // 'N': a view sees the change
      assert.equal(first.toString(), '3.Nop;');
    });

    void it('returns a view of the second chunk once the first is consumed', () => {
      const first = ascii('3.nop;');
      const second = ascii('3.end,1.1;');
      const parser = parserWith([first, second]);
      assert.equal(parser.takeOne()?.toString(), '3.nop;');
      const out = parser.takeOne();
      assert.ok(out);
      assert.equal(out.buffer, second.buffer);
      assert.equal(out.byteOffset, second.byteOffset);
    });
  });

  void describe('#available', () => {
    void it('is false when empty or partial, and true once an instruction is complete', () => {
      const parser = new ByteParser();
      assert.equal(parser.available(), false);
      parser.push(ascii('4.sync,1.'));
      assert.equal(parser.available(), false);
      parser.push(ascii('1;3.no'));
      assert.equal(parser.available(), true);
      assert.equal(parser.available(), true);
      assert.equal(parser.buffered, 15);
      assert.equal(parser.take()?.toString(), '4.sync,1.1;');
      assert.equal(parser.available(), false);
      parser.push(ascii('p;'));
      assert.equal(parser.available(), true);
    });
  });

  void describe('#buffered and #hasPartial', () => {
    void it('counts every byte held and reports an unfinished tail', () => {
      const parser = new ByteParser();
      assert.equal(parser.buffered, 0);
      assert.equal(parser.hasPartial, false);
      parser.push(ascii('3.nop;'));
      parser.push(Buffer.alloc(0));
      assert.equal(parser.buffered, 6);
      assert.equal(parser.hasPartial, false);
      parser.push(ascii('4.na'));
      assert.equal(parser.buffered, 10);
      assert.equal(parser.hasPartial, true);
      parser.takeOne();
      assert.equal(parser.buffered, 4);
      assert.equal(parser.hasPartial, true);
    });
  });

  void describe('#discardPartial', () => {
    void it('drops exactly the partial tail at EOF once the complete instructions are taken', () => {
      const parser = parserWith([ascii('3.nop;4.sy')]);
      assert.equal(parser.take()?.toString(), '3.nop;');
      assert.equal(parser.discardPartial(), 4);
      assert.equal(parser.buffered, 0);
      assert.equal(parser.hasPartial, false);
      assert.equal(parser.take(), undefined);
    });

    void it('keeps the complete instructions that have not been taken yet', () => {
      const parser = parserWith([ascii('3.foo;3.bar;3.ba')]);
      assert.equal(parser.discardPartial(), 4);
      assert.equal(parser.buffered, 12);
      assert.equal(parser.take()?.toString(), '3.foo;3.bar;');
    });

    void it('keeps every complete instruction when only the first has been scanned', () => {
      const parser = parserWith([ascii('3.foo;'), ascii('3.bar;3.ba')]);
      assert.equal(parser.available(), true);
      assert.equal(parser.discardPartial(), 4);
      assert.equal(parser.take()?.toString(), '3.foo;3.bar;');
    });

    void it('drops a tail that ends inside a multi-byte character and spans chunks', () => {
      const tail = ascii('4.name,6.J' + 'ü'); // cut inside "ü"
      const parser = parserWith([ascii('3.nop;4.na'), tail.subarray(4, tail.length - 1)]);
      assert.equal(parser.take()?.toString(), '3.nop;');
      assert.equal(parser.discardPartial(), tail.length - 1);
      assert.equal(parser.buffered, 0);
    });

    void it('returns 0 and keeps everything when nothing is partial', () => {
      const parser = parserWith([ascii('3.nop;3.nop;')]);
      assert.equal(parser.discardPartial(), 0);
      assert.equal(parser.buffered, 12);
      assert.equal(takeEach(parser).length, 2);
    });

    void it('starts the next instruction afresh after discarding', () => {
      const parser = parserWith([ascii('3.nop;4.blob,1')]);
      parser.take();
      parser.discardPartial();
      parser.push(ascii('4.sync,1.1;'));
      assert.equal(parser.take()?.toString(), '4.sync,1.1;');
    });
  });

  void describe('code points from UTF-8 lead bytes (as guacd counts)', () => {
    void it('counts 2-, 3- and 4-byte characters as one code point each', () => {
      const bytes = ascii('4.name,4.ü犬' + EMOJI + 'a;');
      assert.equal(parserWith([bytes]).take()?.length, bytes.length);
    });

    void it('lets a 4-byte lead swallow the next three bytes whatever they are', () => {
      const bytes = Buffer.from([0x31, 0x2e, 0xf0, 0x61, 0x62, 0x63, 0x3b]); // 1.<F0>abc;
      assert.deepEqual(parserWith([bytes]).take(), bytes);
    });

    void it('counts a stray continuation byte or an invalid lead as one code point', () => {
      const bytes = Buffer.from([0x33, 0x2e, 0x80, 0xbf, 0xff, 0x3b]); // 3.<80><BF><FF>;
      const out = parserWith([bytes]).take();
      assert.deepEqual(out, bytes);
      assert.equal(decodeInstruction(bytes).toString(), bytes.toString('utf8'));
    });

    void it('counts an 8192-character element of 4-byte characters against the limit by code points', () => {
      const bytes = ascii(`4.blob,8192.${EMOJI.repeat(MAX_INSTRUCTION_LENGTH)};`);
      assert.equal(parserWith([bytes], CLIENT_LIMITS).take()?.length, bytes.length);
    });
  });

  void describe('limits', () => {
    void it('uses the upstream limits by default and accepts an 8193-character element', () => {
      const bytes = ascii(`4.blob,1.1,8193.${'A'.repeat(8193)};`);
      assert.equal(parserWith([bytes]).take()?.length, bytes.length);
      assert.equal(parserWith([withElements(MAX_ELEMENTS + 1)]).take()?.length, 3 + 3 * 128 + 1);
    });

    void it('rejects an element over the upstream limit by default', () => {
      const length = UPSTREAM_LIMITS.maxElementLength + 1;
      assertThrowsGuac(() => parserWith([ascii(`4.blob,${length}.`)]).take(), {
        ...TOO_LONG,
        message: [new RegExp(String(UPSTREAM_LIMITS.maxElementLength))],
      });
    });

    void it('accepts an 8192-character element with the client limits', () => {
      const bytes = ascii(`4.blob,8192.${'A'.repeat(8192)};`);
      assert.equal(parserWith([bytes], CLIENT_LIMITS).take()?.length, bytes.length);
    });

    void it('rejects an 8193-character element with the client limits as soon as the length is read', () => {
      const error = assertThrowsGuac(
        () => parserWith([ascii('4.blob,8193')], CLIENT_LIMITS).take(),
        {
          ...TOO_LONG,
          message: [/Instruction exceeds maximum length/, /8192/],
        },
      );
      assert.equal(error.status.guac, 781);
    });

    void it('accepts 128 elements and rejects 129 with the client limits', () => {
      const ok = parserWith([withElements(MAX_ELEMENTS)], CLIENT_LIMITS).take();
      assert.equal(ok?.length, 3 + 3 * 127 + 1);
      assertThrowsGuac(() => parserWith([withElements(MAX_ELEMENTS + 1)], CLIENT_LIMITS).take(), {
        type: ClientOverrunError,
        status: GuacamoleStatus.CLIENT_OVERRUN,
        code: 'GUAC_ERR_TOO_MANY_ELEMENTS',
        message: [/Instruction contains too many elements/, /128/],
      });
    });

    void it('fails fast on a huge digit string', () => {
      assertThrowsGuac(() => parserWith([ascii('9'.repeat(1_000_000))], CLIENT_LIMITS).take(), {
        ...TOO_LONG,
        message: [/8192/],
      });
    });
  });

  void describe('malformed input', () => {
    void it('rejects a non-numeric length with CLIENT_BAD_REQUEST and names the character', () => {
      const error = assertThrowsGuac(() => parserWith([ascii('4.test,x.foo;')]).take(), {
        ...BAD_LENGTH,
        message: [/Non-numeric character in element length/, /"x"/],
      });
      assert.equal(error.status.guac, 768);
      assert.equal(error.status.http, 400);
    });

    void it('names a non-ASCII byte in a length in hex', () => {
      assertThrowsGuac(() => parserWith([Buffer.from([0x31, 0xc3, 0xa9])]).take(), {
        ...BAD_LENGTH,
        message: [/byte 0xC3/],
      });
    });

    void it('rejects a bad terminator and names it', () => {
      assertThrowsGuac(() => parserWith([ascii('4.test:')]).available(), {
        ...BAD_TERMINATOR,
        message: [/Element terminator of instruction was not ';' nor ','/, /":"/],
      });
    });

    void it('rejects the UTF-16 length the npm 1.5.0 client writes for an astral character', () => {
      // guacamole-common-js 1.5.0 writes String.length (2) for one emoji; guacd counts 1.
      assertThrowsGuac(() => parserWith([ascii('4.name,2.' + EMOJI + ';3.nop;')]).take(), {
        ...BAD_TERMINATOR,
        message: [/"3"/],
      });
    });

    void it('hands over the complete instructions that precede malformed bytes before failing', () => {
      const parser = parserWith([ascii('3.nop;4.sync,1.1;4.test:')]);
      assert.equal(parser.take()?.toString(), '3.nop;4.sync,1.1;');
      assertThrowsGuac(() => parser.take(), { ...BAD_TERMINATOR, message: [/":"/] });
    });

    void it('delivers the preceding instructions one by one with takeOne, then fails', () => {
      const parser = parserWith([ascii('3.nop;4.sync,1.1;4.test:')]);
      assert.equal(parser.takeOne()?.toString(), '3.nop;');
      assert.equal(parser.takeOne()?.toString(), '4.sync,1.1;');
      assertThrowsGuac(() => parser.takeOne(), { ...BAD_TERMINATOR, message: [/":"/] });
    });

    void it('keeps throwing the same error from every method after a failure', () => {
      const parser = parserWith([ascii('x')]);
      let first: unknown;
      try {
        parser.take();
      } catch (error) {
        first = error;
      }
      assert.ok(first instanceof GuacamoleError);
      parser.push(ascii('3.nop;'));
      const same = (error: unknown): boolean => error === first;
      assert.throws(() => parser.take(), same);
      assert.throws(() => parser.takeOne(), same);
      assert.throws(() => parser.available(), same);
      assert.throws(() => parser.hasPartial, same);
      assert.throws(() => parser.take(), same);
    });
  });
});
