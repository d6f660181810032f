/**
 * @module bench/tunnel/latency: the delay a server adds between a client's `key` instruction and its arrival
 * at guacd, with many tunnels streaming at once. Clients (this process), server and fake guacd run in three
 * processes; the client stamps each key with process.hrtime (CLOCK_MONOTONIC, one clock for every process
 * on the machine) and the fake guacd subtracts it from its own hrtime on arrival.
 */
import { liteUrl, openTunnels, typeKeys } from './clients.js';
import { startChild } from './ipc.js';
import { profileFlags } from './throughput.js';
import type { ServerKind } from './servers.js';

/** Settings of {@link measureLatency}. */
export interface LatencySettings {
  readonly tunnels: number;
  readonly durationMs: number;
  readonly keyEveryMs: number;
  /** Bytes each fake guacd connection streams per tick, and the tick. */
  readonly sliceBytes: number;
  readonly tickMs: number;
  readonly corpusMegabytes: number;
}

/** One contender's latencies. */
export interface LatencyResult {
  readonly kind: ServerKind;
  readonly p50Ms: number;
  readonly p99Ms: number;
  readonly maxMs: number;
  readonly samples: number;
  readonly sent: number;
  /** What the clients received per second during the measurement, in MB/s (all tunnels). */
  readonly streamMbPerSecond: number;
  /** The server's event-loop delay p99 (ms), utilization (0–1) and longest GC pause (ms). */
  readonly loopDelayP99Ms: number;
  readonly loopUtilization: number;
  readonly gcMaxMs: number;
  /** The server's garbage-collection pauses during the measurement: count and total ms. */
  readonly gcCount: number;
  readonly gcMs: number;
}

/**
 * @param sorted ascending samples
 * @param q the quantile, 0–1
 * @returns the nearest-rank quantile (0 for none)
 */
function percentile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil(q * sorted.length) - 1)] ?? 0;
}

function tunnelUrl(kind: ServerKind, port: number): string {
  // guacamole-lite gets the ASCII-only stream: a character split across reads kills it (see asciiOnly).
  if (kind === 'lite') return liteUrl(port, 'desktop-ascii');
  if (kind === 'ws') return `ws://127.0.0.1:${port}/websocket-tunnel?GUAC_ID=1`;
  return `ws://127.0.0.1:${port}/`;
}

/**
 * Measures each contender in turn against one streaming fake guacd.
 * @param kinds WebSocket contenders (the bare pipe, ours, guacamole-lite)
 * @param settings load and duration
 * @returns latencies per contender, in the order given
 */
export async function measureLatency(
  kinds: readonly ServerKind[],
  settings: LatencySettings,
): Promise<LatencyResult[]> {
  const guacd = await startChild([
    'guacd',
    'stream',
    String(settings.corpusMegabytes),
    String(settings.sliceBytes),
    String(settings.tickMs),
  ]);
  const results: LatencyResult[] = [];
  try {
    for (const kind of kinds) {
      const server = await startChild(['server', kind, String(guacd.port)], profileFlags());
      let received = 0;
      const clients = await openTunnels(
        () => tunnelUrl(kind, server.port),
        settings.tunnels,
        20,
        (bytes) => (received += bytes),
      );
      try {
        // Warm up (JIT, socket buffers), then measure from a clean slate.
        await typeKeys(clients, 500, settings.keyEveryMs);
        await new Promise((resolve) => setTimeout(resolve, 100));
        await guacd.request({ op: 'latencies' });
        await server.request({ op: 'loop' });
        received = 0;
        const sent = await typeKeys(clients, settings.durationMs, settings.keyEveryMs);
        const streamMbPerSecond = received / 1e6 / (settings.durationMs / 1000);
        await new Promise((resolve) => setTimeout(resolve, 200));
        const ns = [...((await guacd.request({ op: 'latencies' })).latencies ?? [])];
        const loop = (await server.request({ op: 'loop' })).loop;
        ns.sort((a, b) => a - b);
        results.push({
          kind,
          p50Ms: percentile(ns, 0.5) / 1e6,
          p99Ms: percentile(ns, 0.99) / 1e6,
          maxMs: (ns.at(-1) ?? 0) / 1e6,
          samples: ns.length,
          sent,
          streamMbPerSecond,
          loopDelayP99Ms: loop?.delayP99Ms ?? 0,
          loopUtilization: loop?.utilization ?? 0,
          gcMaxMs: loop?.gcMaxMs ?? 0,
          gcCount: loop?.gcCount ?? 0,
          gcMs: loop?.gcMs ?? 0,
        });
      } finally {
        for (const ws of clients) ws.terminate();
        await server.stop();
      }
    }
  } finally {
    await guacd.stop();
  }
  return results;
}
