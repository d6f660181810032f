/**
 * @module A real X desktop for the bundled proxy's browser tests: Xvfb with its root window painted by
 * xsetroot, shared by x11vnc on loopback, plus helpers that run X clients on it (xterm, xclip) and
 * wait for files and selections — on events and deadlines, never fixed sleeps. Missing commands fail
 * under CI=true (scripts/install-test-peers.sh installs them).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { existsSync, readFileSync, watch } from 'node:fs';
import { dirname } from 'node:path';
import { startX11vnc, startXvfb, stopChild } from '../support/x11.js';

/** The commands the desktop needs. */
export const DESKTOP_PEERS = ['Xvfb', 'x11vnc', 'xsetroot', 'xterm', 'xclip', 'xprop'] as const;

/** @returns why the suite must skip (a command is missing, not in CI), or false to run it */
export function desktopSkip(): string | false {
  const missing = DESKTOP_PEERS.filter((cmd) => spawnSync('which', [cmd]).status !== 0);
  if (missing.length === 0 || process.env.CI === 'true') return false;
  return `missing ${missing.join(', ')}; run scripts/install-test-peers.sh as root`;
}

/** A running X desktop served over VNC. */
export interface Desktop {
  /** The X display, e.g. `:99`. */
  readonly display: string;
  /** x11vnc's port on 127.0.0.1. */
  readonly port: number;
  /**
   * Starts an X client on the display; it is stopped with the desktop.
   * @param command the program
   * @param args its arguments
   * @returns the child
   */
  run(command: string, args: readonly string[]): ChildProcess;
  /**
   * Reads an X selection with `xclip -o`.
   * @param selection `clipboard` or `primary`
   * @returns its text, or '' when it is empty
   */
  readSelection(selection: 'clipboard' | 'primary'): string;
  /**
   * Sets the root window's CUT_BUFFER0 with `xprop`, as X clients such as xterm do; x11vnc sends it
   * to its clients at once (selection changes wait until 15 s after the last client connected).
   * @param text Latin-1 text
   */
  setCutBuffer(text: string): void;
  /** x11vnc's recent output, for failure messages. */
  vncLog(): string;
  /** Stops every X client, x11vnc and Xvfb. */
  stop(): Promise<void>;
}

/**
 * Starts Xvfb at `width`×`height` with its root painted `colour`, and x11vnc sharing it (`-shared`, no
 * password, loopback only).
 * @param width screen width
 * @param height screen height
 * @param colour an xsetroot colour such as `#336699`
 * @returns the desktop
 */
export async function startDesktop(
  width: number,
  height: number,
  colour: string,
): Promise<Desktop> {
  const servers: ChildProcess[] = [];
  const clients: ChildProcess[] = [];
  const stop = async (): Promise<void> => {
    for (const child of [...clients.reverse(), ...servers.reverse()]) await stopChild(child);
  };
  try {
    const xvfb = await startXvfb(width, height, colour);
    servers.push(xvfb.child);
    const { display } = xvfb;
    // x11vnc creates its selection window only 45 s after a client connects unless told a display
    // manager cannot be in the way (xevents.c, guess_dm_gone); the clipboard needs that window.
    const started = await startX11vnc(display, ['-nopw', '-forever', '-shared'], {
      X11VNC_AVOID_WINDOWS: 'never',
    });
    const { port, child: vnc } = started;
    servers.push(vnc);
    // Keep reading what the servers print, or a full pipe would block them.
    let vncLog = '';
    for (const child of servers) {
      child.stdout?.on('data', () => undefined);
      child.stderr?.on('data', (chunk: Buffer) => {
        if (child === vnc) vncLog = (vncLog + chunk.toString()).slice(-100_000);
      });
    }
    const env = { ...process.env, DISPLAY: display };
    return {
      display,
      port,
      run(command, args) {
        const child = spawn(command, [...args], { env, stdio: ['pipe', 'ignore', 'ignore'] });
        child.on('error', () => undefined);
        clients.push(child);
        return child;
      },
      readSelection(selection) {
        const result = spawnSync('xclip', ['-o', '-selection', selection], { env, timeout: 5000 });
        return result.status === 0 ? result.stdout.toString('utf8') : '';
      },
      setCutBuffer(text) {
        const args = ['-root', '-format', 'CUT_BUFFER0', '8s', '-set', 'CUT_BUFFER0', text];
        const result = spawnSync('xprop', args, { env, timeout: 5000 });
        if (result.status !== 0) throw new Error(`xprop failed: ${result.stderr.toString()}`);
      },
      vncLog: () => vncLog,
      stop,
    };
  } catch (error) {
    await stop();
    throw error;
  }
}

/**
 * Waits until `file` exists with content, watching its folder; fails after `ms`.
 * @param file the path
 * @param ms the deadline
 * @returns the file's text
 */
export async function waitForFile(file: string, ms: number): Promise<string> {
  const read = (): string | undefined => {
    if (!existsSync(file)) return undefined;
    const text = readFileSync(file, 'utf8');
    return text === '' ? undefined : text;
  };
  const first = read();
  if (first !== undefined) return first;
  const watcher = watch(dirname(file));
  try {
    return await new Promise<string>((resolve, reject) => {
      const timer = setTimeout(() => {
        reject(new Error(`${file} did not appear within ${ms} ms`));
      }, ms);
      const check = (): void => {
        const text = read();
        if (text === undefined) return;
        clearTimeout(timer);
        resolve(text);
      };
      watcher.on('change', check);
      // The file may have appeared between the first read and the watch.
      check();
      watcher.on('error', (error) => {
        clearTimeout(timer);
        reject(error);
      });
    });
  } finally {
    watcher.close();
  }
}
