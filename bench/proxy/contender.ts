/**
 * @module bench/proxy/contender: what a workload run is measured against: our proxy (the child
 * process of ipc.ts) or, when BENCH_PROXY_GUACD names a guacd binary, a real guacd on loopback. guacd
 * forks a process per connection, so its CPU time is that of the daemon and its children, from /proc.
 */
import { spawn } from 'node:child_process';
import { readdirSync, readFileSync } from 'node:fs';
import net from 'node:net';
import { dirname, join } from 'node:path';
import type { LoopStats } from '../tunnel/ipc.js';
import type { ProxyChild } from './ipc.js';
import { stopChild } from './x11.js';

/** A proxy under test. */
export interface Contender {
  readonly name: string;
  /** Its Guacamole protocol port on 127.0.0.1. */
  readonly port: number;
  /** CPU seconds used so far (user + system). */
  cpuSeconds(): Promise<number>;
  /** Event-loop delay since the previous call; undefined for a proxy without one (guacd). */
  loop(): Promise<LoopStats | undefined>;
}

/**
 * @param child the proxy child
 * @returns our proxy as a contender
 */
export function ourProxy(child: ProxyChild): Contender {
  return {
    name: 'ours',
    port: child.port,
    cpuSeconds: async () => (await child.request({ op: 'stats' })).stats?.cpuSeconds ?? 0,
    loop: async () => (await child.request({ op: 'loop' })).loop,
  };
}

/**
 * CPU seconds of a process and its direct children (user + system), from /proc.
 * @param pid the parent
 * @returns the seconds
 */
function treeCpuSeconds(pid: number): number {
  let ticks = 0;
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const stat = readFileSync(`/proc/${entry}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (Number(entry) !== pid && Number(fields[1]) !== pid) continue;
      ticks += Number(fields[11]) + Number(fields[12]);
    } catch {
      // The process ended meanwhile.
    }
  }
  return ticks / 100;
}

/**
 * Starts guacd in the foreground on a free loopback port.
 * @param binary the guacd executable
 * @returns the contender and a stop function
 */
export async function startGuacd(
  binary: string,
): Promise<{ contender: Contender; stop: () => Promise<void> }> {
  const probe = net.createServer().listen(0, '127.0.0.1');
  await new Promise((resolve) => probe.once('listening', resolve));
  const port = (probe.address() as net.AddressInfo).port;
  await new Promise((resolve) => probe.close(resolve));
  const child = spawn(binary, ['-f', '-b', '127.0.0.1', '-l', String(port), '-L', 'info'], {
    stdio: ['ignore', 'pipe', 'pipe'],
    // A guacd built into a prefix (e.g. /tmp/guacd/sbin/guacd) finds libguac and its protocol
    // plugins in the prefix's lib directory.
    env: { ...process.env, LD_LIBRARY_PATH: join(dirname(binary), '..', 'lib') },
  });
  await new Promise<void>((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      reject(new Error(`guacd did not start: ${text}`));
    }, 10_000);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      if (text.includes('Listening on host')) {
        clearTimeout(timer);
        resolve();
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`guacd exited (${String(code)}): ${text}`));
    });
  });
  child.stdout.resume();
  child.stderr.resume();
  const pid = child.pid ?? 0;
  return {
    contender: {
      name: 'guacd',
      port,
      cpuSeconds: () => Promise.resolve(treeCpuSeconds(pid)),
      loop: () => Promise.resolve(undefined),
    },
    stop: () => stopChild(child),
  };
}
