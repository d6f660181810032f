/**
 * @module bench/tunnel/ipc: child processes for the tunnel benchmark. The parent runs only the clients;
 * the server under test and the fake guacd each get their own process (own event loop, own RSS, own CPU
 * accounting), started with `fork` and driven by numbered request/reply messages.
 */
import { fork, type ChildProcess } from 'node:child_process';
import { join } from 'node:path';
import { PerformanceObserver, monitorEventLoopDelay, performance } from 'node:perf_hooks';

/** What the parent can ask a child. */
export type ChildRequest =
  | { readonly op: 'stats'; readonly collect?: boolean }
  | { readonly op: 'latencies' }
  | { readonly op: 'count' }
  | { readonly op: 'loop' }
  | { readonly op: 'stop' };

/** Resource use of a child. */
export interface ChildStats {
  /** User + system CPU time since the child started, in seconds. */
  readonly cpuSeconds: number;
  /** Resident set size now, in bytes (after a full GC when the child can collect). */
  readonly rss: number;
  /** Peak resident set size, in bytes. */
  readonly maxRss: number;
  /** V8 heap in use, and memory outside it (Buffers, native objects), in bytes. */
  readonly heapUsed: number;
  readonly external: number;
}

/** How the child's event loop fared since the previous `loop` request. */
export interface LoopStats {
  /** Event-loop delay percentiles and maximum (perf_hooks, 1 ms timer), in ms. */
  readonly delayP50Ms: number;
  readonly delayP99Ms: number;
  readonly delayMaxMs: number;
  /** Event-loop utilization, 0–1. */
  readonly utilization: number;
  /** Garbage-collection pauses: count, total and longest, in ms. */
  readonly gcCount: number;
  readonly gcMs: number;
  readonly gcMaxMs: number;
}

/** A reply: the request's id plus a payload. */
export interface ChildReply {
  readonly id: number;
  readonly stats?: ChildStats;
  readonly latencies?: readonly number[];
  readonly count?: number;
  readonly loop?: LoopStats;
  readonly error?: string;
}

/** The first message a child sends. */
export interface ChildListening {
  readonly listening: number;
}

/** A running child. */
export interface Child {
  /** The port its server listens on. */
  readonly port: number;
  request(request: ChildRequest, timeoutMs?: number): Promise<ChildReply>;
  /** Why the child died, if it did: the first error line it printed, or its exit code. */
  failure(): string | undefined;
  /** Asks the child to exit (so a `--cpu-prof` profile gets written) and waits; kills it if it hangs. */
  stop(): Promise<void>;
}

const ENTRY = join(import.meta.dirname, 'child.ts');
const CHILD_MARK = 'BENCH_TUNNEL_CHILD';

/**
 * Starts a child running bench/tunnel/child.ts.
 * @param args its role and parameters
 * @param extraExecArgv more node flags (e.g. `--cpu-prof`); the child always gets tsx and --expose-gc
 * @returns the child once its server listens
 */
