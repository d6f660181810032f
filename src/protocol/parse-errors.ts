/**
 * @module The errors both parsers raise, so that the string and byte parsers word every failure alike.
 * Malformed input is CLIENT_BAD_REQUEST; input over a limit is CLIENT_OVERRUN.
 */
import { ClientError, ClientOverrunError } from './errors.js';

/** Stable codes of parse failures. */
export type ParseErrorCode =
  | 'GUAC_ERR_BAD_LENGTH'
  | 'GUAC_ERR_ELEMENT_TOO_LONG'
  | 'GUAC_ERR_TOO_MANY_ELEMENTS'
  | 'GUAC_ERR_BAD_TERMINATOR'
  | 'GUAC_ERR_INCOMPLETE';

/** Shows one character for an error message, visible even when it is a control character. */
function show(char: string | number): string {
  if (typeof char === 'string') return JSON.stringify(char);
  // A byte from the byte parser: ASCII is shown as text, anything else in hex.
  return char < 0x80
    ? JSON.stringify(String.fromCharCode(char))
    : `byte 0x${char.toString(16).toUpperCase()}`;
}

/**
 * @param char the offending character, or byte
 * @returns the error for a length prefix containing something other than digits
 */
export function badLength(char: string | number): ClientError {
  return new ClientError(
    `Non-numeric character in element length: ${show(char)} where a digit or "." was expected.`,
    { code: 'GUAC_ERR_BAD_LENGTH' },
  );
}

/**
 * @param max the limit that was exceeded
 * @returns the error for an element longer than the limit
 */
export function elementTooLong(max: number): ClientOverrunError {
  return new ClientOverrunError(
    `Instruction exceeds maximum length: an element declares more than ${max} characters.`,
    { code: 'GUAC_ERR_ELEMENT_TOO_LONG' },
  );
}

/**
 * @param max the limit that was exceeded
 * @returns the error for an instruction with too many elements
 */
export function tooManyElements(max: number): ClientOverrunError {
  return new ClientOverrunError(
    `Instruction contains too many elements: more than ${max}, opcode included.`,
    { code: 'GUAC_ERR_TOO_MANY_ELEMENTS' },
  );
}

/**
 * @param char the character (or byte) found after the element's content
 * @returns the error for an element not followed by `,` or `;` (usually a wrong length prefix)
 */
export function badTerminator(char: string | number): ClientError {
  return new ClientError(
    `Element terminator of instruction was not ';' nor ',': found ${show(char)}. ` +
      'The length prefix does not match the element (lengths count Unicode code points).',
    { code: 'GUAC_ERR_BAD_TERMINATOR' },
  );
}

/** @returns the error for text that must hold whole instructions but ends inside one */
export function incompleteInstruction(): ClientError {
  return new ClientError('The data ends inside an instruction (incomplete instruction).', {
    code: 'GUAC_ERR_INCOMPLETE',
  });
}
