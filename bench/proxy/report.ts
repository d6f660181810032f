/**
 * @module bench/proxy/report: medians of the runs, the tables, and the goals against the issue's
 * guacd 1.6.0 figures (measured by the author on this machine with the same workloads).
 */
import type { BenchRatio, BenchTable } from '../stats.js';
import { median } from '../stats.js';
import type { Sample } from './measure.js';
import type { WorkloadName } from './workloads.js';

/** guacd 1.6.0's figures from the issue (medians of 3). */
export const GUACD: Readonly<
  Record<WorkloadName, { mbPerSecond: number; framesPerSecond: number; cpuPercent: number }>
> = {
  scroll: { mbPerSecond: 1.71, framesPerSecond: 18.3, cpuPercent: 63 },
  drag: { mbPerSecond: 0.73, framesPerSecond: 29.2, cpuPercent: 34 },
  typing: { mbPerSecond: 0.003, framesPerSecond: 11.5, cpuPercent: 1 },
  idle: { mbPerSecond: 0, framesPerSecond: 0, cpuPercent: 0 },
};

/** The medians of one workload's runs. */
export interface WorkloadSummary {
  readonly workload: WorkloadName;
  readonly runs: number;
  readonly mbPerSecond: number;
  readonly framesPerSecond: number;
  readonly cpuSeconds: number;
  readonly cpuPercent: number;
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
  /** Mark-compacts per second, and GC pause ms per second and longest (ours only). */
  readonly majorGcsPerSecond: number;
  readonly gcMsPerSecond: number;
  readonly gcMaxMs: number;
  readonly noiseP99Ms: number;
  readonly noiseMaxMs: number;
  readonly rfbMbPerSecond: number;
  readonly vncCpuPercent: number;
  /** Instructions per frame by kind (medians). */
  readonly perFrame: Readonly<Record<string, number>>;
}

/**
 * @param workload the workload
 * @param samples its runs
 * @returns the medians
 */
export function summarize(workload: WorkloadName, samples: readonly Sample[]): WorkloadSummary {
  const of = (value: (s: Sample) => number) => median(samples.map(value));
  const kinds = new Set(samples.flatMap((s) => Object.keys(s.client.kinds)));
  const perFrame: Record<string, number> = {};
  for (const kind of kinds) {
    perFrame[kind] = of((s) => (s.client.kinds[kind] ?? 0) / Math.max(1, s.client.syncs));
  }
  return {
    workload,
    runs: samples.length,
    mbPerSecond: of((s) => s.client.bytes / s.seconds / 1e6),
    framesPerSecond: of((s) => s.client.syncs / s.seconds),
    cpuSeconds: of((s) => s.proxyCpuSeconds),
    cpuPercent: of((s) => (100 * s.proxyCpuSeconds) / s.seconds),
    loopP99Ms: of((s) => s.loopP99Ms),
    loopMaxMs: of((s) => s.loopMaxMs),
    majorGcsPerSecond: of((s) => s.majorGcs / s.seconds),
    gcMsPerSecond: of((s) => s.gcMs / s.seconds),
    gcMaxMs: of((s) => s.gcMaxMs),
    noiseP99Ms: of((s) => s.noiseP99Ms),
    noiseMaxMs: of((s) => s.noiseMaxMs),
    rfbMbPerSecond: of((s) => s.rfbBytes / s.seconds / 1e6),
    vncCpuPercent: of((s) => (100 * s.vncCpuSeconds) / s.seconds),
    perFrame,
  };
}

const fixed = (value: number, digits: number): string => value.toFixed(digits);

/** A workload's guacd figures: measured in the same runs, else the issue's. */
function baselineOf(
  workload: WorkloadName,
  measured: readonly WorkloadSummary[] | undefined,
): { mbPerSecond: number; framesPerSecond: number; cpuPercent: number } {
  return measured?.find((m) => m.workload === workload) ?? GUACD[workload];
}

/**
 * @param summaries every workload's medians
 * @param seconds the window length
 * @param measured guacd's medians from the same runs, when it was measured
 * @returns the main table: ours next to guacd
 */
