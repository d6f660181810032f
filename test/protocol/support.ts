/**
 * @module Assertions shared by the protocol tests: comparing parsed instructions with golden vectors and
 * checking the status, code and wording of GuacamoleErrors.
 */
import assert from 'node:assert/strict';
import { inspect } from 'node:util';
import { GuacamoleError } from '../../src/protocol/errors.js';
import type { Instruction } from '../../src/protocol/instruction.js';
import type { StatusEntry } from '../../src/protocol/status.js';
import type { InstructionVector } from '../fixtures/instructions.js';

/** The parts of an instruction a test compares. */
export interface InstructionShape {
  readonly opcode: string;
  readonly args: readonly string[];
  readonly wire: string;
}

/**
 * @param instruction a parsed or decoded instruction
 * @returns its opcode, args and wire text as plain data
 */
export function shapeOf(instruction: Instruction): InstructionShape {
  return { opcode: instruction.opcode, args: [...instruction.args], wire: instruction.toString() };
}

/**
 * @param vector a golden vector
 * @returns the shape an instruction parsed from it must have
 */
export function expectedShape(vector: InstructionVector): InstructionShape {
  return { opcode: vector.opcode, args: [...vector.args], wire: vector.wire };
}

/**
 * Asserts that instructions match golden vectors one for one: opcode, args and raw text.
 * @param actual the instructions produced
 * @param vectors the vectors expected, in order
 */
export function assertInstructions(
  actual: readonly Instruction[],
  vectors: readonly InstructionVector[],
): void {
  assert.deepEqual(actual.map(shapeOf), vectors.map(expectedShape));
}

/** What a thrown GuacamoleError must look like. */
export interface ExpectedError {
  /** The class it must be an instance of. */
  readonly type: abstract new (...args: never[]) => GuacamoleError;
  /** Its status. */
  readonly status: StatusEntry;
  /** Its stable code, when it has one. */
  readonly code?: string;
  /** Patterns its message must match. */
  readonly message: readonly RegExp[];
}

/**
 * Runs a function that must throw a GuacamoleError and checks the error.
 * @param fn the function
 * @param expected the class, status, code and message patterns
 * @returns the error, for further checks
 */
export function assertThrowsGuac(fn: () => unknown, expected: ExpectedError): GuacamoleError {
  let caught: unknown;
  try {
    fn();
  } catch (error) {
    caught = error;
  }
  assert.ok(caught !== undefined, 'expected an error to be thrown');
  assert.ok(caught instanceof GuacamoleError, `expected a GuacamoleError, got ${inspect(caught)}`);
  assert.ok(
    caught instanceof expected.type,
    `expected ${expected.type.name}, got ${caught.constructor.name}`,
  );
  assert.equal(caught.status, expected.status);
  if (expected.code !== undefined) assert.equal(caught.code, expected.code);
  for (const pattern of expected.message) assert.match(caught.message, pattern);
  return caught;
}

/**
 * Encodes an instruction the way guacamole-common-js ≤ 1.5.1 and Java ≤ 1.5.1 did: lengths in UTF-16 units
 * (`String.length`) instead of code points (GUACAMOLE-615).
 * @param elements opcode then args
 * @returns the (wrong, for astral characters) wire text
 */
export function legacyEncode(...elements: readonly string[]): string {
  return elements.map((element) => `${element.length}.${element}`).join(',') + ';';
}
