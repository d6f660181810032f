/**
 * @module bench/proxy: the bundled proxy on the scripted workloads (scroll, drag, typing,
 * idle) on Xvfb 1920×1080 + x11vnc. The proxy (ProxyServer + `vnc` plugin) runs in a child process so
 * that its CPU time and event loop are its own; a browser-like client, a byte-counting relay to
 * x11vnc and the X workloads run here. Results are compared with the guacd 1.6.0 table.
 * Environment: BENCH_PROXY_SECONDS (window, default 20), BENCH_PROXY_RUNS (default 3),
 * BENCH_PROXY_WORKLOADS (comma-separated subset), BENCH_PROXY_CPU_PROF (a directory: the proxy child
 * writes a `--cpu-prof` profile there), BENCH_PROXY_GUACD (a guacd binary: measured too, in the same
 * runs, alternating with ours; the figures are used otherwise).
 */
import { ourProxy, startGuacd, type Contender } from './proxy/contender.js';
import { startProxyChild } from './proxy/ipc.js';
import { measureOnce, type Sample } from './proxy/measure.js';
import { startRelay } from './proxy/relay.js';
import { goalRatios, mixTable, resultsTable, summarize } from './proxy/report.js';
import { WORKLOADS } from './proxy/workloads.js';
import { X11VNC_FLAGS, missingBenchPeers, startDesktop } from './proxy/x11.js';
import type { BenchRatio, BenchResult } from './stats.js';

function setting(name: string, fallback: number): number {
  const value = Number(process.env[name]);
  return Number.isFinite(value) && value > 0 ? value : fallback;
}

/**
 * Runs the proxy benchmark.
 * @returns per-workload rows (MB/s to the client) and the goals
 */
export async function runProxyBench(): Promise<BenchResult> {
  const missing = missingBenchPeers();
  if (missing.length > 0) {
    throw new Error(`missing ${missing.join(', ')}: run scripts/install-test-peers.sh as root`);
  }
  const seconds = setting('BENCH_PROXY_SECONDS', 20);
  const runs = setting('BENCH_PROXY_RUNS', 3);
  const wanted = (process.env.BENCH_PROXY_WORKLOADS ?? '').split(',').filter((w) => w !== '');
  const workloads = WORKLOADS.filter((w) => wanted.length === 0 || wanted.includes(w));
  const desktop = await startDesktop();
  const relay = await startRelay(desktop.port);
  const proxy = await startProxyChild(process.env.BENCH_PROXY_CPU_PROF);
  const idle = await startProxyChild(undefined, 'null');
  const guacdBinary = process.env.BENCH_PROXY_GUACD;
  const guacd = guacdBinary === undefined ? undefined : await startGuacd(guacdBinary);
  const contenders: Contender[] = [ourProxy(proxy), ...(guacd ? [guacd.contender] : [])];
  const samples = new Map<string, Sample[]>();
  try {
    for (let run = 0; run < runs; run++) {
      for (const workload of workloads) {
        // Alternate who goes first, so that a drifting machine load hits both alike.
        for (const contender of run % 2 === 0 ? contenders : [...contenders].reverse()) {
          console.error(`proxy: ${workload}, ${contender.name}, run ${run + 1}/${runs}…`);
          const rig = { desktop, relay, idle };
          const sample = await measureOnce(rig, contender, workload, seconds);
          const key = `${contender.name}:${workload}`;
          samples.set(key, [...(samples.get(key) ?? []), sample]);
        }
      }
    }
  } finally {
    await guacd?.stop();
    await proxy.stop();
    await idle.stop();
    await relay.close();
    await desktop.stop();
  }
  const summaries = workloads.map((w) => summarize(w, samples.get(`ours:${w}`) ?? []));
  const measured = guacd
    ? workloads.map((w) => summarize(w, samples.get(`guacd:${w}`) ?? []))
    : undefined;
  const ratios = goalRatios(summaries, measured);
  return {
    name: 'proxy',
    corpus: `Xvfb 1920×1080×24 + x11vnc 0.9.16 (${X11VNC_FLAGS.join(' ')}, default -scrollcopyrect), ${workloads.join('/')} workloads of ${seconds} s (bench/proxy/workloads.ts); the proxy in a child process, a browser-like client answering every sync; ${process.platform}, Node ${process.version}; median of ${runs} runs`,
    rows: summaries.map((s) => ({
      name: `${s.workload}: MB/s to client`,
      value: s.mbPerSecond,
      unit: 'MB/s',
    })),
    ratio: ratios[0] as BenchRatio,
    tables: [
      resultsTable(summaries, seconds, measured),
      mixTable(summaries, 'ours'),
      ...(measured ? [mixTable(measured, 'guacd, same runs')] : []),
    ],
    ratios: ratios.slice(1),
  };
}
