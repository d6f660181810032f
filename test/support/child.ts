/**
 * @module Starting the server as a child process (`GUACAMOLE_HOME=<dir> node src/main.ts`), with helpers that
 * wait for output lines and for exit — events only, no sleeps.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** A running server process and what it printed. */
export interface ServerProcess {
  readonly child: ChildProcess;
  stdout: string;
  stderr: string;
  /** Resolves when stdout contains `text` (rejects if the process exits first). */
  waitForOutput(text: string): Promise<void>;
  /** Resolves with the exit code. */
  exited: Promise<number | null>;
}

/**
 * Starts `src/main.ts` with tsx.
 * @param env extra environment (GUACAMOLE_HOME at least)
 * @returns the process handle
 */
export function startServer(env: Record<string, string>): ServerProcess {
  const child = spawn(process.execPath, ['--import', 'tsx', 'src/main.ts'], {
    cwd: ROOT,
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const proc: ServerProcess = {
    child,
    stdout: '',
    stderr: '',
    exited: once(child, 'exit').then(([code]) => code as number | null),
    waitForOutput: (text) =>
      new Promise((resolve, reject) => {
        const check = (): void => {
          if (proc.stdout.includes(text)) {
            child.stdout.off('data', check);
            child.off('exit', onExit);
            resolve();
          }
        };
        const onExit = (): void => {
          child.stdout.off('data', check);
          reject(new Error(`Exited before printing "${text}". stderr:\n${proc.stderr}`));
        };
        child.stdout.on('data', check);
        child.once('exit', onExit);
        check();
      }),
  };
  child.stdout.on('data', (chunk: Buffer) => {
    proc.stdout += chunk.toString();
  });
  child.stderr.on('data', (chunk: Buffer) => {
    proc.stderr += chunk.toString();
  });
  return proc;
}
