import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import fc from 'fast-check';
import Guacamole from 'guacamole-common-js';
import { encodeInstruction } from '../../src/protocol/instruction.js';
import { parseInstructions } from '../../src/protocol/parser.js';
import {
  ASTRAL_INSTRUCTIONS,
  BMP_INSTRUCTIONS,
  concatWire,
  EMOJI,
  hasAstral,
} from '../fixtures/instructions.js';
import { legacyEncode } from './support.js';

type Elements = [opcode: string, ...args: string[]];

/**
 * Parses text with the reference client's Guacamole.Parser.
 * @param text the text
 * @returns each instruction as [opcode, ...args]
 */
function referenceParse(text: string): Elements[] {
  const parser = new Guacamole.Parser();
  const out: Elements[] = [];
  // The parser clears its args array after the callback, so copy it.
  parser.oninstruction = (opcode, args) => out.push([opcode, ...args]);
  parser.receive(text);
  return out;
}

/**
 * Parses text with our Parser.
 * @param text the text
 * @returns each instruction as [opcode, ...args]
 */
function ourParse(text: string): Elements[] {
  return parseInstructions(text).map((i): Elements => [i.opcode, ...i.args]);
}

void describe('guacamole-common-js 1.5.0 (npm) cross-check', () => {
  void it('is the pre-1.5.2 parser that counts UTF-16 units, not code points', () => {
    assert.deepEqual(referenceParse('2.' + EMOJI + ';'), [[EMOJI]]);
    assert.ok(BMP_INSTRUCTIONS.length > 0 && ASTRAL_INSTRUCTIONS.length > 0);
  });

  for (const vector of BMP_INSTRUCTIONS) {
    void it(`agrees with our Parser on ${vector.name}`, () => {
      const expected: Elements = [vector.opcode, ...vector.args];
      assert.deepEqual(referenceParse(vector.wire), [expected]);
      assert.deepEqual(ourParse(vector.wire), [expected]);
    });
  }

  void it('agrees with our Parser on every BMP-only vector as one stream', () => {
    const stream = concatWire(BMP_INSTRUCTIONS);
    assert.deepEqual(referenceParse(stream), ourParse(stream));
    assert.equal(ourParse(stream).length, BMP_INSTRUCTIONS.length);
  });

  void it('throws on the astral-plane vector 1.\\uD83E\\uDD79; that we parse (its defect)', () => {
    const wire = '1.' + EMOJI + ';';
    assert.deepEqual(ourParse(wire), [[EMOJI]]);
    assert.throws(() => referenceParse(wire), { message: 'Illegal terminator.' });
  });

  for (const vector of ASTRAL_INSTRUCTIONS) {
    void it(`cannot parse the code-point lengths of ${vector.name}`, () => {
      assert.deepEqual(ourParse(vector.wire), [[vector.opcode, ...vector.args]]);
      assert.throws(() => referenceParse(vector.wire), { message: 'Illegal terminator.' });
    });
  }

  void it('parses only its own UTF-16 lengths for astral characters, which we reject', () => {
    const legacy = legacyEncode('name', EMOJI) + legacyEncode('nop');
    assert.deepEqual(referenceParse(legacy), [['name', EMOJI], ['nop']]);
    assert.throws(() => ourParse(legacy), { code: 'GUAC_ERR_BAD_TERMINATOR' });
  });

  void it('agrees with our Parser on random instructions without astral characters', () => {
    const bmpUnit = fc.integer({ min: 0, max: 0xffff }).map((u) => String.fromCharCode(u));
    const element = fc.string({ unit: bmpUnit, maxLength: 10 });
    const instructions = fc.array(fc.array(element, { minLength: 1, maxLength: 5 }), {
      minLength: 1,
      maxLength: 6,
    });
    fc.assert(
      fc.property(instructions, (list) => {
        const wire = list
          .map(([opcode = '', ...args]) => encodeInstruction(opcode, ...args))
          .join('');
        fc.pre(!hasAstral(wire));
        // Without surrogate pairs, code points and UTF-16 units agree: so do both encoders.
        assert.equal(wire, list.map((elements) => legacyEncode(...elements)).join(''));
        assert.deepEqual(referenceParse(wire), ourParse(wire));
      }),
      { numRuns: 500 },
    );
  });
});