export function resultsTable(
  summaries: readonly WorkloadSummary[],
  seconds: number,
  measured?: readonly WorkloadSummary[],
): BenchTable {
  const source = measured ? 'guacd, same runs' : 'guacd 1.6.0, issue figures';
  return {
    title: `Ours next to ${source}`,
    note: `Medians of ${summaries[0]?.runs ?? 0} runs of ${seconds} s. CPU is the proxy's user + system time (guacd: the daemon and its per-connection children); loop lag is our proxy's event-loop delay (10 ms sampling); "full GCs/s" counts our proxy's mark-compacts and "GC ms/s / max" its GC pauses of every kind (perf_hooks); "idle process lag" is an idle Node process's in the same window (the machine's scheduling noise); "RFB in" is what x11vnc sent our proxy (same run).`,
    columns: [
      'workload',
      'MB/s to client',
      'guacd MB/s',
      'frames/s',
      'guacd frames/s',
      'proxy CPU s',
      'CPU % of a core',
      'guacd CPU %',
      'loop lag p99 ms',
      'loop lag max ms',
      'full GCs/s',
      'GC ms/s / max',
      'idle process lag p99 / max ms',
      'RFB in MB/s',
      'x11vnc CPU %',
    ],
    rows: summaries.map((s) => {
      const guacd = baselineOf(s.workload, measured);
      return [
        s.workload,
        fixed(s.mbPerSecond, 3),
        measured ? fixed(guacd.mbPerSecond, 3) : String(guacd.mbPerSecond),
        fixed(s.framesPerSecond, 1),
        measured ? fixed(guacd.framesPerSecond, 1) : String(guacd.framesPerSecond),
        fixed(s.cpuSeconds, 2),
        fixed(s.cpuPercent, 1),
        measured ? fixed(guacd.cpuPercent, 1) : String(guacd.cpuPercent),
        fixed(s.loopP99Ms, 1),
        fixed(s.loopMaxMs, 1),
        fixed(s.majorGcsPerSecond, 1),
        `${fixed(s.gcMsPerSecond, 1)} / ${fixed(s.gcMaxMs, 1)}`,
        `${fixed(s.noiseP99Ms, 1)} / ${fixed(s.noiseMaxMs, 1)}`,
        fixed(s.rfbMbPerSecond, 3),
        fixed(s.vncCpuPercent, 1),
      ];
    }),
  };
}

/**
 * @param summaries every workload's medians
 * @param who whose they are
 * @returns what each frame carried
 */
export function mixTable(summaries: readonly WorkloadSummary[], who: string): BenchTable {
  const kinds = [
    'img:image/png',
    'img:image/jpeg',
    'img:image/webp',
    'copy',
    'rect',
    'cfill',
    'blob',
  ];
  return {
    title: `Instructions per frame (medians, ${who})`,
    columns: ['workload', ...kinds],
    rows: summaries.map((s) => [s.workload, ...kinds.map((k) => fixed(s.perFrame[k] ?? 0, 2))]),
  };
}

/**
 * The goals per workload; a zero guacd baseline (idle) is compared in absolute terms.
 * @param summaries every workload's medians
 * @param measured guacd's medians from the same runs, when it was measured
 * @returns the ratios
 */
export function goalRatios(
  summaries: readonly WorkloadSummary[],
  measured?: readonly WorkloadSummary[],
): BenchRatio[] {
  const ratios: BenchRatio[] = [];
  for (const s of summaries) {
    const guacd = baselineOf(s.workload, measured);
    if (guacd.framesPerSecond > 0 && s.workload !== 'idle') {
      ratios.push(
        {
          name: `${s.workload}: frames/s ÷ guacd's`,
          value: s.framesPerSecond / guacd.framesPerSecond,
          goal: 1,
        },
        {
          name: `${s.workload}: bytes ÷ guacd's`,
          value: s.mbPerSecond / guacd.mbPerSecond,
          goal: 1.2,
          atMost: true,
        },
        {
          name: `${s.workload}: CPU ÷ guacd's`,
          value: s.cpuPercent / guacd.cpuPercent,
          goal: 1.5,
          atMost: true,
        },
      );
    } else {
      ratios.push(
        {
          name: `${s.workload}: MB/s to client`,
          value: s.mbPerSecond,
          goal: 0.001,
          unit: ' MB/s',
          atMost: true,
        },
        {
          name: `${s.workload}: CPU % of a core`,
          value: s.cpuPercent,
          goal: 1,
          unit: ' %',
          atMost: true,
        },
      );
    }
    ratios.push({
      name: `${s.workload}: event-loop lag max`,
      value: s.loopMaxMs,
      goal: 50,
      unit: ' ms',
      atMost: true,
    });
  }
  return ratios;
}
