/**
 * @module Real VNC peers for tests: Xvfb with its root window painted by xsetroot, served by
 * x11vnc on loopback (`-noreset` keeps Xvfb alive when x11vnc disconnects).
 */
import { spawnSync } from 'node:child_process';
import { startX11vnc, startXvfb, stopChild } from './x11.js';

/** The commands the real-peer test needs. */
export const PEERS = ['Xvfb', 'x11vnc', 'xsetroot'] as const;

/** @returns the peer commands not found on PATH */
export function missingPeers(): string[] {
  return PEERS.filter((cmd) => spawnSync('which', [cmd]).status !== 0);
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
  const xvfb = await startXvfb(width, height, colour);
  try {
    const vnc = await startX11vnc(xvfb.display, ['-nopw', '-forever', '-shared']);
    const stop = async (): Promise<void> => {
      await stopChild(vnc.child);
      await stopChild(xvfb.child);
    };
    return { port: vnc.port, display: xvfb.display, stop };
  } catch (error) {
    await stopChild(xvfb.child);
    throw error;
  }
}
