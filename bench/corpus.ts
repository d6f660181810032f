/**
 * @module A deterministic, realistic guacd→client corpus: PNG/JPEG image streams as img + blob + end,
 * sync frames, mouse, copy, rect/cfill, cursor, and a little astral-plane text (clipboard names, titles).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { encodeInstruction } from '../src/protocol/index.js';

/** A small xorshift PRNG so every run builds the same bytes. */
function prng(seed: number): () => number {
  let x = seed >>> 0 || 1;
  return () => {
    x ^= x << 13;
    x ^= x >>> 17;
    x ^= x << 5;
    return (x >>> 0) / 0x100000000;
  };
}

const BASE64 = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';
const ASTRAL = ['😀', '🥹', '𐬀', '🚀', '𝄞'];
const BMP = ['é', 'ß', '犬', 'Ω', 'ü'];

/** The two corpora: `full` has astral-plane text, `bmp` is the same stream without those instructions. */
export interface Corpus {
  readonly full: Buffer;
  readonly bmp: Buffer;
  readonly instructions: number;
}

function base64(random: () => number, length: number): string {
  let out = '';
  for (let i = 0; i < length; i++) out += BASE64.charAt(Math.floor(random() * 64));
  return out;
}

/** Builds one frame's worth of instructions; astral ones are marked. */
function frame(random: () => number, stream: number, ts: number): [string, boolean][] {
  const out: [string, boolean][] = [];
  const images = 1 + Math.floor(random() * 30);
  for (let i = 0; i < images; i++) {
    const id = String(stream + i);
    const w = 16 + Math.floor(random() * 600);
    const h = 16 + Math.floor(random() * 400);
    const type = random() < 0.8 ? 'image/png' : 'image/jpeg';
    out.push([encodeInstruction('img', id, '14', '0', type, String(w), String(h)), false]);
    // guacd cuts blobs at 6048 bytes, i.e. 8064 base64 characters.
    // Mostly small dirty rectangles, some medium, a few large (guacd's scroll workload is ~30 small PNGs a frame).
    const roll = random();
    let bytes =
      roll < 0.7
        ? 100 + Math.floor(random() * 2900)
        : roll < 0.95
          ? 3000 + Math.floor(random() * 17000)
          : 20000 + Math.floor(random() * 80000);
    while (bytes > 0) {
      const n = Math.min(bytes, 6048);
      out.push([encodeInstruction('blob', id, base64(random, Math.ceil(n / 3) * 4)), false]);
      bytes -= n;
    }
    out.push([encodeInstruction('end', id), false]);
  }
  for (let i = Math.floor(random() * 14); i > 0; i--) {
    const r = (): string => String(Math.floor(random() * 1920));
    out.push([encodeInstruction('copy', '0', r(), r(), r(), r(), '12', '0', r(), r()), false]);
  }
  if (random() < 0.3) {
    out.push([encodeInstruction('rect', '0', '0', '0', '1920', '1080'), false]);
    out.push([encodeInstruction('cfill', '14', '0', '0', '0', '0', '255'), false]);
  }
  for (let i = Math.floor(random() * 4); i > 0; i--) {
    out.push([encodeInstruction('mouse', String(Math.floor(random() * 1920)), '500', '0'), false]);
  }
  if (random() < 0.2) {
    const text = Array.from({ length: 24 }, () =>
      random() < 0.5
        ? (ASTRAL[Math.floor(random() * 5)] as string)
        : (BMP[Math.floor(random() * 5)] as string),
    ).join('');
    out.push([encodeInstruction('name', `Desktop ${text}`), true]);
  }
  out.push([encodeInstruction('sync', String(ts), '1'), false]);
  return out;
}

/**
 * Builds (or loads from bench/.corpus) a corpus of at least `megabytes` MB.
 * @param megabytes minimum size of the full corpus
 * @returns both corpora
 */
export function loadCorpus(megabytes: number): Corpus {
  const dir = join(import.meta.dirname, '.corpus');
  const fullPath = join(dir, `parser-${megabytes}.bin`);
  const bmpPath = join(dir, `parser-${megabytes}-bmp.bin`);
  const countPath = join(dir, `parser-${megabytes}.count`);
  if (existsSync(fullPath) && existsSync(bmpPath) && existsSync(countPath)) {
    return {
      full: readFileSync(fullPath),
      bmp: readFileSync(bmpPath),
      instructions: Number(readFileSync(countPath, 'utf8')),
    };
  }
  const random = prng(0x5eed);
  const full: string[] = [];
  const bmp: string[] = [];
  let size = 0;
  let instructions = 0;
  for (let ts = 1; size < megabytes * 1e6; ts += 16) {
    for (const [text, astral] of frame(random, ts % 1000, ts)) {
      full.push(text);
      if (!astral) bmp.push(text);
      size += text.length;
      instructions++;
    }
  }
  const corpus = {
    full: Buffer.from(full.join('')),
    bmp: Buffer.from(bmp.join('')),
    instructions,
  };
  mkdirSync(dir, { recursive: true });
  writeFileSync(fullPath, corpus.full);
  writeFileSync(bmpPath, corpus.bmp);
  writeFileSync(countPath, String(instructions));
  return corpus;
}

/**
 * Cuts bytes into fixed-size chunks (copies, like separate socket reads).
 * @param bytes the stream
 * @param size chunk size
 * @returns the chunks
 */
export function chunk(bytes: Buffer, size: number): Buffer[] {
  const out: Buffer[] = [];
  for (let i = 0; i < bytes.length; i += size) out.push(Buffer.from(bytes.subarray(i, i + size)));
  return out;
}