export async function startChild(
  args: readonly string[],
  extraExecArgv: string[] = [],
): Promise<Child> {
  // Never a child's child: the parent's execArgv (an `--eval` included) is not passed on, and children
  // are marked so that they refuse to fork.
  if (process.env[CHILD_MARK] !== undefined) throw new Error('a benchmark child may not fork');
  const child: ChildProcess = fork(ENTRY, [...args], {
    execArgv: ['--import', import.meta.resolve('tsx'), '--expose-gc', ...extraExecArgv],
    env: { ...process.env, [CHILD_MARK]: '1' },
    // guacamole-lite logs every connection to stdout unconditionally; everything else goes over IPC.
    // stderr is kept (its tail) to say why a child died, and shown when the child exits abnormally.
    stdio: ['ignore', 'ignore', 'pipe', 'ipc'],
  });
  let stderr = '';
  child.stderr?.on('data', (chunk: Buffer) => {
    stderr = (stderr + chunk.toString()).slice(-8192);
  });
  let failure: string | undefined;
  const waiting = new Map<number, (reply: ChildReply) => void>();
  let nextId = 1;
  child.on('error', () => undefined);
  child.once('exit', (code, signal) => {
    if (code !== 0 && signal !== 'SIGKILL') {
      const lines = stderr.split('\n');
      const line = lines.find((l) => /^\w*Error\b/.test(l)) ?? lines.find((l) => l.trim() !== '');
      failure = line ?? `exit code ${code ?? signal ?? '?'}`;
    }
    for (const [id, answer] of waiting)
      answer({ id, error: `child exited: ${failure ?? 'normally'}` });
    waiting.clear();
  });
  const exited = new Promise<void>((resolve) =>
    child.once('exit', () => {
      resolve();
    }),
  );
  const port = await new Promise<number>((resolve, reject) => {
    const timer = setTimeout(() => {
      reject(new Error(`child ${args.join(' ')} did not start`));
    }, 30_000);
    child.once('exit', (code) => {
      reject(new Error(`child ${args.join(' ')} exited (${code})`));
    });
    child.on('message', (message: ChildReply | ChildListening) => {
      if ('listening' in message) {
        clearTimeout(timer);
        resolve(message.listening);
        return;
      }
      waiting.get(message.id)?.(message);
      waiting.delete(message.id);
    });
  });
  const request = (req: ChildRequest, timeoutMs = 30_000): Promise<ChildReply> =>
    new Promise((resolve, reject) => {
      if (!child.connected) {
        reject(new Error(`child ${args.join(' ')} is gone: ${failure ?? 'exited'}`));
        return;
      }
      const id = nextId++;
      const timer = setTimeout(() => {
        waiting.delete(id);
        reject(new Error(`child ${args.join(' ')}: ${req.op} timed out`));
      }, timeoutMs);
      waiting.set(id, (reply) => {
        clearTimeout(timer);
        if (reply.error === undefined) resolve(reply);
        else reject(new Error(reply.error));
      });
      child.send({ id, ...req });
    });
  return {
    port,
    request,
    failure: () => failure,
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ id: 0, op: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}

/**
 * Child side: reports the port, then answers requests until told to stop.
 * @param port the port the child's server listens on
 * @param answer computes a reply payload
 * @param stop cleans up before exit
 */
export function serveParent(
  port: number,
  answer: (request: ChildRequest) => Omit<ChildReply, 'id'>,
  stop: () => Promise<void>,
): void {
  const send = (message: ChildReply | ChildListening): void => {
    process.send?.(message);
  };
  process.on('message', (message: ChildRequest & { id: number }) => {
    if (message.op === 'stop') {
      void stop().finally(() => process.exit(0));
      return;
    }
    try {
      send({ id: message.id, ...answer(message) });
    } catch (error) {
      send({ id: message.id, error: error instanceof Error ? error.message : String(error) });
    }
  });
  // Exit with the parent, whatever happens to it.
  process.on('disconnect', () => process.exit(0));
  send({ listening: port });
}

/**
 * @param collect run a full GC first (the child runs with --expose-gc)
 * @returns the calling process's resource use
 */
export function ownStats(collect: boolean): ChildStats {
  const gc = (globalThis as { gc?: () => void }).gc;
  if (collect && gc) {
    gc();
    gc();
  }
  const cpu = process.cpuUsage();
  const memory = process.memoryUsage();
  return {
    cpuSeconds: (cpu.user + cpu.system) / 1e6,
    rss: memory.rss,
    maxRss: process.resourceUsage().maxRSS * 1024,
    heapUsed: memory.heapUsed,
    external: memory.external,
  };
}

/**
 * Starts watching this process's event loop and garbage collector.
 * @returns a function that reports what happened since the previous call, and resets
 */
export function watchLoop(): () => LoopStats {
  const delay = monitorEventLoopDelay({ resolution: 1 });
  delay.enable();
  let gc: number[] = [];
  new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) gc.push(entry.duration);
  }).observe({ entryTypes: ['gc'] });
  let elu = performance.eventLoopUtilization();
  return () => {
    const now = performance.eventLoopUtilization();
    const stats: LoopStats = {
      delayP50Ms: delay.percentile(50) / 1e6,
      delayP99Ms: delay.percentile(99) / 1e6,
      delayMaxMs: delay.max / 1e6,
      utilization: performance.eventLoopUtilization(now, elu).utilization,
      gcCount: gc.length,
      gcMs: gc.reduce((a, b) => a + b, 0),
      gcMaxMs: Math.max(0, ...gc),
    };
    elu = now;
    gc = [];
    delay.reset();
    return stats;
  };
}
