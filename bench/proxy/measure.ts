/**
 * @module bench/proxy/measure: one measured run of one workload: a fresh browser-like client connects
 * through the proxy child and the byte-counting relay to x11vnc, receives the first frame, the
 * workload starts, and the window of `seconds` is measured on every side at once.
 */
import { performance } from 'node:perf_hooks';
import { BenchClient, countersBetween, type ClientCounters } from './client.js';
import type { Contender } from './contender.js';
import type { ProxyChild } from './ipc.js';
import type { Relay } from './relay.js';
import { startWorkload, type WorkloadName } from './workloads.js';
import { processCpuSeconds, type Desktop } from './x11.js';

/** What one run measured. */
export interface Sample {
  /** Which proxy was measured. */
  readonly contender: string;
  readonly workload: WorkloadName;
  /** The measured window, in seconds. */
  readonly seconds: number;
  /** What the client received in the window. */
  readonly client: ClientCounters;
  /** The proxy's CPU seconds (user + system) in the window. */
  readonly proxyCpuSeconds: number;
  /** The proxy's event-loop delay in the window, ms (NaN for guacd). */
  readonly loopP99Ms: number;
  readonly loopMaxMs: number;
  /** The proxy's mark-compacts (full GCs) in the window, and its GC pauses of every kind (NaN for guacd). */
  readonly majorGcs: number;
  readonly gcMs: number;
  readonly gcMaxMs: number;
  /** An idle process's event-loop delay in the same window, ms (the machine's scheduling noise). */
  readonly noiseP99Ms: number;
  readonly noiseMaxMs: number;
  /** RFB bytes x11vnc sent the proxy in the window. */
  readonly rfbBytes: number;
  /** x11vnc's CPU seconds in the window. */
  readonly vncCpuSeconds: number;
}

/** Everything a run needs. */
export interface Rig {
  readonly desktop: Desktop;
  readonly relay: Relay;
  /** An idle process watching its own event loop. */
  readonly idle: ProxyChild;
}

/**
 * Measures one run.
 * @param rig the desktop, relay and idle process
 * @param proxy the proxy under test
 * @param workload the workload
 * @param seconds the measured window's length
 * @returns the sample
 */
export async function measureOnce(
  rig: Rig,
  proxy: Contender,
  workload: WorkloadName,
  seconds: number,
): Promise<Sample> {
  const { desktop, relay } = rig;
  const client = await BenchClient.connect(proxy.port, relay.port);
  try {
    await client.nextFrame();
    const running = await startWorkload(workload, desktop, seconds);
    try {
      const begin = await snapshot(rig, proxy, client);
      await new Promise((resolve) => setTimeout(resolve, seconds * 1000));
      const end = await snapshot(rig, proxy, client);
      return {
        contender: proxy.name,
        workload,
        seconds: (end.at - begin.at) / 1000,
        client: countersBetween(end.client, begin.client),
        proxyCpuSeconds: end.cpu - begin.cpu,
        loopP99Ms: end.loop?.delayP99Ms ?? NaN,
        loopMaxMs: end.loop?.delayMaxMs ?? NaN,
        majorGcs: end.loop?.gcCount ?? NaN,
        gcMs: end.loop?.gcMs ?? NaN,
        gcMaxMs: end.loop?.gcMaxMs ?? NaN,
        noiseP99Ms: end.noise.delayP99Ms,
        noiseMaxMs: end.noise.delayMaxMs,
        rfbBytes: end.rfb - begin.rfb,
        vncCpuSeconds: end.vnc - begin.vnc,
      };
    } finally {
      await running.stop();
    }
  } finally {
    await client.close();
  }
}

/** Every counter at one moment; the `loop` requests also restart the delay histograms. */
async function snapshot(rig: Rig, proxy: Contender, client: BenchClient) {
  const [loop, noise] = await Promise.all([
    proxy.loop(),
    rig.idle.request({ op: 'loop' }).then((reply) => reply.loop),
  ]);
  const cpu = await proxy.cpuSeconds();
  if (noise === undefined) throw new Error('the idle process sent no loop statistics');
  return {
    at: performance.now(),
    loop,
    noise,
    cpu,
    client: client.snapshot(),
    rfb: rig.relay.serverBytes(),
    vnc: processCpuSeconds(rig.desktop.vncPid),
  };
}
