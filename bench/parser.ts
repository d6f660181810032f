/**
 * @module bench/parser: our byte-level InstructionReader against guacamole-common-js's Guacamole.Parser fed
 * with the same bytes decoded by a streaming TextDecoder (its decoding time counts), in 64 KiB chunks.
 */
import { Readable } from 'node:stream';
import { ByteParser, InstructionReader, decodeInstruction } from '../src/protocol/index.js';
import { chunk, loadCorpus } from './corpus.js';
import { median, type BenchResult } from './stats.js';

/** The slice of guacamole-common-js this benchmark drives. */
interface GuacamoleParserLike {
  oninstruction: ((opcode: string, args: string[]) => void) | null;
  receive(packet: string, isBuffer?: boolean): void;
}
interface GuacamoleLike {
  Parser: new () => GuacamoleParserLike;
}

const CHUNK = 64 * 1024;

async function loadGuacamole(): Promise<GuacamoleLike> {
  // A computed specifier keeps the untyped package out of the type checker.
  const specifier = ['guacamole', 'common', 'js'].join('-');
  const module = (await import(specifier)) as { default: GuacamoleLike };
  return module.default;
}

/** Ours, as the relay uses it: bursts of whole instructions from a stream. */
async function oursReader(chunks: Buffer[]): Promise<number> {
  const reader = new InstructionReader(Readable.from(chunks, { objectMode: false }));
  let bytes = 0;
  for (let burst = await reader.read(); burst; burst = await reader.read()) bytes += burst.length;
  return bytes;
}

/** Ours, decoding every instruction into opcode and args (what the JS parser does). */
function oursDecode(chunks: Buffer[]): number {
  const parser = new ByteParser();
  let count = 0;
  for (const c of chunks) {
    parser.push(c);
    for (let one = parser.takeOne(); one; one = parser.takeOne()) {
      if (decodeInstruction(one).opcode.length >= 0) count++;
    }
  }
  return count;
}

function baseline(Guacamole: GuacamoleLike, chunks: Buffer[]): number {
  const decoder = new TextDecoder('utf-8');
  const parser = new Guacamole.Parser();
  let count = 0;
  parser.oninstruction = () => {
    count++;
  };
  for (const c of chunks) parser.receive(decoder.decode(c, { stream: true }));
  return count;
}

async function time(fn: () => unknown): Promise<number> {
  const start = process.hrtime.bigint();
  await fn();
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * Runs the parser benchmark.
 * @param runs repetitions per contender (the median is reported)
 * @param megabytes corpus size
 * @returns one result per contender plus the ratio
 */
export async function runParserBench(runs = 5, megabytes = 128): Promise<BenchResult> {
  const Guacamole = await loadGuacamole();
  const corpus = loadCorpus(megabytes);
  const full = chunk(corpus.full, CHUNK);
  const bmp = chunk(corpus.bmp, CHUNK);
  const mb = (bytes: number, seconds: number): number => bytes / 1e6 / seconds;
  const samples: Record<string, number[]> = {
    'ours: InstructionReader bursts (full corpus)': [],
    'ours: InstructionReader bursts (BMP corpus)': [],
    'ours: decode every instruction (BMP corpus)': [],
    'baseline: TextDecoder + Guacamole.Parser (BMP corpus)': [],
  };
  for (let i = 0; i < runs; i++) {
    // Alternate the order so neither side always runs on a warmer heap.
    const order = i % 2 === 0 ? [0, 1, 2, 3] : [3, 2, 1, 0];
    for (const which of order) {
      switch (which) {
        case 0:
          samples['ours: InstructionReader bursts (full corpus)']?.push(
            mb(corpus.full.length, await time(() => oursReader(full))),
          );
          break;
        case 1:
          samples['ours: InstructionReader bursts (BMP corpus)']?.push(
            mb(corpus.bmp.length, await time(() => oursReader(bmp))),
          );
          break;
        case 2:
          samples['ours: decode every instruction (BMP corpus)']?.push(
            mb(corpus.bmp.length, await time(() => oursDecode(bmp))),
          );
          break;
        default:
          samples['baseline: TextDecoder + Guacamole.Parser (BMP corpus)']?.push(
            mb(corpus.bmp.length, await time(() => baseline(Guacamole, bmp))),
          );
      }
    }
  }
  const rows = Object.entries(samples).map(([name, values]) => ({
    name,
    value: median(values),
    unit: 'MB/s',
  }));
  const ours = rows[1]?.value ?? 0;
  const base = rows[3]?.value ?? 1;
  return {
    name: 'parser',
    corpus: `${(corpus.full.length / 1e6).toFixed(1)} MB full / ${(corpus.bmp.length / 1e6).toFixed(1)} MB BMP-only, ${corpus.instructions} instructions, ${CHUNK / 1024} KiB chunks, median of ${runs}`,
    rows,
    ratio: {
      name: 'InstructionReader ÷ Guacamole.Parser (BMP corpus)',
      value: ours / base,
      goal: 1.5,
    },
  };
}
