/**
 * @module The X display of the xrdp session (xorgxrdp's Xorg, started by sesman at the first login)
 * as seen from the test, which runs as root with the test user's ~/.Xauthority: reading and owning
 * the CLIPBOARD selection with xclip (xrdp-chansrv bridges it to RDP's cliprdr channel) and the root
 * window's size with xwininfo. Waits are bounded polls of that external state, never fixed sleeps.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import path from 'node:path';
import { XRDP_USER } from '../support/xrdp.js';
import { stopChild } from '../support/x11.js';

/** The commands this module runs in the session, besides test/support/xrdp.ts's peers. */
export const SESSION_PEERS = ['xclip', 'xwininfo'] as const;

/** How often a bounded poll looks again. */
const POLL_MS = 100;

/** The session's X display. */
export interface RdpXSession {
  /** The display, e.g. `:10`. */
  readonly display: string;
  /** @returns the CLIPBOARD selection's text, or '' when nobody owns it (or its owner is slow) */
  readClipboard(): string;
  /**
   * Makes an xclip in the session own the CLIPBOARD with `text` until {@link stop}.
   * @param text UTF-8 text
   */
  ownClipboard(text: string): void;
  /** @returns the root window's size, from xwininfo */
  rootSize(): [number, number];
  /** Stops the xclip owners this object started. */
  stop(): Promise<void>;
}

/**
 * Polls `probe` until it returns a value, every {@link POLL_MS}; fails after `ms`.
 * @param what what is awaited, for the error
 * @param probe undefined while not there yet
 * @param ms the deadline
 * @returns the probe's value
 */
export async function pollFor<T>(what: string, probe: () => T | undefined, ms: number): Promise<T> {
  const deadline = Date.now() + ms;
  for (;;) {
    const value = probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`${what} did not happen within ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** @returns the display of the test user's newest xorgxrdp Xorg (an older one may be exiting) */
function sessionDisplay(): string | undefined {
  const args = ['-u', XRDP_USER, '-o', 'args=', '--sort=-start_time'];
  const ps = spawnSync('ps', args, { encoding: 'utf8' });
  const line = ps.stdout.split('\n').find((command) => /\bXorg :\d+\b/.test(command));
  return line === undefined ? undefined : /\bXorg (:\d+)\b/.exec(line)?.[1];
}

/**
 * Finds the session's display once sesman has started its Xorg.
 * @param home the test user's home (its ~/.Xauthority admits us)
 * @param ms how long the session may take to appear
 * @returns the session
 */
export async function findRdpXSession(home: string, ms: number): Promise<RdpXSession> {
  const display = await pollFor('the xrdp session (Xorg of the test user)', sessionDisplay, ms);
  const env = { ...process.env, DISPLAY: display, XAUTHORITY: path.join(home, '.Xauthority') };
  const owners: ChildProcess[] = [];
  return {
    display,
    readClipboard() {
      const args = ['-o', '-selection', 'clipboard'];
      const result = spawnSync('xclip', args, { env, timeout: 5000 });
      return result.status === 0 ? result.stdout.toString('utf8') : '';
    },
    ownClipboard(text) {
      // -quiet keeps xclip in the foreground, so that it is our child and stops with us.
      const owner = spawn('xclip', ['-i', '-selection', 'clipboard', '-quiet'], {
        env,
        stdio: ['pipe', 'ignore', 'ignore'],
      });
      owner.on('error', () => undefined);
      owner.stdin.end(text);
      owners.push(owner);
    },
    rootSize() {
      const info = spawnSync('xwininfo', ['-root'], { env, encoding: 'utf8', timeout: 5000 });
      const width = /Width: (\d+)/.exec(info.stdout)?.[1];
      const height = /Height: (\d+)/.exec(info.stdout)?.[1];
      if (width === undefined || height === undefined) {
        throw new Error(`xwininfo -root on ${display} failed: ${info.stderr}`);
      }
      return [Number(width), Number(height)];
    },
    stop: async () => {
      for (const owner of owners) await stopChild(owner);
    },
  };
}
