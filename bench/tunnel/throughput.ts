/**
 * @module bench/tunnel/throughput: a guacd flood of the corpus through each server, client and fake guacd
 * outside the server's process. Every run starts a fresh server child; the order of the contenders
 * alternates between runs. A contender may take the ASCII-only variant of the corpus (guacamole-lite
 * cannot relay the full one reliably; see asciiOnly in guacd.ts).
 */
import { loadCorpus } from '../corpus.js';
import { median } from '../stats.js';
import { httpTransfer, liteUrl, wsTransfer, type Transfer } from './clients.js';
import { asciiOnly } from './guacd.js';
import { startChild, type Child } from './ipc.js';
import type { ServerKind } from './servers.js';

/** A server and the corpus variant it is fed. */
export interface Contender {
  readonly kind: ServerKind;
  readonly ascii: boolean;
}

/** One contender's medians. */
export interface ThroughputResult extends Contender {
  /** Median MB/s (10^6 bytes of corpus per second), over complete runs. */
  readonly mbPerSecond: number;
  /** Slowest and fastest complete run. */
  readonly minMbPerSecond: number;
  readonly maxMbPerSecond: number;
  /** Median server CPU seconds per GB relayed. */
  readonly cpuPerGb: number;
  /** Median peak RSS of the server process, in MB. */
  readonly peakRssMb: number;
  /** Runs that delivered the whole corpus, of all runs. */
  readonly complete: number;
  readonly runs: number;
  /** Median received bytes / corpus bytes (shows what went missing in incomplete runs). */
  readonly delivered: number;
  /** Why the server process died, when it did. */
  readonly failure: string | undefined;
}

/** Server-side profiling flags, when BENCH_TUNNEL_CPU_PROF names a directory. */
export function profileFlags(): string[] {
  const dir = process.env.BENCH_TUNNEL_CPU_PROF;
  return dir === undefined || dir === ''
    ? []
    : ['--cpu-prof', '--cpu-prof-interval=100', `--cpu-prof-dir=${dir}`];
}

async function transfer(c: Contender, port: number, timeoutMs: number): Promise<Transfer> {
  const base = `127.0.0.1:${port}`;
  switch (c.kind) {
    case 'bare':
      return await wsTransfer(`ws://${base}/`, timeoutMs);
    case 'ws':
      return await wsTransfer(`ws://${base}/websocket-tunnel?GUAC_ID=1`, timeoutMs);
    case 'http':
      return await httpTransfer(`http://${base}/tunnel`, timeoutMs);
    case 'lite':
      return await wsTransfer(liteUrl(port, c.ascii ? 'desktop-ascii' : 'desktop'), timeoutMs);
  }
}

interface Samples {
  mbps: number[];
  cpu: number[];
  rss: number[];
  got: number[];
  failure: string | undefined;
}

const emptySamples = (): Samples => ({ mbps: [], cpu: [], rss: [], got: [], failure: undefined });

/** One flood through a running server, recorded in `sample`; throws if the server stops answering. */
async function flood(
  server: Child,
  c: Contender,
  expected: number,
  sample: Samples,
  timeoutMs: number,
): Promise<void> {
  const before = (await server.request({ op: 'stats' })).stats;
  const result = await transfer(c, server.port, timeoutMs);
  sample.got.push(result.bytes / expected);
  const after = (await server.request({ op: 'stats' })).stats;
  if (!before || !after) return;
  sample.rss.push(after.maxRss / 1e6);
  // Anything short of the corpus (ours adds only the UUID message) is a failed run.
  if (result.bytes < expected * 0.999) return;
  sample.mbps.push(expected / 1e6 / result.seconds);
  sample.cpu.push((after.cpuSeconds - before.cpuSeconds) / (expected / 1e9));
}

/**
 * Measures every contender, cold (a fresh server process per run, the order alternating between runs) or
 * warm (one server per contender, one unrecorded flood first, then `runs` floods in a row).
 * @param contenders servers and corpus variants
 * @param runs runs per contender
 * @param megabytes corpus size
 * @param timeoutMs per-run limit (a run that hits it counts as incomplete)
 * @param warm measure warm servers instead of cold ones
 * @returns medians per contender, in the order given
 */
export async function measureThroughput(
  contenders: readonly Contender[],
  runs: number,
  megabytes: number,
  timeoutMs: number,
  warm = false,
): Promise<{ results: ThroughputResult[]; corpusBytes: number }> {
  const full = loadCorpus(megabytes).full;
  const bytesOf = { full: full.length, ascii: asciiOnly(full).length };
  const guacd = await startChild(['guacd', 'flood', String(megabytes)]);
  const samples = contenders.map(emptySamples);
  // Cold: (run, contender) pairs, alternating; warm: each contender's runs in a row on one server.
  const sessions: { index: number; floods: number }[] = warm
    ? contenders.map((_, index) => ({ index, floods: runs }))
    : Array.from({ length: runs }, (_, run) =>
        contenders.map((_c, i) => ({
          index: run % 2 === 0 ? i : contenders.length - 1 - i,
          floods: 1,
        })),
      ).flat();
  try {
    for (const { index, floods } of sessions) {
      const c = contenders[index] as Contender;
      const sample = samples[index] as Samples;
      const expected = c.ascii ? bytesOf.ascii : bytesOf.full;
      const server = await startChild(['server', c.kind, String(guacd.port)], profileFlags());
      try {
        if (warm) await flood(server, c, expected, emptySamples(), timeoutMs);
        for (let i = 0; i < floods; i++) await flood(server, c, expected, sample, timeoutMs);
      } catch {
        // The server died (its failure is recorded below) or stopped answering.
      } finally {
        await server.stop();
        sample.failure ??= server.failure();
      }
    }
  } finally {
    await guacd.stop();
  }
  const results = contenders.map((c, i): ThroughputResult => {
    const s = samples[i] as Samples;
    return {
      ...c,
      mbPerSecond: median(s.mbps),
      minMbPerSecond: s.mbps.length > 0 ? Math.min(...s.mbps) : 0,
      maxMbPerSecond: Math.max(0, ...s.mbps),
      cpuPerGb: median(s.cpu),
      peakRssMb: median(s.rss),
      complete: s.mbps.length,
      runs,
      delivered: median(s.got),
      failure: s.failure,
    };
  });
  return { results, corpusBytes: bytesOf.full };
}
