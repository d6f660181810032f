/**
 * @module Helpers of the backpressure tests: a deterministic guacd flood with its checksum, a stall detector,
 * and memory samples. A stall has no event of its own, so it is the one place where a bounded poll is used:
 * "no progress for N consecutive checks while a write is pending".
 */
import { createHash } from 'node:crypto';
import { setTimeout as delay } from 'node:timers/promises';
import { encodeInstruction } from '../../src/protocol/index.js';
import type { FakeGuacdConnection } from '../fakes/fake-guacd.js';

/** 1 MiB. */
export const MiB = 1 << 20;

/** What a flood has done so far. */
export interface FloodProgress {
  /** Bytes whose write guacd's socket has accepted. */
  sent: number;
  /** True while a write waits for the socket (guacd is blocked). */
  pending: boolean;
  /** SHA-256 (hex) of everything sent, once the flood is complete. */
  digest: string | undefined;
}

const PAYLOADS = Array.from({ length: 7 }, (_, i) => String.fromCharCode(97 + i).repeat(4000));

/**
 * Sends `total` bytes (rounded up to whole 256 KiB chunks) of numbered 4 KB `blob` instructions from a fake
 * guacd connection, then ends the connection. Each chunk is generated when needed and written only after the
 * previous one was accepted, so the fake itself never holds more than one chunk.
 * @param conn the fake's connection
 * @param total bytes to send
 * @param progress updated as the flood advances
 */
export async function flood(
  conn: FakeGuacdConnection,
  total: number,
  progress: FloodProgress,
): Promise<void> {
  const hash = createHash('sha256');
  for (let seq = 0; progress.sent < total;) {
    let text = '';
    for (let i = 0; i < 64; i++, seq++) {
      text += encodeInstruction('blob', String(seq), PAYLOADS[seq % PAYLOADS.length] ?? '');
    }
    const chunk = Buffer.from(text);
    hash.update(chunk);
    progress.pending = true;
    await conn.send(chunk);
    progress.pending = false;
    progress.sent += chunk.length;
  }
  progress.digest = hash.digest('hex');
  await conn.close();
}

/**
 * Resolves once `progress()` has not moved for `checks` consecutive checks `intervalMs` apart while
 * `blocked()` holds. Once every buffer between the peers is full nothing can move, so a few quiet checks
 * stand for the spec's 60 s stall: that state only lasts longer, it cannot grow.
 * @param progress a monotonic counter
 * @param blocked whether the writer is waiting
 * @param checks quiet checks required
 * @param intervalMs time between checks
 * @throws {Error} when no stall happens within 1,000 checks
 */
export async function untilStalled(
  progress: () => number,
  blocked: () => boolean,
  checks = 8,
  intervalMs = 25,
): Promise<void> {
  let last = progress();
  for (let quiet = 0, n = 0; quiet < checks; n++) {
    if (n > 1000) throw new Error(`No stall: progress at ${progress()}.`);
    await delay(intervalMs);
    const now = progress();
    quiet = now === last && blocked() ? quiet + 1 : 0;
    last = now;
  }
}

/** This process's resident set and ArrayBuffer memory. */
export interface MemorySample {
  readonly rss: number;
  readonly arrayBuffers: number;
}

/** @returns the current sample */
export function memory(): MemorySample {
  const { rss, arrayBuffers } = process.memoryUsage();
  return { rss, arrayBuffers };
}

/**
 * @param from the baseline
 * @param to the later sample
 * @returns the growth of each, in MiB with one decimal
 */
export function growth(from: MemorySample, to: MemorySample): MemorySample {
  const mib = (n: number): number => Math.round((n / MiB) * 10) / 10;
  return { rss: mib(to.rss - from.rss), arrayBuffers: mib(to.arrayBuffers - from.arrayBuffers) };
}

/** What a client-side sender has done so far. */
export interface SendProgress {
  /** Bytes whose write the client's socket has accepted. */
  acked: number;
  /** True while the sender waits for its socket. */
  pending: boolean;
  /** Total bytes and SHA-256 (hex) of everything sent, once done. */
  total: number;
  digest: string | undefined;
}

const MESSAGE_PAYLOAD = 'm'.repeat(1000);

/**
 * Yields numbered 1 KB `blob` instructions until `total` bytes, hashing them into `progress`.
 * @param total bytes to produce
 * @param progress receives the total and digest when the generator finishes
 */
export function* clientInstructions(total: number, progress: SendProgress): Generator<string> {
  const hash = createHash('sha256');
  let bytes = 0;
  for (let seq = 0; bytes < total; seq++) {
    const instruction = encodeInstruction('blob', String(seq), MESSAGE_PAYLOAD);
    bytes += instruction.length;
    hash.update(instruction);
    yield instruction;
  }
  progress.total = bytes;
  progress.digest = hash.digest('hex');
}
