/**
 * @module bench/proxy/ipc: starts the proxy child (bench/proxy/child.ts) with `fork` and asks it for
 * its CPU time and event-loop delay over numbered request/reply messages (the protocol of
 * bench/tunnel/ipc.ts, whose child side this reuses).
 */
import { fork } from 'node:child_process';
import { once } from 'node:events';
import { join } from 'node:path';
import type { ChildListening, ChildReply, ChildRequest } from '../tunnel/ipc.js';

/** The running proxy child. */
export interface ProxyChild {
  /** The proxy's TCP port on 127.0.0.1. */
  readonly port: number;
  /** Sends a request and waits for its reply. */
  request(request: ChildRequest): Promise<ChildReply>;
  /** Asks the child to exit (writing a `--cpu-prof` profile if asked for) and waits. */
  stop(): Promise<void>;
}

/**
 * Starts the proxy in a child process.
 * @param cpuProfDir when set, the child writes a `--cpu-prof` profile there on exit
 * @param role `proxy`, or `null` for a process that only watches its own idle event loop
 * @returns the child once it listens
 */
export async function startProxyChild(
  cpuProfDir?: string,
  role: 'proxy' | 'null' = 'proxy',
): Promise<ProxyChild> {
  const profile = cpuProfDir === undefined ? [] : ['--cpu-prof', '--cpu-prof-dir', cpuProfDir];
  const child = fork(join(import.meta.dirname, 'child.ts'), [role], {
    // BENCH_PROXY_NODE_FLAGS: more node flags for the proxy (e.g. `--trace-gc`).
    execArgv: [
      '--import',
      import.meta.resolve('tsx'),
      ...profile,
      ...(process.env.BENCH_PROXY_NODE_FLAGS ?? '').split(' ').filter((flag) => flag !== ''),
    ],
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const waiting = new Map<number, (reply: ChildReply) => void>();
  let nextId = 1;
  const exited = once(child, 'exit');
  const port = await new Promise<number>((resolve, reject) => {
    child.once('exit', (code) => {
      reject(new Error(`the proxy child exited (${String(code)})`));
      for (const answer of waiting.values()) answer({ id: 0, error: 'the proxy child exited' });
    });
    child.on('message', (message: ChildReply | ChildListening) => {
      if ('listening' in message) resolve(message.listening);
      else {
        waiting.get(message.id)?.(message);
        waiting.delete(message.id);
      }
    });
  });
  return {
    port,
    request: (request) =>
      new Promise((resolve, reject) => {
        const id = nextId++;
        waiting.set(id, (reply) => {
          if (reply.error === undefined) resolve(reply);
          else reject(new Error(reply.error));
        });
        child.send({ id, ...request });
      }),
    async stop() {
      if (child.exitCode !== null || child.signalCode !== null) return;
      child.send({ id: 0, op: 'stop' });
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await exited;
      clearTimeout(timer);
    },
  };
}
