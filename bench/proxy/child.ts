/**
 * @module bench/proxy/child: the proxy under test in its own process, so that its CPU time and
 * event loop are its own: a ProxyServer with the `vnc` plugin on a loopback TCP port. It reports the
 * port, then answers `stats` (CPU seconds) and `loop` (event-loop delay since the previous `loop`).
 * With the argument `null` it serves no proxy and only watches its own idle event loop: the
 * same-run baseline for how late a timer fires on this machine at the moment (scheduling noise).
 * Garbage collections are counted too: in this bench a `loop` reply's `gcCount` is the number of
 * mark-compacts (full GCs) since the previous `loop`, `gcMs` / `gcMaxMs` the pauses of every kind.
 */
import net from 'node:net';
import {
  PerformanceObserver,
  constants,
  monitorEventLoopDelay,
  type PerformanceEntry,
} from 'node:perf_hooks';
import { ProxyServer } from '../../src/proxy/index.js';
import { vncPlugin } from '../../src/proxy/vnc-plugin/index.js';
import { ownStats, serveParent, type LoopStats } from '../tunnel/ipc.js';

const proxy = process.argv[2] === 'null' ? undefined : new ProxyServer({ plugins: [vncPlugin] });
const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  if (proxy === undefined) socket.destroy();
  else void proxy.handle(socket);
});
server.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
// A 10 ms sampling timer (not bench/tunnel's 1 ms one): at 1 ms the monitor's own wake-ups cost an
// idle proxy about 1.5 % of a core, which would be charged to the proxy's CPU figure.
const RESOLUTION_MS = 10;
const delay = monitorEventLoopDelay({ resolution: RESOLUTION_MS });
delay.enable();
const late = (nanoseconds: number): number => Math.max(0, nanoseconds / 1e6 - RESOLUTION_MS);
const gc = { major: 0, ms: 0, maxMs: 0 };
new PerformanceObserver((list) => {
  for (const entry of list.getEntries()) {
    const { detail } = entry as PerformanceEntry & { detail?: { kind?: number } };
    if (detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) gc.major++;
    gc.ms += entry.duration;
    gc.maxMs = Math.max(gc.maxMs, entry.duration);
  }
}).observe({ entryTypes: ['gc'] });
const loop = (): LoopStats => {
  const stats = {
    // The histogram holds whole intervals between the sampling timer's runs: lateness is the excess.
    delayP50Ms: late(delay.percentile(50)),
    delayP99Ms: late(delay.percentile(99)),
    delayMaxMs: late(delay.max),
    utilization: 0,
    gcCount: gc.major,
    gcMs: gc.ms,
    gcMaxMs: gc.maxMs,
  };
  delay.reset();
  Object.assign(gc, { major: 0, ms: 0, maxMs: 0 });
  return stats;
};
serveParent(
  (server.address() as net.AddressInfo).port,
  (request) => (request.op === 'loop' ? { loop: loop() } : { stats: ownStats(false) }),
  async () => {
    server.close();
    await proxy?.close();
  },
);
