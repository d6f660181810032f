/**
 * @module Real VNC peers for tests: Xvfb with its root window painted by xsetroot, served by
 * x11vnc on loopback (`-noreset` keeps Xvfb alive when x11vnc disconnects).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';

/** The commands the real-peer test needs. */
export const PEERS = ['Xvfb', 'x11vnc', 'xsetroot'] as const;

/** @returns the peer commands not found on PATH */
export function missingPeers(): string[] {
  return PEERS.filter((cmd) => spawnSync('which', [cmd]).status !== 0);
}

/** Reads a child's stdout/stderr until `pattern` matches (group 1 or the match), or fails after `ms`. */
async function waitForOutput(child: ChildProcess, pattern: RegExp, ms: number): Promise<string> {
  return await new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      reject(new Error(`timed out waiting for ${String(pattern)}; output: ${text}`));
    }, ms);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? match[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${String(code)}: ${text}`));
    });
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

/** A running Xvfb + x11vnc pair. */
export interface X11Vnc {
  /** x11vnc's port on 127.0.0.1. */
  readonly port: number;
  /** The Xvfb display, such as `:3`, for X clients (xsetroot, xwd). */
  readonly display: string;
  /** Stops x11vnc, then Xvfb. */
  stop(): Promise<void>;
}

/**
 * Starts Xvfb at `width`×`height`, paints the root window `colour`, and serves it with x11vnc.
 * @param width screen width
 * @param height screen height
 * @param colour an xsetroot colour such as `#123456`
 * @returns the running peers
 */
export async function startX11Vnc(width: number, height: number, colour: string): Promise<X11Vnc> {
  const children: ChildProcess[] = [];
  const stop = async () => {
    // x11vnc may ignore SIGTERM while talking to X, so SIGKILL follows.
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
  };
  try {
    const screen = `${width}x${height}x24`;
    const xvfb = spawn('Xvfb', [
      '-displayfd',
      '1',
      '-screen',
      '0',
      screen,
      '-nolisten',
      'tcp',
      '-noreset',
    ]);
    children.push(xvfb);
    const display = `:${await waitForOutput(xvfb, /^(\d+)\n/m, 10_000)}`;
    const paint = spawnSync('xsetroot', ['-display', display, '-solid', colour]);
    if (paint.status !== 0) throw new Error(`xsetroot failed: ${paint.stderr.toString()}`);
    const port = await freePort();
    const args = ['-display', display, '-localhost', '-rfbport', String(port), '-nopw', '-forever'];
    const vnc = spawn('x11vnc', [...args, '-shared']);
    children.push(vnc);
    await waitForOutput(vnc, /PORT=(\d+)/, 20_000);
    return { port, display, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
