/**
 * @module bench/tunnel/idle: how many idle WebSocket tunnels (each with its guacd connection) fit in 1 GiB
 * of server RSS. Opens N tunnels against a quiet fake guacd (a `nop` every 4 s each way, as
 * Guacamole.Client's keep-alive and guacd's would), measures the server's RSS growth after a full GC, and
 * extrapolates.
 */
import type { WebSocket } from 'ws';
import { liteUrl, openTunnels } from './clients.js';
import { startChild } from './ipc.js';
import type { ServerKind } from './servers.js';

/** One contender's memory per idle tunnel. */
export interface IdleResult {
  readonly kind: ServerKind;
  readonly tunnels: number;
  /** Server RSS growth, in MB. */
  readonly growthMb: number;
  readonly bytesPerTunnel: number;
  /** Of which: V8 heap, and memory outside it, per tunnel. */
  readonly heapPerTunnel: number;
  readonly externalPerTunnel: number;
  readonly tunnelsPerGiB: number;
  /** Seconds it took to open them all. */
  readonly openSeconds: number;
}

const KEEP_ALIVE_MS = 4000;

/**
 * Measures each contender with `tunnels` idle tunnels.
 * @param kinds WebSocket contenders
 * @param tunnels how many (each costs the server two file descriptors)
 * @returns one result per contender, in the order given
 */
export async function measureIdle(
  kinds: readonly ServerKind[],
  tunnels: number,
): Promise<IdleResult[]> {
  const results: IdleResult[] = [];
  for (const kind of kinds) {
    const guacd = await startChild(['guacd', 'idle', '0']);
    const server = await startChild(['server', kind, String(guacd.port)]);
    let clients: WebSocket[] = [];
    const keepAlive = setInterval(() => {
      for (const ws of clients) ws.send('3.nop;');
    }, KEEP_ALIVE_MS);
    try {
      // Let the server settle (lazy compilation, first allocations) before the baseline.
      await new Promise((resolve) => setTimeout(resolve, 300));
      const before = (await server.request({ op: 'stats', collect: true })).stats;
      const start = process.hrtime.bigint();
      const url =
        kind === 'lite'
          ? () => liteUrl(server.port)
          : () => `ws://127.0.0.1:${server.port}/websocket-tunnel?GUAC_ID=1`;
      clients = await openTunnels(url, tunnels, 50);
      const openSeconds = Number(process.hrtime.bigint() - start) / 1e9;
      await new Promise((resolve) => setTimeout(resolve, 500));
      const after = (await server.request({ op: 'stats', collect: true })).stats;
      const ready = (await guacd.request({ op: 'count' })).count ?? 0;
      if (!before || !after) throw new Error('no stats from the server');
      if (ready !== tunnels || clients.some((ws) => ws.readyState !== ws.OPEN)) {
        throw new Error(`${kind}: only ${ready} of ${tunnels} tunnels reached guacd / stayed open`);
      }
      const bytesPerTunnel = (after.rss - before.rss) / tunnels;
      results.push({
        kind,
        tunnels,
        growthMb: (after.rss - before.rss) / 1e6,
        bytesPerTunnel,
        heapPerTunnel: (after.heapUsed - before.heapUsed) / tunnels,
        externalPerTunnel: (after.external - before.external) / tunnels,
        tunnelsPerGiB: 2 ** 30 / bytesPerTunnel,
        openSeconds,
      });
    } finally {
      clearInterval(keepAlive);
      for (const ws of clients) ws.terminate();
      await server.stop();
      await guacd.stop();
    }
  }
  return results;
}
