/**
 * @module Test harness: connects a VncClient to a FakeVncServer over TCP and records what it emits.
 */
import net from 'node:net';
import zlib from 'node:zlib';
import type { GuacamoleError } from '../../../src/protocol/index.js';
import { VncClient, type VncClientOptions } from '../../../src/proxy/vnc/index.js';
import {
  acceptNone38,
  FakeVncServer,
  type FakeVncConnection,
  type FakeVncOptions,
} from '../../fakes/fake-vnc-server.js';

const NAMES = [
  'ready',
  'update',
  'copy',
  'resize',
  'cursor',
  'clipboard',
  'bell',
  'frameEnd',
  'image',
] as const;

/** What one client run produced. */
export interface Run {
  readonly client: VncClient;
  /** Event names in order (`update`, `frameEnd`, …). */
  readonly events: string[];
  /** Resolves on `close` with the error, if the connection ended with one. */
  readonly ended: Promise<GuacamoleError | undefined>;
  /** Resolves after the next `frameEnd`, or rejects if the connection ends first. */
  readonly frame: () => Promise<void>;
  readonly server: FakeVncServer;
}

/**
 * Starts a fake server running `script` and connects a client to it.
 * @param script the server side
 * @param options client options
 * @param fake how the fake cuts writes
 * @returns the run; call `server.close()` when done
 */
export async function run(
  script: (connection: FakeVncConnection) => Promise<void>,
  options: VncClientOptions = {},
  fake: FakeVncOptions = {},
): Promise<Run> {
  const server = await FakeVncServer.start(script, fake);
  const socket = net.connect(server.port, '127.0.0.1');
  const client = new VncClient(socket, options);
  const events: string[] = [];
  let error: GuacamoleError | undefined;
  for (const name of NAMES) {
    client.on(name, () => events.push(name));
  }
  client.on('error', (e) => {
    error = e;
    events.push('error');
  });
  const ended = new Promise<GuacamoleError | undefined>((resolve) => {
    client.on('close', () => {
      resolve(error);
    });
  });
  const frame = () =>
    new Promise<void>((resolve, reject) => {
      client.once('frameEnd', resolve);
      client.once('close', () => {
        reject(error ?? new Error('closed'));
      });
    });
  return { client, events, ended, frame, server };
}

/** A persistent deflate stream whose chunks end with Z_SYNC_FLUSH, like a VNC server's. */
export function deflater(): (data: Uint8Array) => Promise<Buffer> {
  const stream = zlib.createDeflate();
  return async (data) => {
    stream.write(data);
    await new Promise<void>((resolve) => {
      stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        resolve();
      });
    });
    const chunks: Buffer[] = [];
    let chunk: unknown;
    while ((chunk = stream.read()) !== null) chunks.push(chunk as Buffer);
    return Buffer.concat(chunks);
  };
}

/**
 * Serves one FramebufferUpdate on a width x height screen and returns the client once it ended.
 * @returns the run and the first error, if any
 */
export async function serve(
  width: number,
  height: number,
  updates: Buffer[],
  maxPiece = 7,
  encodings = 'zrle tight copyrect hextile zlib corre rre raw',
  options: VncClientOptions = {},
) {
  const r = await run(
    async (c) => {
      await acceptNone38(c, width, height);
      for (const update of updates) await c.send(update);
      await c.waitClosed();
    },
    { encodings, ...options },
    { maxPiece },
  );
  let error: Error | undefined;
  try {
    for (let left = updates.length; left > 0; left--) await r.frame();
  } catch (e) {
    error = e as Error;
  }
  r.client.close();
  await r.server.close();
  return { ...r, error };
}

/**
 * A 0xRRGGBB colour as a server reduces it to color-depth 8 (BGR233) or 16 (RGB565) and this client
 * widens it back: each channel becomes `floor((c * max + bias) / 255)` (libvncserver's bias is 127,
 * TigerVNC's 128: both round, neither truncates), then is shifted up to 8 bits as guacd does.
 * @param rgb the colour
 * @param depth the color-depth
 * @param bias the server's rounding bias
 * @returns the colour the framebuffer shows
 */
export function reduceColour(rgb: number, depth: 8 | 16, bias: number): number {
  const bits = depth === 8 ? [3, 3, 2] : [5, 6, 5];
  return [16, 8, 0].reduce((out, at, c) => {
    const width = bits[c] as number;
    const max = (1 << width) - 1;
    const value = Math.floor((((rgb >> at) & 255) * max + bias) / 255);
    return out | ((value << (8 - width)) << at);
  }, 0);
}
