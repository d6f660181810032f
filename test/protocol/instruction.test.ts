import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  codePointCount,
  encodeElement,
  encodeInstruction,
  Instruction,
  INTERNAL_OPCODE,
} from '../../src/protocol/instruction.js';
import { parseInstructions } from '../../src/protocol/parser.js';
import {
  ASTRAL_INSTRUCTIONS,
  BMP_INSTRUCTIONS,
  BYTE_INSTRUCTIONS,
  EMOJI,
  GUACD_U,
  H,
  INSTRUCTIONS,
  L,
  PAIR,
  U,
  UTF8_4,
} from '../fixtures/instructions.js';

void describe('golden instruction table', () => {
  void it('has a unique name for every vector', () => {
    const names = INSTRUCTIONS.map((vector) => vector.name);
    assert.equal(new Set(names).size, names.length);
  });

  void it('marks exactly the vectors that UTF-8 cannot carry as stringOnly', () => {
    for (const vector of INSTRUCTIONS) {
      const survivesUtf8 = Buffer.from(vector.wire, 'utf8').toString('utf8') === vector.wire;
      assert.equal(vector.stringOnly === true, !survivesUtf8, vector.name);
    }
    assert.ok(BYTE_INSTRUCTIONS.length < INSTRUCTIONS.length);
  });

  void it('covers BMP-only and astral-plane vectors', () => {
    assert.ok(BMP_INSTRUCTIONS.length > 0);
    assert.ok(ASTRAL_INSTRUCTIONS.some((vector) => vector.wire === '1.' + EMOJI + ';'));
  });

  void it("defines GUACD_U as guacd's UTF8_4 bytes: like U, 4 code points in 10 bytes", () => {
    assert.deepEqual(Buffer.from(GUACD_U, 'utf8'), UTF8_4);
    assert.equal(UTF8_4.toString('utf8'), GUACD_U);
    assert.equal(codePointCount(GUACD_U), 4);
    assert.equal(codePointCount(U), 4);
    assert.equal(U.length, 5);
    assert.equal(Buffer.byteLength(U, 'utf8'), 10);
    // Java's U ends in U+00C1, guacd's UTF8_4 in U+00E1; both are 2-byte characters.
    assert.equal(GUACD_U.slice(0, -1), U.slice(0, -1));
  });
});

void describe('codePointCount', () => {
  // §9.8 ParserSpec, whole-string calls.
  const whole: readonly (readonly [string, string, number])[] = [
    ["''", '', 0],
    ["'test string'", 'test string', 11],
    ["'surrogate'+PAIR+'pair'", 'surrogate' + PAIR + 'pair', 14],
    ["'missing'+H+'surrogates'+L", 'missing' + H + 'surrogates' + L, 19],
    ['H+L+H', H + L + H, 2],
    ['H+H+L', H + H + L, 2],
  ];
  for (const [label, text, expected] of whole) {
    void it(`counts ${label} as ${expected} code points`, () => {
      assert.equal(codePointCount(text), expected);
    });
  }

  // §9.8's (str, start, end) calls count the UTF-16 range [start, end); ours takes the substring.
  const ranged: readonly (readonly [string, string, number, number | undefined, number])[] = [
    ["'test string',0", 'test string', 0, undefined, 11],
    ["'surrogate'+PAIR+'pair',5", 'surrogate' + PAIR + 'pair', 5, undefined, 9],
    ["'missing'+H+'surrogates'+L,2,17", 'missing' + H + 'surrogates' + L, 2, 17, 15],
    ['H+L+H,0,2', H + L + H, 0, 2, 1],
    ['H+H+L,1,2', H + H + L, 1, 2, 1],
  ];
  for (const [label, text, start, end, expected] of ranged) {
    void it(`counts the range (${label}) as ${expected} code points`, () => {
      assert.equal(codePointCount(text.slice(start, end)), expected);
    });
  }

  void it('counts a lone surrogate at either end as one code point', () => {
    assert.equal(codePointCount(H), 1);
    assert.equal(codePointCount(L), 1);
    assert.equal(codePointCount(L + H), 2);
    assert.equal(codePointCount('a' + H), 2);
    assert.equal(codePointCount(L + 'a'), 2);
  });

  void it('counts each astral character as one code point', () => {
    assert.equal(codePointCount(EMOJI.repeat(3)), 3);
    assert.equal(codePointCount(U + U), 8);
    assert.equal(codePointCount(PAIR + PAIR), 2);
  });
});

