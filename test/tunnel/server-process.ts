/**
 * @module A TunnelServer in a child process, so memory can be measured for the server alone: the client and
 * the fake guacd stay in the test process with their own garbage. Run as a script, it serves the guacd
 * named on its command line and answers `memory` and `close` over IPC; imported, it starts such a process.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';
import type { MemorySample } from './pressure.js';
import { TunnelServer, type GuacdTarget } from './support.js';

/** The child as the test sees it. */
export interface ServerProcess {
  readonly port: number;
  /** @returns the child's current memory */
  memory(): Promise<MemorySample>;
  /** Closes the server and waits for the process to exit. */
  close(): Promise<void>;
}

type Reply = { readonly port: number } | { readonly memory: MemorySample };

async function reply(child: ChildProcess): Promise<Reply> {
  const [message] = (await once(child, 'message')) as [Reply];
  return message;
}

/**
 * Starts the server process.
 * @param guacd where its tunnels connect
 * @returns the running process
 */
export async function startServerProcess(guacd: GuacdTarget): Promise<ServerProcess> {
  const file = fileURLToPath(import.meta.url);
  const child = spawn(process.execPath, ['--import', 'tsx', file, guacd.host, String(guacd.port)], {
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const first = await reply(child);
  if (!('port' in first)) throw new Error('The server process did not report its port.');
  return {
    port: first.port,
    async memory() {
      child.send('memory');
      const answer = await reply(child);
      if (!('memory' in answer)) throw new Error('Unexpected reply.');
      return answer.memory;
    },
    async close() {
      const exited = once(child, 'exit');
      child.send('close');
      await exited;
    },
  };
}

async function serve(host: string, port: number): Promise<void> {
  const server = await TunnelServer.start({ guacd: { host, port } });
  process.send?.({ port: server.port });
  process.on('message', (message) => {
    if (message === 'memory') {
      const { rss, arrayBuffers } = process.memoryUsage();
      process.send?.({ memory: { rss, arrayBuffers } });
    } else if (message === 'close') {
      void server.close().finally(() => {
        process.disconnect();
      });
    }
  });
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const [host = '127.0.0.1', port = '0'] = process.argv.slice(2);
  await serve(host, Number(port));
}
