/**
 * @module A Guacamole protocol parser for the browser that counts element lengths in Unicode code points,
 * as guacd and guacamole-common-js 1.5.2+ do (tunnel-protocol.md §1, §7.6). Drop-in for Guacamole.Parser.
 */

/** Once this many characters have been parsed, stream mode drops them from the buffer. */
const BUFFER_TRUNCATION_THRESHOLD = 4096;

/** The first code point that UTF-16 needs a surrogate pair for. */
const MIN_CODEPOINT_REQUIRES_SURROGATE = 0x10000;

/** A high surrogate followed by a low one: one code point in two UTF-16 units. */
const SURROGATE_PAIR = /[\uD800-\uDBFF][\uDC00-\uDFFF]/g;

/**
 * Incremental parser of Guacamole instructions (`LEN.VALUE,…;`, LEN in code points) that fires
 * {@link Parser#oninstruction} once per complete instruction, in order. Same API as
 * Guacamole.Parser 1.5.2+; the 1.5.0 npm build counts UTF-16 units and throws on astral characters.
 */
export class Parser {
  /** Received text; in stream mode its parsed prefix is dropped from time to time. */
  #buffer = '';

  /** The complete elements of the instruction being parsed. */
  #elements = [];

  /** Index of the current element's terminator once its length is known, else of the last terminator. */
  #elementEnd = -1;

  /** Index of the current element's first character (or where the next length search starts). */
  #startIndex = 0;

  /** The declared length of the current element, in code points. */
  #elementCodepoints = 0;

  /**
   * Fired once for every complete instruction, in order.
   * @type {((opcode: string, args: string[]) => void) | null}
   */
  oninstruction = null;

  /**
   * Parses more data, firing {@link Parser#oninstruction} for each instruction it completes.
   * @param {string} packet the next chunk of data, or (buffer mode) all data received so far
   * @param {boolean} [isBuffer] true when `packet` is the whole growing text each time (the HTTP
   *     tunnel passes `xhr.responseText`); the parser then keeps its place instead of appending
   * @throws {Error} 'Non-numeric character in element length.' or
   *     'Element terminator of instruction was not ";" nor ",".' on malformed data
   */
  receive(packet, isBuffer) {
    if (isBuffer) {
      this.#buffer = packet;
    } else {
      // Only drop the parsed prefix while waiting for element data: while searching for a length,
      // the digits after the last terminator still sit before startIndex.
      if (this.#startIndex > BUFFER_TRUNCATION_THRESHOLD && this.#elementEnd >= this.#startIndex) {
        this.#buffer = this.#buffer.substring(this.#startIndex);
        this.#elementEnd -= this.#startIndex;
        this.#startIndex = 0;
      }
      this.#buffer += packet;
    }

    const buffer = this.#buffer;
    while (this.#elementEnd < buffer.length) {
      if (this.#elementEnd >= this.#startIndex) {
        if (this.#extendToCodepoints(buffer)) continue;
        this.#takeElement(buffer);
      }

      const lengthEnd = buffer.indexOf('.', this.#startIndex);
      if (lengthEnd === -1) {
        // The length digits are not all here yet; they start after the last terminator.
        this.#startIndex = buffer.length;
        break;
      }
      // parseInt is lenient on purpose ("12x" is 12), as in every guacamole-common-js version.
      const length = Number.parseInt(buffer.substring(this.#elementEnd + 1, lengthEnd), 10);
      if (Number.isNaN(length)) throw new Error('Non-numeric character in element length.');
      this.#startIndex = lengthEnd + 1;
      this.#elementCodepoints = length;
      // A first guess that assumes no surrogate pairs; #extendToCodepoints corrects it.
      this.#elementEnd = this.#startIndex + length;
    }
  }

  /**
   * Moves the current element's end further when the UTF-16 units seen so far hold fewer code
   * points than declared, or when the element would end between the halves of a surrogate pair.
   * @param {string} buffer the buffer
   * @returns {boolean} whether the end moved (the caller must re-check it against the buffer)
   */
  #extendToCodepoints(buffer) {
    const start = this.#startIndex;
    const counted = Parser.codePointCount(buffer, start, this.#elementEnd);
    if (counted < this.#elementCodepoints) {
      this.#elementEnd += this.#elementCodepoints - counted;
      return true;
    }
    const last = buffer.codePointAt(this.#elementEnd - 1) ?? 0;
    if (this.#elementCodepoints > 0 && last >= MIN_CODEPOINT_REQUIRES_SURROGATE) {
      this.#elementEnd++;
      return true;
    }
    return false;
  }

  /**
   * Takes the complete element ending at elementEnd and, on `;`, dispatches the instruction.
   * @param {string} buffer the buffer
   * @throws {Error} when the terminator is neither `,` nor `;`
   */
  #takeElement(buffer) {
    this.#elements.push(buffer.substring(this.#startIndex, this.#elementEnd));
    const terminator = buffer.charAt(this.#elementEnd);
    if (terminator === ';') {
      const [opcode = '', ...args] = this.#elements;
      // A fresh array per instruction: handlers may keep the one they were given.
      this.#elements = [];
      this.#startIndex = this.#elementEnd + 1;
      if (this.oninstruction) this.oninstruction(opcode, args);
    } else if (terminator === ',') {
      this.#startIndex = this.#elementEnd + 1;
    } else {
      throw new Error('Element terminator of instruction was not ";" nor ",".');
    }
  }

  /**
   * Counts the Unicode code points in `str.substring(start, end)`. A surrogate pair counts once,
   * a lone surrogate once, like Java's `String.codePointCount` and guacd's UTF-8 decoding.
   * @param {string} str the string
   * @param {number} [start] the first UTF-16 index, 0 by default
   * @param {number} [end] the UTF-16 index after the last, `str.length` by default
   * @returns {number} the number of code points
   */
  static codePointCount(str, start, end) {
    const part = str.substring(start ?? 0, end ?? str.length);
    const pairs = part.match(SURROGATE_PAIR);
    return part.length - (pairs ? pairs.length : 0);
  }

  /**
   * Encodes elements as one instruction with code-point length prefixes.
   * @param {readonly unknown[]} elements the opcode then the arguments; each is converted as
   *     `'' + value` (numbers, strings, anything with a useful string form)
   * @returns {string} the instruction, e.g. `4.test,11.instruction;`
   */
  static toInstruction(elements) {
    const encoded = elements.map((value) => {
      // Concatenation rather than String(): the same conversion guacamole-common-js applies.
      const str = '' + value;
      return `${Parser.codePointCount(str)}.${str}`;
    });
    return `${encoded.join(',')};`;
  }
}
