/**
 * @module The public limits of the protocol parsers, the same as guacd's parser-constants.h and
 * Java 1.6.1's GuacamoleParser.
 */

/** Maximum code points in one element (`GUAC_INSTRUCTION_MAX_LENGTH`). */
export const MAX_INSTRUCTION_LENGTH = 8192;
/** Digits allowed in a length prefix (`GUAC_INSTRUCTION_MAX_DIGITS`); declared but enforced by nobody. */
export const MAX_LENGTH_DIGITS = 5;
/** Maximum elements in one instruction, opcode included (`GUAC_INSTRUCTION_MAX_ELEMENTS`). */
export const MAX_ELEMENTS = 128;

/** Limits a parser enforces. */
export interface ParserLimits {
  /** Maximum code points per element. Default: {@link MAX_INSTRUCTION_LENGTH}. */
  readonly maxElementLength: number;
  /** Maximum elements per instruction, opcode included. Default: {@link MAX_ELEMENTS}. */
  readonly maxElements: number;
}

/** The limits for data sent by a client: those of guacd and Java. */
export const CLIENT_LIMITS: ParserLimits = Object.freeze({
  maxElementLength: MAX_INSTRUCTION_LENGTH,
  maxElements: MAX_ELEMENTS,
});

/**
 * The limits for data read from guacd. guacd never exceeds the public limits itself, and Java ≤ 1.6.0 applied
 * none, so these are generous; memory is bounded further by the reader's buffer limit.
 */
export const UPSTREAM_LIMITS: ParserLimits = Object.freeze({
  maxElementLength: 1 << 16,
  maxElements: 1024,
});
