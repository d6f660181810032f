/**
 * @module Writes that reach the peer in many small reads: data is cut at arbitrary byte boundaries (inside
 * multi-byte UTF-8 characters too) by a seeded PRNG, and each piece is written on its own event-loop turn.
 */
import type { Socket } from 'node:net';

/** How to cut outgoing data. */
export interface SplitOptions {
  /** Largest piece in bytes; pieces are 1…maxPiece bytes long. Default: 7. */
  readonly maxPiece?: number;
  /** Seed of the PRNG that chooses the cut points, so a failing run can be replayed. */
  readonly seed: number;
}

/**
 * A small, fast, seedable PRNG (mulberry32).
 * @param seed any 32-bit integer
 * @returns a function returning floats in [0, 1)
 */
export function seededRandom(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/**
 * Cuts bytes into pieces of 1…maxPiece bytes.
 * @param bytes the data
 * @param random the PRNG
 * @param maxPiece the largest piece
 * @returns the pieces, in order; joined they equal `bytes`
 */
export function cut(bytes: Uint8Array, random: () => number, maxPiece: number): Uint8Array[] {
  const pieces: Uint8Array[] = [];
  for (let at = 0; at < bytes.length;) {
    const size = 1 + Math.floor(random() * maxPiece);
    pieces.push(bytes.subarray(at, at + size));
    at += size;
  }
  return pieces;
}

/**
 * Writes one piece and resolves once the socket has handed it to the kernel.
 * @param socket the socket
 * @param piece the bytes
 */
export async function writeAndWait(socket: Socket, piece: Uint8Array): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    socket.write(piece, (error) => {
      if (error) reject(error);
      else resolve();
    });
  });
}

/** Resolves on the check phase of the event loop. */
async function nextImmediate(): Promise<void> {
  await new Promise<void>((resolve) => setImmediate(resolve));
}

/**
 * Writes data in pieces, each after the previous one's write callback and two `setImmediate` turns: the
 * second turn guarantees one poll phase in between, in which an in-process peer reads the previous piece,
 * so the pieces arrive as separate reads instead of being coalesced by the kernel.
 * @param socket the socket
 * @param data the data
 * @param random the PRNG choosing the cut points
 * @param maxPiece the largest piece
 */
export async function writeSplit(
  socket: Socket,
  data: Uint8Array,
  random: () => number,
  maxPiece: number,
): Promise<void> {
  for (const piece of cut(data, random, maxPiece)) {
    await writeAndWait(socket, piece);
    await nextImmediate();
    await nextImmediate();
  }
}
