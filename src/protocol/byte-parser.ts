/**
 * @module ByteParser: finds instruction boundaries in raw UTF-8 bytes without decoding them, so a relay can
 * forward guacd's original bytes. Code points are counted from UTF-8 lead bytes, as guacd does.
 */
import { isAscii } from 'node:buffer';
import type { GuacamoleError } from './errors.js';
import { UPSTREAM_LIMITS, type ParserLimits } from './limits.js';
import { badLength, badTerminator, elementTooLong, tooManyElements } from './parse-errors.js';
import { utf8CharSize } from './utf8.js';

type State = 'length' | 'content' | 'terminator' | 'error';

const DOT = 0x2e;
const COMMA = 0x2c;
const SEMICOLON = 0x3b;
/** Elements at least this long are checked with the SIMD `isAscii` before falling back to a byte walk. */
const ASCII_WINDOW_MIN = 48;

/**
 * A byte queue that frames instructions lazily: bytes are pushed as they arrive, and scanning happens only when
 * a consumer asks for complete instructions. Whole instructions come out as one Buffer, sliced without copying
 * whenever they sit in one received chunk. Positions are absolute byte offsets in the stream.
 */
export class ByteParser {
  readonly #limits: ParserLimits;
  #chunks: Buffer[] = [];
  /** Whether each queued chunk is pure ASCII (so content can be skipped arithmetically). */
  #ascii: boolean[] = [];
  /** Absolute offset of the first unconsumed byte, and its offset inside `#chunks[0]`. */
  #headPos = 0;
  #headOffset = 0;
  /** Absolute offset just past the last pushed byte. */
  #endPos = 0;
  /** Scan cursor: chunk index and offset, and its absolute position. */
  #scanChunk = 0;
  #scanOffset = 0;
  #scanPos = 0;
  /** Absolute end offsets of scanned, not yet consumed instructions, oldest first from `#endsHead`. */
  #ends: number[] = [];
  #endsHead = 0;
  #state: State = 'length';
  #length = 0;
  #remaining = 0;
  /** Bytes of a multi-byte character still to skip in the next chunk. */
  #owed = 0;
  #elements = 0;
  #error: GuacamoleError | undefined;
  /** Set by the state machine when it has just passed a `;`. */
  #justCompleted = false;

  /** @param limits element limits; data from guacd uses the generous upstream limits by default */
  constructor(limits: ParserLimits = UPSTREAM_LIMITS) {
    this.#limits = limits;
  }

  /** Bytes held, complete or not. */
  get buffered(): number {
    return this.#endPos - this.#headPos;
  }

