/**
 * @module bench/tunnel/report: the tunnel benchmark's contenders, labels and Markdown tables.
 */
import type { BenchTable } from '../stats.js';
import { median } from '../stats.js';
import type { IdleResult } from './idle.js';
import type { LatencyResult, LatencySettings } from './latency.js';
import type { ServerKind } from './servers.js';
import type { Contender, ThroughputResult } from './throughput.js';

/** Row labels of the servers under test. */
export const LABELS: Record<ServerKind, string> = {
  bare: 'bare TCP→WebSocket pipe (limit)',
  ws: 'ours: WebSocket tunnel',
  http: 'ours: HTTP tunnel',
  lite: 'baseline: guacamole-lite 1.2',
};

const fixed = (value: number, digits = 1): string => value.toFixed(digits);

/**
 * Throughput contenders, all on the full corpus; ours and guacamole-lite also on its ASCII-only variant,
 * because guacamole-lite slows down on non-ASCII text and can die of it (see asciiOnly in tunnel/guacd.ts).
 */
export const CONTENDERS: readonly Contender[] = [
  { kind: 'bare', ascii: false },
  { kind: 'ws', ascii: false },
  { kind: 'http', ascii: false },
  { kind: 'lite', ascii: false },
  { kind: 'ws', ascii: true },
  { kind: 'lite', ascii: true },
];

/**
 * @param c a contender
 * @returns its row label
 */
export function contenderLabel(c: Contender): string {
  return c.ascii ? `${LABELS[c.kind]}, ASCII-only corpus` : LABELS[c.kind];
}

function runsCell(r: ThroughputResult): string {
  if (r.complete === r.runs) return `${r.complete}/${r.runs}`;
  const why = r.failure === undefined ? '' : `; server died: \`${r.failure.slice(0, 90)}\``;
  return `${r.complete}/${r.runs} (median ${fixed(r.delivered * 100)} % delivered${why})`;
}

/** The throughput table, cold or warm. */
export function throughputTable(
  results: readonly ThroughputResult[],
  runs: number,
  warm: boolean,
): BenchTable {
  return {
    title: warm ? 'tunnel: throughput, warm servers' : 'tunnel: throughput',
    note: warm
      ? `One server process per contender: one unrecorded flood, then the median of ${runs} in a row (a 200 MB flood lasts well under a second, so cold runs largely measure JIT warm-up).`
      : `Median of ${runs} cold runs (fresh server process each). CPU is the server process's user + system time; peak RSS includes Buffers not yet collected.`,
    columns: [
      'contender',
      'MB/s',
      'min–max MB/s',
      'server CPU s/GB',
      'server peak RSS MB',
      'complete runs',
    ],
    rows: results.map((r) => [
      contenderLabel(r),
      r.complete > 0 ? fixed(r.mbPerSecond, 0) : '—',
      r.complete > 0 ? `${fixed(r.minMbPerSecond, 0)}–${fixed(r.maxMbPerSecond, 0)}` : '—',
      r.complete > 0 ? fixed(r.cpuPerGb, 2) : '—',
      fixed(r.peakRssMb, 0),
      runsCell(r),
    ]),
  };
}

/** The key-latency table. */
export function latencyTable(
  results: readonly LatencyResult[],
  s: LatencySettings,
  runs: number,
): BenchTable {
  return {
    title: 'tunnel: key latency under load',
    note: `${s.tunnels} tunnels, each streaming ${s.sliceBytes / 1024} KiB every ${s.tickMs} ms from guacd while its client sends a \`key\` every ${s.keyEveryMs} ms; send → arrival at guacd, median over ${runs} runs of ${s.durationMs / 1000} s.`,
    columns: [
      'contender',
      'p50 ms',
      'p99 ms',
      'max ms',
      'keys per run',
      'stream MB/s',
      'server loop delay p99 ms',
      'server loop busy',
      'server GC pauses (total ms)',
      'server longest GC ms',
    ],
    rows: results.map((r) => [
      LABELS[r.kind],
      fixed(r.p50Ms, 3),
      fixed(r.p99Ms, 3),
      fixed(r.maxMs, 2),
      String(r.samples),
      fixed(r.streamMbPerSecond),
      fixed(r.loopDelayP99Ms, 2),
      `${fixed(r.loopUtilization * 100, 0)} %`,
      `${fixed(r.gcCount, 0)} (${fixed(r.gcMs, 0)})`,
      fixed(r.gcMaxMs, 2),
    ]),
  };
}

/** The idle-tunnel memory table. */
export function idleTable(results: readonly IdleResult[]): BenchTable {
  return {
    title: 'tunnel: idle WebSocket tunnels per GiB',
    note: 'Server RSS after a full GC, before and after opening the tunnels (each with its guacd socket).',
    columns: [
      'contender',
      'tunnels',
      'RSS growth MB',
      'RSS KiB per tunnel',
      'of which JS heap KiB',
      'tunnels per GiB',
      'open s',
    ],
    rows: results.map((r) => [
      LABELS[r.kind],
      String(r.tunnels),
      fixed(r.growthMb),
      fixed(r.bytesPerTunnel / 1024),
      fixed(r.heapPerTunnel / 1024),
      fixed(r.tunnelsPerGiB, 0),
      fixed(r.openSeconds, 2),
    ]),
  };
}

/** Medians of several latency runs, per contender. */
export function medianLatency(runs: readonly LatencyResult[][]): LatencyResult[] {
  const first = runs[0] ?? [];
  return first.map((r) => {
    const all = runs.map((run) => run.find((x) => x.kind === r.kind) ?? r);
    const m = (pick: (x: LatencyResult) => number): number => median(all.map(pick));
    return {
      kind: r.kind,
      p50Ms: m((x) => x.p50Ms),
      p99Ms: m((x) => x.p99Ms),
      maxMs: m((x) => x.maxMs),
      samples: Math.round(m((x) => x.samples)),
      sent: Math.round(m((x) => x.sent)),
      streamMbPerSecond: m((x) => x.streamMbPerSecond),
      loopDelayP99Ms: m((x) => x.loopDelayP99Ms),
      loopUtilization: m((x) => x.loopUtilization),
      gcMaxMs: m((x) => x.gcMaxMs),
      gcCount: m((x) => x.gcCount),
      gcMs: m((x) => x.gcMs),
    };
  });
}
