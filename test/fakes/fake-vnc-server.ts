/**
 * @module FakeVncServer: an in-process RFB server on 127.0.0.1, port 0, that runs a test's script per
 * connection. Scripts write hand-built bytes (cut into seeded-random pieces of 1…maxPiece bytes, each
 * its own read on the client) and read exactly what the client sent. `rfb` builds the byte strings.
 */
import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import { seededRandom, writeSplit } from './split-writes.js';

/** How the fake cuts what it sends. */
export interface FakeVncOptions {
  /** Largest piece in bytes; 1 sends every byte separately. Default: 7. */
  readonly maxPiece?: number;
  /** PRNG seed for the cut points. Default: 1. */
  readonly seed?: number;
}

/** One accepted client connection, as seen by a script. */
export class FakeVncConnection {
  #socket: net.Socket;
  readonly #random: () => number;
  readonly #maxPiece: number;
  #received = Buffer.alloc(0);
  #waiter: (() => void) | undefined;
  #closed = false;

  constructor(socket: net.Socket, options: FakeVncOptions) {
    this.#socket = socket;
    this.#random = seededRandom(options.seed ?? 1);
    this.#maxPiece = options.maxPiece ?? 7;
    this.#listen(socket);
  }

  readonly #onData = (chunk: Buffer) => {
    this.#received = Buffer.concat([this.#received, chunk]);
    this.#waiter?.();
  };

  #listen(socket: net.Socket): void {
    socket.on('data', this.#onData);
    socket.on('close', () => {
      this.#closed = true;
      this.#waiter?.();
    });
    socket.on('error', () => undefined);
  }

  /**
   * Runs the server side of a TLS handshake on the connection; later sends and reads go through it.
   * @param options the server's TLS options (a key and certificate, or anonymous ciphers)
   */
  async startTls(options: tls.TlsOptions): Promise<void> {
    this.#socket.off('data', this.#onData);
    const secure = new tls.TLSSocket(this.#socket, { ...options, isServer: true });
    this.#socket = secure;
    this.#listen(secure);
    await new Promise<void>((resolve, reject) => {
      secure.once('secure', resolve);
      secure.once('error', reject);
      secure.once('close', () => {
        reject(new Error('closed during the TLS handshake'));
      });
    });
  }

  /** Whether the client has closed the connection. */
  get closed(): boolean {
    return this.#closed;
  }

  /**
   * Sends bytes, cut into pieces.
   * @param parts byte strings, concatenated
   */
  async send(...parts: Uint8Array[]): Promise<void> {
    if (this.#socket.destroyed) return;
    await writeSplit(this.#socket, Buffer.concat(parts), this.#random, this.#maxPiece);
  }

  /**
   * Reads exactly `n` bytes the client sent.
   * @param n the number of bytes
   * @returns the bytes
   */
  async read(n: number): Promise<Buffer> {
    while (this.#received.length < n) {
      if (this.#closed) throw new Error(`client closed; wanted ${n} bytes`);
      await new Promise<void>((resolve) => (this.#waiter = resolve));
      this.#waiter = undefined;
    }
    const bytes = this.#received.subarray(0, n);
    this.#received = this.#received.subarray(n);
    return bytes;
  }

  /** Waits until the client closes the connection. */
  async waitClosed(): Promise<void> {
    while (!this.#closed) {
      await new Promise<void>((resolve) => (this.#waiter = resolve));
      this.#waiter = undefined;
    }
  }

  /** Closes the connection from the server side. */
  end(): void {
    this.#socket.end();
  }
}

/** The scripted fake VNC server. */
export class FakeVncServer {
  /** Errors thrown by scripts. */
  readonly errors: unknown[] = [];
  readonly #server: net.Server;
  readonly #sockets = new Set<net.Socket>();

  private constructor(script: (c: FakeVncConnection) => Promise<void>, options: FakeVncOptions) {
    this.#server = net.createServer((socket) => {
      this.#sockets.add(socket);
      socket.on('close', () => this.#sockets.delete(socket));
      script(new FakeVncConnection(socket, options)).catch((error: unknown) => {
        if (!socket.destroyed) this.errors.push(error);
      });
    });
  }

  /**
   * Listens on 127.0.0.1, port 0.
   * @param script runs once per accepted connection
   * @param options how to cut writes
   * @returns the listening server
   */
  static async start(
    script: (connection: FakeVncConnection) => Promise<void>,
    options: FakeVncOptions = {},
  ): Promise<FakeVncServer> {
    const server = new FakeVncServer(script, options);
    server.#server.listen(0, '127.0.0.1');
    await once(server.#server, 'listening');
    return server;
  }

  /** The port it listens on. */
  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  /** Closes every connection and stops listening. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise<void>((resolve) =>
      this.#server.close(() => {
        resolve();
      }),
    );
  }
}

/** Builders for big-endian RFB byte strings. */
export const rfb = {
  u8: (...values: number[]): Buffer => Buffer.from(values),
  u16: (...values: number[]): Buffer => Buffer.concat(values.map((v) => rfbInt(v, 2))),
  u32: (...values: number[]): Buffer => Buffer.concat(values.map((v) => rfbInt(v >>> 0, 4))),
  s32: (value: number): Buffer => {
    const b = Buffer.alloc(4);
    b.writeInt32BE(value);
    return b;
  },
  /** A u32 length followed by the string's bytes. */
  string: (text: string, encoding: BufferEncoding = 'utf8'): Buffer => {
    const body = Buffer.from(text, encoding);
    return Buffer.concat([rfbInt(body.length, 4), body]);
  },
  /** A 32-bit pixel in the client's requested format (R, G, B, X bytes). */
  pixel: (rgb: number): Buffer => Buffer.from([rgb >> 16, (rgb >> 8) & 255, rgb & 255, 0]),
  /** A 3-byte ZRLE CPIXEL. */
  cpixel: (rgb: number): Buffer => Buffer.from([rgb >> 16, (rgb >> 8) & 255, rgb & 255]),
  /** A FramebufferUpdate header. */
  update: (rects: number): Buffer => Buffer.concat([Buffer.from([0, 0]), rfbInt(rects, 2)]),
  /** A rect header. */
  rect: (x: number, y: number, w: number, h: number, encoding: number): Buffer => {
    const b = Buffer.alloc(12);
    b.writeUInt16BE(x, 0);
    b.writeUInt16BE(y, 2);
    b.writeUInt16BE(w, 4);
    b.writeUInt16BE(h, 6);
    b.writeInt32BE(encoding, 8);
    return b;
  },
  /** ServerInit with a 32-bpp true-colour pixel format. */
  serverInit: (width: number, height: number, name = 'fake'): Buffer =>
    Buffer.concat([
      rfbInt(width, 2),
      rfbInt(height, 2),
      Buffer.from([32, 24, 0, 1, 0, 255, 0, 255, 0, 255, 16, 8, 0, 0, 0, 0]),
      rfbInt(Buffer.byteLength(name), 4),
      Buffer.from(name),
    ]),
};

function rfbInt(value: number, size: 2 | 4): Buffer {
  const b = Buffer.alloc(size);
  if (size === 2) b.writeUInt16BE(value);
  else b.writeUInt32BE(value);
  return b;
}

/**
 * Runs the server side of an RFB 3.8 handshake with security None and reads the client's
 * SetPixelFormat, SetEncodings and first FramebufferUpdateRequest.
 * @param connection the connection
 * @param width framebuffer width
 * @param height framebuffer height
 * @param onPixelFormat receives the client's SetPixelFormat message (20 bytes)
 * @returns the encodings the client announced
 */
export async function acceptNone38(
  connection: FakeVncConnection,
  width: number,
  height: number,
  onPixelFormat?: (message: Buffer) => void,
): Promise<number[]> {
  await connection.send(Buffer.from('RFB 003.008\n'));
  await connection.read(12);
  await connection.send(rfb.u8(1, 1));
  await connection.read(1);
  await connection.send(rfb.u32(0));
  await connection.read(1);
  await connection.send(rfb.serverInit(width, height));
  const pixelFormat = await connection.read(20);
  onPixelFormat?.(pixelFormat);
  const header = await connection.read(4);
  const count = header.readUInt16BE(2);
  const list = await connection.read(count * 4);
  await connection.read(10);
  return Array.from({ length: count }, (_, i) => list.readInt32BE(i * 4));
}
