import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { ByteParser } from '../../src/protocol/byte-parser.js';
import { decodeInstruction } from '../../src/protocol/decode.js';
import { ServerError } from '../../src/protocol/errors.js';
import { GuacamoleStatus } from '../../src/protocol/status.js';
import { BYTE_INSTRUCTIONS, EMOJI, UTF8_4 } from '../fixtures/instructions.js';
import { assertInstructions, assertThrowsGuac } from './support.js';

const bytes = (text: string): Buffer => Buffer.from(text, 'utf8');

/** @param raw bytes that are not exactly one well-formed instruction */
function assertRejected(raw: Buffer): void {
  assertThrowsGuac(() => decodeInstruction(raw), {
    type: ServerError,
    status: GuacamoleStatus.SERVER_ERROR,
    message: [/Not exactly one well-formed instruction/],
  });
}

void describe('decodeInstruction', () => {
  void describe('golden vectors', () => {
    for (const vector of BYTE_INSTRUCTIONS) {
      void it(`decodes ${vector.name}`, () => {
        assertInstructions([decodeInstruction(bytes(vector.wire))], [vector]);
      });
    }

    void it('decodes elements holding the raw UTF8_4 bytes of guacd read.c', () => {
      const raw = Buffer.concat([bytes('4.test,6.a'), UTF8_4, bytes('b;')]);
      const instruction = decodeInstruction(raw);
      assert.deepEqual(instruction.args, ['a' + UTF8_4.toString('utf8') + 'b']);
      assert.equal(instruction.toString(), raw.toString('utf8'));
    });

    void it('decodes a view into a larger buffer without reading outside it', () => {
      const backing = bytes('XX3.nop;YY');
      const instruction = decodeInstruction(backing.subarray(2, 8));
      assert.equal(instruction.opcode, 'nop');
      assert.equal(instruction.toString(), '3.nop;');
    });

    void it('decodes zero-padded lengths, which the byte parser frames', () => {
      const raw = bytes('000000000004.sync,00000000000001.1;');
      const parser = new ByteParser();
      parser.push(raw);
      assert.deepEqual(parser.take(), raw);
      const instruction = decodeInstruction(raw);
      assert.equal(instruction.opcode, 'sync');
      assert.deepEqual(instruction.args, ['1']);
    });
  });

  void describe('malformed input', () => {
    void it('rejects trailing bytes after the terminator', () => {
      assertRejected(bytes('3.nop;X'));
      assertRejected(bytes('3.nop;3.nop;'));
    });

    void it('rejects a missing terminator', () => {
      assertRejected(bytes('3.nop'));
      assertRejected(bytes('4.sync,1.1'));
    });

    void it('rejects a wrong terminator', () => {
      assertRejected(bytes('3.nop:'));
      assertRejected(bytes('4.sync,1.12;'));
    });

    void it('rejects content shorter than its declared length', () => {
      assertRejected(bytes('5.nop;'));
      assertRejected(bytes('4.sync,10.1;'));
    });

    void it('rejects content cut inside a multi-byte character', () => {
      const whole = bytes('4.name,1.' + EMOJI + ';');
      assert.equal(decodeInstruction(whole).args[0], EMOJI);
      for (let cut = whole.length - 4; cut < whole.length; cut++) {
        assertRejected(whole.subarray(0, cut));
      }
    });

    void it('rejects a length with a non-digit or without a dot', () => {
      assertRejected(bytes('x.nop;'));
      assertRejected(bytes('-3.nop;'));
      assertRejected(bytes('3nop;'));
      assertRejected(bytes('3'));
    });

    void it('rejects empty input', () => {
      assertRejected(Buffer.alloc(0));
    });
  });
});
