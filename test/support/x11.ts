/**
 * @module The X11 pieces every real-VNC-peer harness starts (tests and bench/proxy): Xvfb with its root
 * window painted by xsetroot, x11vnc sharing it on loopback, and the child-process plumbing they need —
 * waiting for a line of output, and stopping a child (SIGTERM, then SIGKILL after 2 s). Output is
 * drained after the wait so that a chatty child never blocks on a full pipe.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { freePort } from './free-port.js';

/**
 * Waits for `pattern` in a child's stdout or stderr.
 * @param child the child
 * @param pattern what to wait for
 * @param ms how long to wait at most
 * @returns the pattern's group 1, or the whole match
 * @throws {Error} when the child exits first or `ms` passes
 */
export function waitForOutput(child: ChildProcess, pattern: RegExp, ms: number): Promise<string> {
  return new Promise((resolve, reject) => {
    let text = '';
    const done = (): void => {
      clearTimeout(timer);
      child.stdout?.off('data', onData);
      child.stderr?.off('data', onData);
      child.off('exit', onExit);
      child.stdout?.resume();
      child.stderr?.resume();
    };
    const timer = setTimeout(() => {
      done();
      reject(new Error(`timed out waiting for ${String(pattern)}; output: ${text.slice(-2000)}`));
    }, ms);
    const onData = (chunk: Buffer): void => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) {
        done();
        resolve(match[1] ?? match[0]);
      }
    };
    const onExit = (code: number | null): void => {
      done();
      reject(new Error(`exited with ${String(code)}: ${text.slice(-2000)}`));
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', onExit);
  });
}

/**
 * Stops a child: SIGTERM, then SIGKILL if it is still there after 2 s (x11vnc may ignore SIGTERM while
 * talking to X).
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

/** A running Xvfb. */
export interface Xvfb {
  /** The display, such as `:3`. */
  readonly display: string;
  readonly child: ChildProcess;
}

/**
 * Starts Xvfb on a free display (`-displayfd`), 24-bit, no TCP, kept alive across client resets.
 * @param width screen width
 * @param height screen height
 * @param colour when given, the xsetroot colour the root window is painted, such as `#123456`
 * @returns the server; stop it with {@link stopChild}
 */
export async function startXvfb(width: number, height: number, colour?: string): Promise<Xvfb> {
  const child = spawn('Xvfb', [
    ...['-displayfd', '1', '-screen', '0', `${width}x${height}x24`],
    ...['-nolisten', 'tcp', '-noreset'],
  ]);
  try {
    const display = `:${await waitForOutput(child, /^(\d+)\n/m, 10_000)}`;
    if (colour !== undefined) {
      const paint = spawnSync('xsetroot', ['-display', display, '-solid', colour]);
      if (paint.status !== 0) throw new Error(`xsetroot failed: ${paint.stderr.toString()}`);
    }
    return { display, child };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}

/** A running x11vnc. */
export interface X11vncServer {
  /** Its port on 127.0.0.1. */
  readonly port: number;
  readonly child: ChildProcess;
}

/**
 * Starts x11vnc on `display`, listening on a free loopback port, and waits until it accepts clients.
 * @param display the X display
 * @param flags access and behaviour flags, e.g. `['-nopw', '-forever', '-shared']`
 * @param env extra environment
 * @returns the server; stop it with {@link stopChild}
 */
export async function startX11vnc(
  display: string,
  flags: readonly string[],
  env: Readonly<Record<string, string>> = {},
): Promise<X11vncServer> {
  const port = await freePort();
  const child = spawn(
    'x11vnc',
    ['-display', display, '-localhost', '-rfbport', String(port), ...flags],
    { env: { ...process.env, ...env } },
  );
  try {
    await waitForOutput(child, /PORT=(\d+)/, 20_000);
    return { port, child };
  } catch (error) {
    await stopChild(child);
    throw error;
  }
}
