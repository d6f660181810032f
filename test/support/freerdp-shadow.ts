/**
 * @module FreeRDP's shadow server as a real NLA peer for tests: an Xvfb display painted with xsetroot,
 * shared by `freerdp-shadow-cli` on a free loopback port with `/sec:nla` and a SAM file holding one
 * user's NT hash (MD4 of the UTF-16LE password, from our own MD4), so that CredSSP/NTLMv2 is checked by
 * winpr. HOME is a temp dir, where the server writes the TLS certificate it generates for itself.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { md4 } from '../../src/proxy/rdp/nla/md4.js';
import { freePort } from './free-port.js';

/** The commands the shadow-server tests need. */
export const SHADOW_PEERS = ['freerdp-shadow-cli', 'Xvfb', 'xsetroot'] as const;

/** The account in the SAM file. */
export const SHADOW_USER = 'guacnla';
export const SHADOW_DOMAIN = 'GUACDOM';
export const SHADOW_PASSWORD = 'Nla-Pässw0rd';

/** @returns the peer commands not found on PATH */
export function missingShadowPeers(): string[] {
  return SHADOW_PEERS.filter((cmd) => spawnSync('which', [cmd]).status !== 0);
}

/** A running shadow server. */
export interface ShadowServer {
  /** The RDP port on 127.0.0.1. */
  readonly port: number;
  /** Stops the server and Xvfb and removes the temp dir. */
  stop(): Promise<void>;
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/** Resolves with the display number Xvfb writes to `-displayfd 1`, or rejects if it exits first. */
async function displayNumber(child: ChildProcess): Promise<string> {
  return await new Promise((resolve, reject) => {
    let out = '';
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^(\d+)\n/m.exec(out);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once('exit', (code) => {
      reject(new Error(`Xvfb exited with ${String(code)}`));
    });
  });
}

/** @returns whether something accepts TCP connections on 127.0.0.1:`port` */
async function listening(port: number): Promise<boolean> {
  return await new Promise<boolean>((resolve) => {
    const socket = net.connect({ host: '127.0.0.1', port }, () => {
      socket.destroy();
      resolve(true);
    });
    socket.on('error', () => {
      resolve(false);
    });
  });
}

/**
 * Resolves once the server listens. The shadow server prints nothing when it is ready, so its port is
 * probed (as test/support/xrdp.ts does for xrdp).
 */
async function waitForListener(port: number, child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null)
      throw new Error(`freerdp-shadow-cli exited with ${child.exitCode}`);
    if (await listening(port)) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/**
 * Starts Xvfb painted `colour` and the shadow server requiring NLA.
 * @param colour the root window colour, e.g. `#33cc66`
 * @returns the running server
 */
export async function startShadowServer(colour: string): Promise<ShadowServer> {
  const dir = mkdtempSync(join(tmpdir(), 'freerdp-shadow-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const ntHash = md4(Buffer.from(SHADOW_PASSWORD, 'utf16le')).toString('hex');
    writeFileSync(join(dir, 'sam'), `${SHADOW_USER}:${SHADOW_DOMAIN}::${ntHash}:::\n`);
    // -noreset: otherwise the server resets (and forgets the colour) when xsetroot disconnects.
    const xvfb = spawn('Xvfb', [
      '-displayfd',
      '1',
      '-screen',
      '0',
      '640x480x24',
      '-nolisten',
      'tcp',
      '-noreset',
    ]);
    children.push(xvfb);
    const display = `:${await displayNumber(xvfb)}`;
    const paint = spawnSync('xsetroot', ['-display', display, '-solid', colour]);
    if (paint.status !== 0) throw new Error(`xsetroot failed: ${paint.stderr.toString()}`);
    const port = await freePort();
    const shadow = spawn(
      'freerdp-shadow-cli',
      [`/port:${port}`, '/bind-address:127.0.0.1', '/sec:nla', `/sam-file:${join(dir, 'sam')}`],
      { env: { ...process.env, HOME: dir, DISPLAY: display }, stdio: 'ignore' },
    );
    children.push(shadow);
    await waitForListener(port, shadow, 15_000);
    return { port, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}
