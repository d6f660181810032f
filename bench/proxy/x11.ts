/**
 * @module bench/proxy/x11: the desktop the proxy benchmark draws on: Xvfb 1920×1080×24 with a solid
 * root window, served by x11vnc on loopback, and the X clients the workloads run (xterm, xdotool).
 * x11vnc runs with its defaults apart from access: `-scrollcopyrect always` (CopyRect for scrolls it
 * sees through the RECORD extension), `-wireframe` (only for window-manager drags; there is no window
 * manager here) and no `-ncache`, which is what guacd users get from a plain `x11vnc`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { startX11vnc, startXvfb, stopChild } from '../../test/support/x11.js';

export { stopChild };

/** The Debian commands the benchmark needs (scripts/install-test-peers.sh installs them). */
export const BENCH_PEERS = ['Xvfb', 'x11vnc', 'xsetroot', 'xterm', 'xdotool'] as const;

/** The x11vnc flags used, besides `-display` and `-rfbport`. */
export const X11VNC_FLAGS = ['-localhost', '-nopw', '-forever', '-shared'] as const;

/** @returns the peer commands not found on PATH */
export function missingBenchPeers(): string[] {
  return BENCH_PEERS.filter((cmd) => spawnSync('which', [cmd]).status !== 0);
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
  const xvfb = await startXvfb(1920, 1080, ROOT_COLOUR);
  try {
    const flags = X11VNC_FLAGS.filter((flag) => flag !== '-localhost');
    const vnc = await startX11vnc(xvfb.display, flags);
    const stop = async (): Promise<void> => {
      await stopChild(vnc.child);
      await stopChild(xvfb.child);
    };
    return { display: xvfb.display, port: vnc.port, vncPid: vnc.child.pid ?? 0, stop };
  } catch (error) {
    await stopChild(xvfb.child);
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
