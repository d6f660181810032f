/**
 * @module bench/proxy/child: the proxy under test in its own process, so that its CPU time and
 * event loop are its own: a ProxyServer with the `vnc` plugin on a loopback TCP port. It reports the
 * port, then answers `stats` (CPU seconds) and `loop` (event-loop delay since the previous `loop`).
 */
import net from 'node:net';
import { monitorEventLoopDelay } from 'node:perf_hooks';
import { ProxyServer } from '../../src/proxy/index.js';
import { vncPlugin } from '../../src/proxy/vnc-plugin/index.js';
import { ownStats, serveParent, type LoopStats } from '../tunnel/ipc.js';

const proxy = new ProxyServer({ plugins: [vncPlugin] });
const server = net.createServer((socket) => {
  socket.setNoDelay(true);
  void proxy.handle(socket);
});
server.listen(0, '127.0.0.1');
await new Promise((resolve) => server.once('listening', resolve));
// A 10 ms sampling timer (not bench/tunnel's 1 ms one): at 1 ms the monitor's own wake-ups cost an
// idle proxy about 1.5 % of a core, which would be charged to the proxy's CPU figure.
const delay = monitorEventLoopDelay({ resolution: 10 });
delay.enable();
const loop = (): LoopStats => {
  const stats = {
    delayP50Ms: delay.percentile(50) / 1e6,
    delayP99Ms: delay.percentile(99) / 1e6,
    delayMaxMs: delay.max / 1e6,
    utilization: 0,
    gcCount: 0,
    gcMs: 0,
    gcMaxMs: 0,
  };
  delay.reset();
  return stats;
};
serveParent(
  (server.address() as net.AddressInfo).port,
  (request) => (request.op === 'loop' ? { loop: loop() } : { stats: ownStats(false) }),
  async () => {
    server.close();
    await proxy.close();
  },
);
