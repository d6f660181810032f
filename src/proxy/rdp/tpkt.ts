/**
 * @module Framing of the RDP byte stream: TPKT (RFC 1006, version 3, big-endian length) for slow-path
 * PDUs and the fast-path output header (1- or 2-byte length). Chunks may split a frame anywhere; whole
 * frames come out in order. Lengths are checked before any buffering, so a huge length cannot grow memory.
 */
import { protocolError } from './errors.js';

/** The TPKT version byte. */
export const TPKT_VERSION = 3;

/** One frame from the server: its kind and its whole bytes (header included). */
export interface RdpFrame {
  readonly fastPath: boolean;
  readonly data: Buffer;
}

/**
 * Wraps a payload in a TPKT header.
 * @param payload the X.224 TPDU
 * @returns the TPKT packet
 */
export function tpkt(payload: Uint8Array): Buffer {
  const length = payload.length + 4;
  if (length > 0xffff) throw new RangeError(`TPKT payload too long: ${payload.length} bytes`);
  const out = Buffer.alloc(length);
  out[0] = TPKT_VERSION;
  out.writeUInt16BE(length, 2);
  out.set(payload, 4);
  return out;
}

/** Splits the server's stream into TPKT and fast-path frames. */
export class FrameReader {
  #chunks: Buffer[] = [];
  #queued = 0;

  /** Bytes received and not yet framed. */
  get buffered(): number {
    return this.#queued;
  }

  /**
   * Appends received bytes and returns every frame they complete.
   * @param chunk the bytes
   * @returns the complete frames, in order
   */
  push(chunk: Uint8Array): RdpFrame[] {
    if (chunk.length > 0) {
      this.#chunks.push(Buffer.from(chunk));
      this.#queued += chunk.length;
    }
    const frames: RdpFrame[] = [];
    for (;;) {
      const length = this.#frameLength();
      if (length === undefined || this.#queued < length) return frames;
      const first = this.#peek(1)[0] ?? 0;
      frames.push({ fastPath: first !== TPKT_VERSION, data: this.#take(length) });
    }
  }

  /** @returns the length of the next frame, or undefined while its header is incomplete */
  #frameLength(): number | undefined {
    if (this.#queued < 2) return undefined;
    const head = this.#peek(Math.min(4, this.#queued));
    const first = head[0] ?? 0;
    if (first === TPKT_VERSION) {
      if (head.length < 4) return undefined;
      const length = head.readUInt16BE(2);
      if (length < 7) throw protocolError('RDP_BAD_TPKT', `TPKT length ${length} is too short.`);
      return length;
    }
    if ((first & 0x03) !== 0) {
      throw protocolError('RDP_BAD_FRAME', `unknown frame header byte 0x${first.toString(16)}.`);
    }
    const second = head[1] ?? 0;
    if ((second & 0x80) === 0) {
      if (second < 2) throw protocolError('RDP_BAD_FASTPATH', `fast-path length ${second}.`);
      return second;
    }
    if (head.length < 3) return undefined;
    const length = ((second & 0x7f) << 8) | (head[2] ?? 0);
    if (length < 3) throw protocolError('RDP_BAD_FASTPATH', `fast-path length ${length}.`);
    return length;
  }

  #peek(n: number): Buffer {
    const first = this.#chunks[0] ?? Buffer.alloc(0);
    if (first.length >= n) return first.subarray(0, n);
    return Buffer.concat(this.#chunks).subarray(0, n);
  }

  #take(n: number): Buffer {
    const first = this.#chunks[0];
    let out: Buffer;
    if (first !== undefined && first.length >= n) {
      out = first.subarray(0, n);
      if (first.length === n) this.#chunks.shift();
      else this.#chunks[0] = first.subarray(n);
    } else {
      const all = Buffer.concat(this.#chunks);
      out = all.subarray(0, n);
      this.#chunks = all.length > n ? [all.subarray(n)] : [];
    }
    this.#queued -= n;
    return out;
  }
}