void describe('encodeElement', () => {
  void it('prefixes the code-point count and a dot', () => {
    assert.equal(encodeElement(''), '0.');
    assert.equal(encodeElement('test'), '4.test');
    assert.equal(encodeElement(PAIR), '1.' + PAIR);
    assert.equal(encodeElement(H), '1.' + H);
    assert.equal(encodeElement(U), '4.' + U);
    assert.equal(encodeElement('x'.repeat(8192)), '8192.' + 'x'.repeat(8192));
  });
});

void describe('encodeInstruction', () => {
  for (const vector of INSTRUCTIONS) {
    void it(`encodes ${vector.name}`, () => {
      assert.equal(encodeInstruction(vector.opcode, ...vector.args), vector.wire);
    });
  }

  void it('produces the §1 wire examples', () => {
    assert.equal(encodeInstruction('size', '0', '1024', '768'), '4.size,1.0,4.1024,3.768;');
    assert.equal(encodeInstruction(INTERNAL_OPCODE), '0.;');
    assert.equal(
      encodeInstruction(INTERNAL_OPCODE, 'ping', '1723456789012'),
      '0.,4.ping,13.1723456789012;',
    );
    assert.equal(encodeInstruction('nop'), '3.nop;');
  });

  void it('counts code points, not UTF-16 units, unlike the pre-1.5.2 encoders', () => {
    assert.equal(encodeInstruction(EMOJI), '1.' + EMOJI + ';');
    assert.notEqual(encodeInstruction(EMOJI), `${EMOJI.length}.${EMOJI};`);
  });

  void it('produces text the parser reads back as the same elements', () => {
    const elements = ['test', '', ',;.', '12.', H, U, PAIR + L];
    const [instruction] = parseInstructions(encodeInstruction('op', ...elements));
    assert.ok(instruction);
    assert.equal(instruction.opcode, 'op');
    assert.deepEqual(instruction.args, elements);
  });
});

void describe('Instruction', () => {
  void it('exposes the opcode and args it was built with', () => {
    const instruction = new Instruction('size', ['0', '1024', '768']);
    assert.equal(instruction.opcode, 'size');
    assert.deepEqual(instruction.args, ['0', '1024', '768']);
  });

  void it('defaults to no args', () => {
    assert.deepEqual(new Instruction('nop').args, []);
    assert.equal(new Instruction('nop').toString(), '3.nop;');
  });

  void it('copies and freezes its args', () => {
    const args = ['a', 'b'];
    const instruction = new Instruction('op', args);
    args.push('c');
    assert.deepEqual(instruction.args, ['a', 'b']);
    assert.ok(Object.isFrozen(instruction.args));
  });

  for (const vector of INSTRUCTIONS) {
    void it(`serialises a built instruction by encoding it: ${vector.name}`, () => {
      assert.equal(new Instruction(vector.opcode, vector.args).toString(), vector.wire);
    });
  }

  void it('returns the raw text verbatim instead of re-encoding it', () => {
    const raw = '04.test,003.foo;';
    const instruction = new Instruction('test', ['foo'], raw);
    assert.equal(instruction.toString(), raw);
    assert.equal(String(instruction), raw);
    assert.notEqual(raw, encodeInstruction('test', 'foo'));
  });

  void it('keeps the raw text of a parsed instruction with zero-padded lengths', () => {
    const raw = '04.test,03.foo;';
    const [instruction] = parseInstructions(raw);
    assert.ok(instruction);
    assert.equal(instruction.opcode, 'test');
    assert.deepEqual(instruction.args, ['foo']);
    assert.equal(instruction.toString(), raw);
  });

  void it('returns the same text on every call', () => {
    const instruction = new Instruction('name', [U]);
    assert.equal(instruction.toString(), instruction.toString());
    assert.equal(instruction.toString(), '4.name,4.' + U + ';');
  });

  void it('reserves the empty opcode for tunnel-internal instructions', () => {
    assert.equal(INTERNAL_OPCODE, '');
  });
});