  /**
   * True when bytes of an unfinished instruction are held after the last complete one (scans first).
   * @throws {GuacamoleError} when the buffered bytes are malformed
   */
  get hasPartial(): boolean {
    while (this.#scanOne());
    return this.#endPos > this.#lastEnd();
  }

  /**
   * Queues received bytes. The parser keeps a reference; the caller must not modify the chunk afterwards.
   * @param chunk the bytes
   */
  push(chunk: Buffer): void {
    if (chunk.length === 0) return;
    this.#chunks.push(chunk);
    this.#ascii.push(isAscii(chunk));
    this.#endPos += chunk.length;
  }

  /**
   * Tells whether at least one whole instruction is buffered.
   * @returns true when {@link take} would return data
   * @throws {GuacamoleError} when the next buffered instruction is malformed
   */
  available(): boolean {
    return this.#endsHead < this.#ends.length || this.#scanOne();
  }

  /**
   * Removes whole instructions from the front of the queue: as many as are buffered, stopping after the one
   * that reaches `maxBytes`. Instructions before a malformed one are returned first; the error is thrown
   * when nothing complete is left.
   * @param maxBytes soft size limit; at least one instruction is returned whatever its size
   * @returns the raw bytes of one or more whole instructions, or undefined when none is complete
   * @throws {ClientError} on malformed input, {ClientOverrunError} when a limit is exceeded
   */
  take(maxBytes = Infinity): Buffer | undefined {
    const limit = this.#headPos + Math.max(1, maxBytes);
    try {
      while (this.#lastEnd() < limit && this.#scanOne());
    } catch (error) {
      if (this.#endsHead === this.#ends.length) throw error;
    }
    if (this.#endsHead === this.#ends.length) return undefined;
    let index = this.#endsHead;
    while (index < this.#ends.length - 1 && (this.#ends[index] as number) < limit) index++;
    const end = this.#ends[index] as number;
    this.#endsHead = index + 1;
    if (this.#endsHead === this.#ends.length) {
      this.#ends = [];
      this.#endsHead = 0;
    } else if (this.#endsHead > 1024) {
      this.#ends = this.#ends.slice(this.#endsHead);
      this.#endsHead = 0;
    }
    return this.#consume(end - this.#headPos);
  }

  /**
   * Removes exactly one whole instruction.
   * @returns its raw bytes, or undefined when none is complete
   */
  takeOne(): Buffer | undefined {
    return this.take(1);
  }

  /**
   * Drops the bytes after the last complete instruction (a partial instruction at end of stream); complete
   * instructions stay queued.
   * @returns the number of bytes dropped
   */
  discardPartial(): number {
    try {
      while (this.#scanOne());
    } catch {
      // Malformed bytes at end of stream are dropped like any other unfinished tail.
    }
    const keep = this.#lastEnd();
    const dropped = this.#endPos - keep;
    if (dropped === 0) return 0;
    const kept = keep > this.#headPos ? this.#slice(keep - this.#headPos) : undefined;
    this.#chunks = kept ? [kept] : [];
    this.#ascii = kept ? [isAscii(kept)] : [];
    this.#headOffset = 0;
    this.#endPos = this.#scanPos = keep;
    this.#scanChunk = this.#chunks.length;
    this.#scanOffset = 0;
    this.#error = undefined;
    this.#resetInstruction();
    return dropped;
  }

  /** Absolute end of the last scanned complete instruction (the head when there is none). */
  #lastEnd(): number {
    return this.#endsHead < this.#ends.length
      ? (this.#ends[this.#ends.length - 1] as number)
      : this.#headPos;
  }

  /** Scans until one more instruction completes; false when the data runs out first. */
  #scanOne(): boolean {
    if (this.#error) throw this.#error;
    try {
      while (this.#scanChunk < this.#chunks.length) {
        const chunk = this.#chunks[this.#scanChunk] as Buffer;
        const start =
          this.#scanChunk === 0 ? Math.max(this.#scanOffset, this.#headOffset) : this.#scanOffset;
        const end = this.#scanInstruction(chunk, start, this.#ascii[this.#scanChunk] === true);
        this.#scanPos += end - start;
        if (this.#justCompleted) {
          this.#justCompleted = false;
          this.#scanOffset = end;
          this.#ends.push(this.#scanPos);
          return true;
        }
        this.#scanChunk++;
        this.#scanOffset = 0;
      }
      return false;
    } catch (error) {
      this.#state = 'error';
      this.#error = error as GuacamoleError;
      throw error;
    }
  }

  /**
   * Runs the state machine over `chunk[pos…]` until one instruction completes or the chunk ends.
   * @returns the offset reached; `#justCompleted` tells which of the two happened
   */
  #scanInstruction(chunk: Buffer, pos: number, ascii: boolean): number {
    const end = chunk.length;
    while (pos < end) {
      switch (this.#state) {
        case 'length': {
          const c = chunk[pos++] as number;
          const digit = c - 0x30;
          if (digit >= 0 && digit <= 9) {
            this.#length = this.#length * 10 + digit;
            if (this.#length > this.#limits.maxElementLength) {
              throw elementTooLong(this.#limits.maxElementLength);
            }
          } else if (c === DOT) {
            this.#remaining = this.#length;
            this.#state = 'content';
          } else {
            throw badLength(c);
          }
          break;
        }
        case 'content':
          pos = this.#skipContent(chunk, pos, ascii);
          if (this.#remaining === 0 && this.#owed === 0) this.#state = 'terminator';
          break;
        case 'terminator': {
          const c = chunk[pos++] as number;
          this.#length = 0;
          this.#state = 'length';
          if (c === SEMICOLON) {
            this.#elements = 0;
            this.#justCompleted = true;
            return pos;
          }
          if (c !== COMMA) throw badTerminator(c);
          if (++this.#elements >= this.#limits.maxElements) {
            throw tooManyElements(this.#limits.maxElements);
          }
          break;
        }
        case 'error':
          return end;
        default:
          return this.#state satisfies never;
      }
    }
    return pos;
  }

  /** Skips element content; returns the new offset. */
  #skipContent(chunk: Buffer, pos: number, ascii: boolean): number {
    const end = chunk.length;
    if (this.#owed > 0) {
      const n = Math.min(this.#owed, end - pos);
      this.#owed -= n;
      pos += n;
      if (this.#owed > 0) return pos;
    }
    let remaining = this.#remaining;
    if (ascii) {
      // Every byte of a pure-ASCII chunk is one code point.
      const n = Math.min(remaining, end - pos);
      this.#remaining = remaining - n;
      return pos + n;
    }
    if (
      remaining >= ASCII_WINDOW_MIN &&
      end - pos >= remaining &&
      isAscii(chunk.subarray(pos, pos + remaining))
    ) {
      this.#remaining = 0;
      return pos + remaining;
    }
    while (remaining > 0 && pos < end) {
      pos += utf8CharSize(chunk[pos] as number);
      remaining--;
    }
    this.#remaining = remaining;
    if (pos > end) {
      this.#owed = pos - end;
      return end;
    }
    return pos;
  }

  /** Copies or slices the first `bytes` unconsumed bytes without consuming them. */
  #slice(bytes: number): Buffer {
    const first = this.#chunks[0] as Buffer;
    if (first.length - this.#headOffset >= bytes) {
      return first.subarray(this.#headOffset, this.#headOffset + bytes);
    }
    const parts: Buffer[] = [];
    let need = bytes;
    let offset = this.#headOffset;
    for (let i = 0; need > 0; i++) {
      const chunk = this.#chunks[i] as Buffer;
      const n = Math.min(need, chunk.length - offset);
      parts.push(chunk.subarray(offset, offset + n));
      need -= n;
      offset = 0;
    }
    return Buffer.concat(parts, bytes);
  }

  /** Removes `bytes` bytes (all complete, so all scanned) from the front and returns them. */
  #consume(bytes: number): Buffer {
    const out = this.#slice(bytes);
    this.#headPos += bytes;
    let left = bytes;
    while (left > 0) {
      const first = this.#chunks[0] as Buffer;
      const rest = first.length - this.#headOffset;
      if (left < rest) {
        this.#headOffset += left;
        break;
      }
      left -= rest;
      this.#chunks.shift();
      this.#ascii.shift();
      this.#headOffset = 0;
      this.#scanChunk--;
    }
    if (this.#scanChunk < 0) {
      this.#scanChunk = 0;
      this.#scanOffset = 0;
    }
    return out;
  }

  #resetInstruction(): void {
    this.#state = 'length';
    this.#length = 0;
    this.#remaining = 0;
    this.#owed = 0;
    this.#elements = 0;
  }
}
