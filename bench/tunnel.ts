/**
 * @module bench/tunnel: the tunnel layer end to end, over loopback, against same-run baselines.
 * 1. Throughput of a guacd flood (the 200 MB corpus) through a bare TCP→WebSocket pipe (the limit), our
 *    WebSocket tunnel, our HTTP tunnel and guacamole-lite 1.2, with the server's CPU per GB: cold (a fresh
 *    server per run) and warm (consecutive floods through one server).
 * 2. Latency a server adds to client `key` instructions while 100 tunnels stream.
 * 3. Idle WebSocket tunnels per GiB of server RSS, ours and guacamole-lite's.
 * Clients run here; each server and the fake guacd run in child processes (see bench/tunnel/ipc.ts).
 * Environment: BENCH_TUNNEL_MB, BENCH_TUNNEL_RUNS, BENCH_TUNNEL_IDLE (tunnels), BENCH_TUNNEL_CPU_PROF (a
 * directory: servers under test then write `--cpu-prof` profiles there).
 */
import { readFileSync } from 'node:fs';
import type { BenchRatio, BenchResult } from './stats.js';
import { median } from './stats.js';
import { measureIdle } from './tunnel/idle.js';
import { measureLatency, type LatencyResult, type LatencySettings } from './tunnel/latency.js';
import {
  CONTENDERS,
  contenderLabel,
  idleTable,
  latencyTable,
  medianLatency,
  throughputTable,
} from './tunnel/report.js';
import type { ServerKind } from './tunnel/servers.js';
import { measureThroughput, type ThroughputResult } from './tunnel/throughput.js';

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/** The soft file-descriptor limit of this process (children inherit it). */
function fileLimit(): number {
  try {
    const line = /^Max open files\s+(\d+)/m.exec(readFileSync('/proc/self/limits', 'utf8'));
    return line?.[1] === undefined ? 1024 : Number(line[1]);
  } catch {
    return 1024;
  }
}

/**
 * Runs the tunnel benchmark.
 * @returns throughput rows, the WebSocket ÷ bare pipe ratio, and the latency and idle tables and goals
 */
export async function runTunnelBench(): Promise<BenchResult> {
  const megabytes = setting('BENCH_TUNNEL_MB', 200);
  const runs = setting('BENCH_TUNNEL_RUNS', 3);
  // Each idle tunnel costs the server two descriptors; keep well inside the limit.
  const idleTunnels = Math.min(
    setting('BENCH_TUNNEL_IDLE', 5000),
    Math.floor((fileLimit() - 500) / 2),
  );
  const progress = (text: string): void => {
    console.error(`tunnel: ${text}`);
  };

  progress(`throughput, ${runs} runs × ${CONTENDERS.length} contenders, ${megabytes} MB…`);
  const { results: flood, corpusBytes } = await measureThroughput(
    CONTENDERS,
    runs,
    megabytes,
    120_000,
  );
  progress(`throughput, warm servers, ${runs} floods each…`);
  const { results: warmFlood } = await measureThroughput(
    CONTENDERS,
    runs,
    megabytes,
    120_000,
    true,
  );
  for (const r of [...flood, ...warmFlood]) {
    if (r.failure !== undefined) progress(`${contenderLabel(r)}: server died: ${r.failure}`);
  }
  const throughputRatios = (results: readonly ThroughputResult[], when: string): BenchRatio[] => {
    const rate = (kind: ServerKind, ascii = false): number =>
      results.find((r) => r.kind === kind && r.ascii === ascii)?.mbPerSecond ?? 0;
    // When guacamole-lite died in every run there is no rate to divide by.
    const overLite = (ascii: boolean): number =>
      rate('lite', ascii) > 0 ? rate('ws', ascii) / rate('lite', ascii) : Infinity;
    return [
      {
        name: `WebSocket tunnel ÷ bare pipe (${when})`,
        value: rate('ws') / rate('bare'),
        goal: 0.7,
      },
      { name: `WebSocket tunnel ÷ guacamole-lite (${when})`, value: overLite(false), goal: 3 },
      {
        name: `WebSocket tunnel ÷ guacamole-lite (${when}, both on the ASCII-only corpus)`,
        value: overLite(true),
        goal: 3,
      },
      {
        name: `HTTP tunnel ÷ WebSocket tunnel (${when})`,
        value: rate('http') / rate('ws'),
        goal: 0.5,
      },
    ];
  };
  const [mainRatio, ...coldRatios] = throughputRatios(flood, 'throughput, cold');
  const kinds: ServerKind[] = ['bare', 'ws', 'http', 'lite'];

  const latencySettings: LatencySettings = {
    tunnels: 100,
    durationMs: 2500,
    keyEveryMs: 20,
    sliceBytes: 8192,
    tickMs: 20,
    corpusMegabytes: megabytes,
  };
  // Tails are what a noisy shared machine disturbs most: more, shorter runs, alternating the order.
  const latencyRunCount = runs + 2;
  const latencyRuns: LatencyResult[][] = [];
  for (let run = 0; run < latencyRunCount; run++) {
    progress(`latency run ${run + 1}/${latencyRunCount}…`);
    const order: ServerKind[] = run % 2 === 0 ? ['bare', 'ws', 'lite'] : ['lite', 'ws', 'bare'];
    latencyRuns.push(await measureLatency(order, latencySettings));
  }
  const latency = medianLatency(latencyRuns).sort(
    (a, b) => kinds.indexOf(a.kind) - kinds.indexOf(b.kind),
  );
  const p99 = (kind: ServerKind): number => latency.find((r) => r.kind === kind)?.p99Ms ?? 0;
  // Paired within each run, so a noisy stretch that hits one run hits both sides of its difference.
  const runP99 = (run: LatencyResult[], kind: ServerKind): number =>
    run.find((r) => r.kind === kind)?.p99Ms ?? 0;
  const addedP99 = median(latencyRuns.map((run) => runP99(run, 'ws') - runP99(run, 'bare')));

  progress(`idle, ${idleTunnels} tunnels each…`);
  const idle = await measureIdle(['ws', 'lite'], idleTunnels);
  const perGiB = idle.find((r) => r.kind === 'ws')?.tunnelsPerGiB ?? 0;

  const ratios: BenchRatio[] = [
    ...coldRatios,
    ...throughputRatios(warmFlood, 'throughput, warm'),
    {
      name: 'WebSocket tunnel key latency p99',
      value: p99('ws'),
      goal: 1,
      unit: ' ms',
      atMost: true,
    },
    {
      name: 'WebSocket tunnel p99 minus bare pipe p99 (median of per-run differences)',
      value: addedP99,
      goal: 1,
      unit: ' ms',
      atMost: true,
    },
    { name: 'Idle WebSocket tunnels per GiB (ours)', value: perGiB, goal: 10_000, unit: '' },
  ];
  return {
    name: 'tunnel',
    corpus: `${(corpusBytes / 1e6).toFixed(1)} MB guacd flood (bench/corpus.ts: img/blob/end, copy, rect/cfill, mouse, sync, non-ASCII names) from a fake guacd on loopback; clients, server and fake guacd in separate processes on ${process.platform}, Node ${process.version}; median of ${runs} cold runs`,
    rows: flood.map((r) => ({ name: contenderLabel(r), value: r.mbPerSecond, unit: 'MB/s' })),
    ratio: mainRatio as BenchRatio,
    tables: [
      throughputTable(flood, runs, false),
      throughputTable(warmFlood, runs, true),
      latencyTable(latency, latencySettings, latencyRunCount),
      idleTable(idle),
    ],
    ratios,
  };
}
