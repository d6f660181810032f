/**
 * @module bench/proxy/x11: the desktop the proxy benchmark draws on: Xvfb 1920×1080×24 with a solid
 * root window, served by x11vnc on loopback, and the X clients the workloads run (xterm, xdotool).
 * x11vnc runs with its defaults apart from access: `-scrollcopyrect always` (CopyRect for scrolls it
 * sees through the RECORD extension), `-wireframe` (only for window-manager drags; there is no window
 * manager here) and no `-ncache`, which is what guacd users get from a plain `x11vnc`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { readFileSync } from 'node:fs';
import net from 'node:net';

/** The Debian commands the benchmark needs (scripts/install-test-peers.sh installs them). */
export const BENCH_PEERS = ['Xvfb', 'x11vnc', 'xsetroot', 'xterm', 'xdotool'] as const;

/** The x11vnc flags used, besides `-display` and `-rfbport`. */
export const X11VNC_FLAGS = ['-localhost', '-nopw', '-forever', '-shared'] as const;

/** @returns the peer commands not found on PATH */
export function missingBenchPeers(): string[] {
  return BENCH_PEERS.filter((cmd) => spawnSync('which', [cmd]).status !== 0);
}

/** Reads a child's output until `pattern` matches (group 1 or the match), or fails after `ms`. */
async function waitForOutput(child: ChildProcess, pattern: RegExp, ms: number): Promise<string> {
  return await new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      reject(new Error(`timed out waiting for ${String(pattern)}; output: ${text.slice(-2000)}`));
    }, ms);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) {
        clearTimeout(timer);
        child.stdout?.off('data', onData);
        child.stderr?.off('data', onData);
        // Keep draining so that a chatty child never blocks on a full pipe.
        child.stdout?.resume();
        child.stderr?.resume();
        resolve(match[1] ?? match[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${String(code)}: ${text.slice(-2000)}`));
    });
  });
}

/**
 * Stops a child: SIGTERM, then SIGKILL after 2 s.
 * @param child the child
 */
export async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
  await exited;
  clearTimeout(timer);
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A running Xvfb + x11vnc pair. */
export interface Desktop {
  /** The X display, e.g. `:99`. */
  readonly display: string;
  /** x11vnc's port on 127.0.0.1. */
  readonly port: number;
  /** x11vnc's process ID (for its CPU time). */
  readonly vncPid: number;
  /** Stops x11vnc, then Xvfb. */
  stop(): Promise<void>;
}

/** The root window's colour (the background a dragged window uncovers). */
export const ROOT_COLOUR = '#3a6ea5';

/**
 * Starts Xvfb 1920×1080×24 with a solid root and x11vnc on loopback.
 * @returns the running desktop
 */
export async function startDesktop(): Promise<Desktop> {
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await stopChild(child);
  };
  try {
    const xvfb = spawn('Xvfb', [
      '-displayfd',
      '1',
      '-screen',
      '0',
      '1920x1080x24',
      '-nolisten',
      'tcp',
      '-noreset',
    ]);
    children.push(xvfb);
    const display = `:${await waitForOutput(xvfb, /^(\d+)\n/m, 10_000)}`;
    const paint = spawnSync('xsetroot', ['-display', display, '-solid', ROOT_COLOUR]);
    if (paint.status !== 0) throw new Error(`xsetroot failed: ${paint.stderr.toString()}`);
    const port = await freePort();
    const vnc = spawn('x11vnc', ['-display', display, '-rfbport', String(port), ...X11VNC_FLAGS]);
    children.push(vnc);
    await waitForOutput(vnc, /PORT=(\d+)/, 20_000);
    return { display, port, vncPid: vnc.pid ?? 0, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Runs an X client on the desktop.
 * @param desktop the desktop
 * @param command the command
 * @param args its arguments
 * @returns the child process
 */
export function runX(desktop: Desktop, command: string, args: readonly string[]): ChildProcess {
  const child = spawn(command, [...args], {
    env: { ...process.env, DISPLAY: desktop.display },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  child.stdout.resume();
  child.stderr.resume();
  child.on('error', () => undefined);
  return child;
}

/**
 * Runs xdotool once and waits for it.
 * @param desktop the desktop
 * @param args xdotool's arguments
 * @returns its standard output, trimmed
 */
export function xdotool(desktop: Desktop, args: readonly string[]): string {
  const result = spawnSync('xdotool', [...args], {
    env: { ...process.env, DISPLAY: desktop.display },
  });
  if (result.status !== 0) {
    throw new Error(`xdotool ${args.join(' ')} failed: ${result.stderr.toString()}`);
  }
  return result.stdout.toString().trim();
}

/**
 * Waits until a window with the given title is mapped.
 * @param desktop the desktop
 * @param title the exact window name
 * @returns its window ID
 */
export async function waitForWindow(desktop: Desktop, title: string): Promise<string> {
  for (let attempt = 0; attempt < 100; attempt++) {
    const found = spawnSync('xdotool', ['search', '--onlyvisible', '--name', `^${title}$`], {
      env: { ...process.env, DISPLAY: desktop.display },
    });
    const id = found.stdout.toString().trim().split('\n')[0] ?? '';
    if (found.status === 0 && id !== '') return id;
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  throw new Error(`window "${title}" never appeared`);
}

/**
 * CPU seconds a process has used so far (user + system, from /proc).
 * @param pid the process ID
 * @returns the seconds, or 0 when it cannot be read
 */
export function processCpuSeconds(pid: number): number {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    const ticks = Number(fields[11]) + Number(fields[12]);
    return Number.isFinite(ticks) ? ticks / 100 : 0;
  } catch {
    return 0;
  }
}
