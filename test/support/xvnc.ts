/**
 * @module TigerVNC's Xvnc as a real VNC peer for tests: an X server with a built-in VNC server, started
 * on loopback with VNC Authentication (`vncpasswd -f` writes the `-rfbauth` file) and/or VeNCrypt with
 * a throwaway self-signed certificate from openssl (CN and subjectAltName localhost / 127.0.0.1).
 * Helpers paint the root window (xsetroot), dump it (xwd) and read or own the CLIPBOARD (xclip).
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { freePort } from './free-port.js';
import { stopChild } from './x11.js';

/** The commands the Xvnc tests need. */
export const XVNC_PEERS = ['Xvnc', 'vncpasswd', 'xsetroot', 'xwd', 'xclip', 'openssl'] as const;

/** @returns the peer commands not found on PATH */
export function missingXvncPeers(): string[] {
  return XVNC_PEERS.filter((cmd) => spawnSync('which', [cmd]).status !== 0);
}

/** How Xvnc is started. */
export interface XvncOptions {
  readonly width: number;
  readonly height: number;
  /** Xvnc's -SecurityTypes, such as `VncAuth` or `VeNCrypt,TLSVnc,X509Vnc`. */
  readonly securityTypes: string;
  /** The VNC password (for VncAuth and *Vnc sub-types). */
  readonly password: string;
}

/** A running Xvnc. */
export interface Xvnc {
  /** The VNC port on 127.0.0.1. */
  readonly port: number;
  /** The X display, such as `:5`. */
  readonly display: string;
  /** The self-signed certificate Xvnc presents to X509 sub-types (PEM). */
  readonly certificate: string;
  /** Runs an X client against the display and returns its stdout; throws on failure. */
  x(command: string, args: readonly string[], input?: string): Buffer;
  /** Reads the CLIPBOARD as UTF-8 with xclip, without blocking the event loop (Xvnc may have to ask
   * a VNC client in this process for the text). */
  readClipboard(): Promise<string>;
  /** Starts `xclip -quiet -i` owning the CLIPBOARD with `text`; stop it with the returned function. */
  ownClipboard(text: string): Promise<() => Promise<void>>;
  /** Stops Xvnc and removes its files. */
  stop(): Promise<void>;
}

/** Resolves with the display number Xvnc writes to `-displayfd 1`, or rejects if it exits first. */
async function displayNumber(child: ChildProcess): Promise<string> {
  return await new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    child.stderr?.on('data', (chunk: Buffer) => (err += chunk.toString()));
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      const match = /^(\d+)\n/m.exec(out);
      if (match?.[1] !== undefined) resolve(match[1]);
    });
    child.once('exit', (code) => {
      reject(new Error(`Xvnc exited with ${String(code)}: ${err}`));
    });
  });
}

/**
 * Starts Xvnc.
 * @param options size, security types and password
 * @returns the running server
 */
export async function startXvnc(options: XvncOptions): Promise<Xvnc> {
  const dir = mkdtempSync(join(tmpdir(), 'xvnc-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    for (const child of children.reverse()) await stopChild(child);
    rmSync(dir, { recursive: true, force: true });
  };
  try {
    const passwd = spawnSync('vncpasswd', ['-f'], { input: `${options.password}\n` });
    if (passwd.status !== 0) throw new Error(`vncpasswd failed: ${passwd.stderr.toString()}`);
    writeFileSync(join(dir, 'passwd'), passwd.stdout, { mode: 0o600 });
    const cert = join(dir, 'cert.pem');
    const key = join(dir, 'key.pem');
    const ssl = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', key, '-out', cert,
      '-subj', '/CN=localhost', '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-days', '2',
    ]); // prettier-ignore
    if (ssl.status !== 0) throw new Error(`openssl failed: ${ssl.stderr.toString()}`);
    const port = await freePort();
    const xvnc = spawn('Xvnc', [
      '-displayfd', '1', '-geometry', `${options.width}x${options.height}`, '-depth', '24',
      '-rfbport', String(port), '-localhost', '-nolisten', 'tcp', '-SecurityTypes', options.securityTypes,
      '-rfbauth', join(dir, 'passwd'), '-X509Cert', cert, '-X509Key', key, '-AlwaysShared',
    ]); // prettier-ignore
    children.push(xvnc);
    const display = `:${await displayNumber(xvnc)}`;
    const x = (command: string, args: readonly string[], input?: string): Buffer => {
      const result = spawnSync(command, ['-display', display, ...args], {
        ...(input === undefined ? {} : { input }),
        maxBuffer: 64 << 20,
      });
      if (result.status !== 0) throw new Error(`${command} failed: ${result.stderr.toString()}`);
      return result.stdout;
    };
    const ownClipboard = async (text: string) => {
      const xclip = spawn('xclip', [
        '-display',
        display,
        '-quiet',
        '-i',
        '-selection',
        'clipboard',
      ]);
      children.push(xclip);
      xclip.stdin.end(text);
      // With -quiet xclip reports on stderr once it owns the selection and waits for requests.
      await new Promise<void>((resolve, reject) => {
        xclip.stderr.on('data', () => {
          resolve();
        });
        xclip.once('exit', (code) => {
          reject(new Error(`xclip exited with ${String(code)}`));
        });
      });
      return async () => {
        await stopChild(xclip);
      };
    };
    const readClipboard = async () => {
      const args = ['-display', display, '-o', '-selection', 'clipboard', '-t', 'UTF8_STRING'];
      const xclip = spawn('xclip', args);
      const out: Buffer[] = [];
      let err = '';
      xclip.stdout.on('data', (chunk: Buffer) => out.push(chunk));
      xclip.stderr.on('data', (chunk: Buffer) => (err += chunk.toString()));
      const [code] = (await once(xclip, 'close')) as [number | null];
      if (code !== 0) throw new Error(`xclip -o failed: ${err}`);
      return Buffer.concat(out).toString('utf8');
    };
    const certificate = readFileSync(cert, 'utf8');
    return { port, display, certificate, x, readClipboard, ownClipboard, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

/** An xwd dump as 0xRRGGBB values, row by row. */
export interface XwdImage {
  readonly width: number;
  readonly height: number;
  readonly pixels: Uint32Array;
}

/**
 * Parses a ZPixmap xwd dump of a 24-bit TrueColor window (32 bits per pixel).
 * @param dump xwd's output
 * @returns the pixels
 */
export function parseXwd(dump: Buffer): XwdImage {
  const field = (index: number) => dump.readUInt32BE(index * 4);
  const [headerSize, width, height, byteOrder] = [field(0), field(4), field(5), field(7)];
  const [bitsPerPixel, bytesPerLine, colours] = [field(11), field(12), field(19)];
  const masks = [field(14), field(15), field(16)];
  if (bitsPerPixel !== 32 || masks.join() !== [0xff0000, 0xff00, 0xff].join()) {
    throw new Error(`unexpected xwd format: ${bitsPerPixel} bpp, masks ${masks.join(',')}`);
  }
  const data = headerSize + colours * 12;
  const pixels = new Uint32Array(width * height);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const at = data + y * bytesPerLine + x * 4;
      const value = byteOrder === 0 ? dump.readUInt32LE(at) : dump.readUInt32BE(at);
      pixels[y * width + x] = value & 0xffffff;
    }
  }
  return { width, height, pixels };
}
