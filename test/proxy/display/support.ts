/**
 * @module Display test support: a recording user, instruction parsing, image reassembly from
 * `img`/`blob`/`end` streams, and synthetic pixel data.
 */
import { parseInstructions } from '../../../src/protocol/index.js';
import type { Instruction } from '../../../src/protocol/index.js';
import type { DisplayUser } from '../../../src/proxy/display/display.js';

/** A user that records everything sent to it. */
export class RecordingUser implements DisplayUser {
  readonly imageMimetypes: readonly string[];
  readonly sent: string[] = [];

  /**
   * @param imageMimetypes the mimetypes of its `image` handshake
   */
  constructor(imageMimetypes: readonly string[] = ['image/png']) {
    this.imageMimetypes = imageMimetypes;
  }

  /**
   * Records text.
   * @param text the wire text
   */
  send(text: string): void {
    this.sent.push(text);
  }

  /**
   * Takes everything recorded so far, parsed (with the client's parser limits).
   * @returns the instructions
   */
  take(): Instruction[] {
    const text = this.sent.join('');
    this.sent.length = 0;
    return parseInstructions(text);
  }
}

/** One image reassembled from its stream. */
export interface ReceivedImage {
  readonly stream: number;
  readonly mask: number;
  readonly layer: number;
  readonly mimetype: string;
  readonly x: number;
  readonly y: number;
  readonly data: Buffer;
  readonly blobLengths: readonly number[];
}

/**
 * Reassembles every `img` stream, checking that blobs are canonical base64.
 * @param instructions the instructions
 * @returns the images, in `img` order
 */
export function images(instructions: readonly Instruction[]): ReceivedImage[] {
  const open = new Map<string, { args: readonly string[]; chunks: Buffer[]; lengths: number[] }>();
  const done: ReceivedImage[] = [];
  for (const { opcode, args } of instructions) {
    if (opcode === 'img') {
      if (open.has(args[0] as string)) throw new Error(`stream ${args[0] as string} reused`);
      open.set(args[0] as string, { args, chunks: [], lengths: [] });
    } else if (opcode === 'blob') {
      const entry = open.get(args[0] as string);
      if (!entry) throw new Error(`blob on closed stream ${args[0] as string}`);
      const text = args[1] as string;
      const data = Buffer.from(text, 'base64');
      if (data.toString('base64') !== text) throw new Error('blob is not canonical base64');
      entry.chunks.push(data);
      entry.lengths.push(text.length);
    } else if (opcode === 'end') {
      const entry = open.get(args[0] as string);
      if (!entry) throw new Error(`end of closed stream ${args[0] as string}`);
      open.delete(args[0] as string);
      const [stream, mask, layer, mimetype, x, y] = entry.args;
      done.push({
        stream: Number(stream),
        mask: Number(mask),
        layer: Number(layer),
        mimetype: mimetype as string,
        x: Number(x),
        y: Number(y),
        data: Buffer.concat(entry.chunks),
        blobLengths: entry.lengths,
      });
    }
  }
  if (open.size > 0) throw new Error('unterminated image stream');
  return done;
}

/**
 * The opcodes of some instructions.
 * @param instructions the instructions
 * @returns their opcodes
 */
export function opcodes(instructions: readonly Instruction[]): string[] {
  return instructions.map((instruction) => instruction.opcode);
}

/**
 * Deterministic noisy RGBA pixels (opaque), which no format compresses well.
 * @param width the width
 * @param height the height
 * @param seed the generator seed
 * @returns the pixels
 */
export function noise(width: number, height: number, seed = 1): Uint8Array {
  const pixels = new Uint8Array(width * height * 4);
  let state = seed >>> 0 || 1;
  for (let i = 0; i < pixels.length; i += 4) {
    state ^= state << 13;
    state ^= state >>> 17;
    state ^= state << 5;
    pixels[i] = state & 0xff;
    pixels[i + 1] = (state >>> 8) & 0xff;
    pixels[i + 2] = (state >>> 16) & 0xff;
    pixels[i + 3] = 255;
  }
  return pixels;
}

/** A manual clock for injecting time. */
export class ManualClock {
  time: number;

  /**
   * @param start the start time in milliseconds
   */
  constructor(start = 1_000_000) {
    this.time = start;
  }

  /** The current time; bound, so it can be passed as `now`. */
  readonly now = (): number => this.time;

  /**
   * Moves the clock forward.
   * @param ms milliseconds
   */
  advance(ms: number): void {
    this.time += ms;
  }
}
