/**
 * @module A scripted RDP server for tests: builders for the server's PDUs (Connection Confirm, MCS Connect
 * Response with GCC server data, domain PDUs, licensing, Demand Active, Font Map, fast-path bitmaps) and
 * FakeRdpServer, which listens on port 0, frames what the client sends and can write every reply in
 * 1-byte chunks so that the client's reassembly is exercised at every boundary.
 */
import { once } from 'node:events';
import net from 'node:net';
import tls from 'node:tls';
import {
  BER_ENUMERATED,
  BER_INTEGER,
  BER_OCTET_STRING,
  BER_SEQUENCE,
  applicationTag,
  berTlv,
} from '../../../src/proxy/rdp/ber.js';
import { ByteWriter } from '../../../src/proxy/rdp/bytes.js';
import { clientCapabilities } from '../../../src/proxy/rdp/capabilities.js';
import { T124_OID, perLength } from '../../../src/proxy/rdp/per.js';
import {
  PDUTYPE2_FONTMAP,
  PDUTYPE_DEMANDACTIVEPDU,
  shareControl,
  shareData,
} from '../../../src/proxy/rdp/share.js';
import { TsRequestReader } from '../../../src/proxy/rdp/nla/ts-request.js';
import { FrameReader, tpkt, type RdpFrame } from '../../../src/proxy/rdp/tpkt.js';
import { x224Data, x224Payload } from '../../../src/proxy/rdp/x224.js';

export const IO_CHANNEL = 1003;
export const USER_ID = 1007;
export const SHARE_ID = 0x103ea;
export const CLIPRDR_CHANNEL_ID = 1004;

/** @returns a Connection Confirm selecting `protocol` */
export function connectionConfirm(protocol: number): Buffer {
  const neg = new ByteWriter().u8(0x02).u8(0).u16(8).u32(protocol).toBuffer();
  return tpkt(Buffer.concat([Buffer.from([14, 0xd0, 0, 0, 0, 0, 0]), neg]));
}

/** @returns a Connection Confirm carrying RDP_NEG_FAILURE `code` */
export function negotiationFailure(code: number): Buffer {
  const neg = new ByteWriter().u8(0x03).u8(0).u16(8).u32(code).toBuffer();
  return tpkt(Buffer.concat([Buffer.from([14, 0xd0, 0, 0, 0, 0, 0]), neg]));
}

/** @returns an MCS Connect Response (X.224 payload) with server core, security and network data */
export function gccResponse(channelIds: readonly number[]): Buffer {
  const block = (type: number, body: Buffer) =>
    new ByteWriter()
      .u16(type)
      .u16(body.length + 4)
      .bytes(body)
      .toBuffer();
  const net = new ByteWriter().u16(IO_CHANNEL).u16(channelIds.length);
  for (const id of channelIds) net.u16(id);
  if (channelIds.length % 2 === 1) net.u16(0);
  const blocks = Buffer.concat([
    block(0x0c01, new ByteWriter().u32(0x80004).u32(1).toBuffer()),
    block(0x0c02, new ByteWriter().u32(0).u32(0).toBuffer()),
    block(0x0c03, net.toBuffer()),
  ]);
  const head = Buffer.from([0x14, 0x76, 0x0a, 0x01, 0x01, 0x00, 0x01, 0xc0, 0x00]);
  const gcc = Buffer.concat([head, Buffer.from('McDn'), perLength(blocks.length), blocks]);
  const userData = Buffer.concat([T124_OID, perLength(gcc.length), gcc]);
  const params = Buffer.concat(
    [34, 3, 0, 1, 0, 1, 0xfff8, 2].map((n) =>
      berTlv(BER_INTEGER, Buffer.from(n > 0xff ? [0, n >> 8, n & 0xff] : [n])),
    ),
  );
  return berTlv(
    applicationTag(102),
    Buffer.concat([
      berTlv(BER_ENUMERATED, Buffer.from([0])),
      berTlv(BER_INTEGER, Buffer.from([0])),
      berTlv(BER_SEQUENCE, params),
      berTlv(BER_OCTET_STRING, userData),
    ]),
  );
}

/** @returns a Send Data Indication on `channel` carrying `data`, as a TPKT */
export function indication(data: Uint8Array, channel = IO_CHANNEL): Buffer {
  const head = Buffer.alloc(6);
  head[0] = 26 << 2;
  head.writeUInt16BE(USER_ID - 1001 - 1, 1);
  head.writeUInt16BE(channel, 3);
  head[5] = 0x70;
  return x224Data(Buffer.concat([head, perLength(data.length), data]));
}

/** @returns a licensing PDU with its security header */
export function licensePdu(type: number, body: Uint8Array): Buffer {
  return new ByteWriter()
    .u16(0x0080)
    .u16(0)
    .u8(type)
    .u8(3)
    .u16(body.length + 4)
    .bytes(body)
    .toBuffer();
}

/** @returns the licensing error alert with STATUS_VALID_CLIENT */
export function validClient(): Buffer {
  return licensePdu(0xff, new ByteWriter().u32(7).u32(2).u16(4).u16(0).toBuffer());
}

/** @returns a Demand Active PDU for a desktop of the given size */
export function demandActive(width: number, height: number): Buffer {
  const caps = clientCapabilities({ width, height, bitsPerPixel: 16, keyboardLayout: 0x409 });
  const source = Buffer.from('RDP\0');
  const all = Buffer.concat(caps);
  const body = new ByteWriter()
    .u32(SHARE_ID)
    .u16(source.length)
    .u16(all.length + 4)
    .bytes(source)
    .u16(caps.length)
    .u16(0)
    .bytes(all)
    .u32(0)
    .toBuffer();
  return shareControl(PDUTYPE_DEMANDACTIVEPDU, 1002, body);
}

/** @returns the server's Font Map PDU */
export function fontMap(): Buffer {
  return shareData(1002, SHARE_ID, PDUTYPE2_FONTMAP, Buffer.alloc(8));
}

/** One bitmap rectangle of a bitmap update. */
export interface BitmapRect {
  readonly left: number;
  readonly top: number;
  readonly right: number;
  readonly bottom: number;
  readonly width: number;
  readonly height: number;
  readonly bpp: number;
  readonly flags: number;
  readonly data: Uint8Array;
}

/** @returns TS_UPDATE_BITMAP_DATA */
export function bitmapUpdate(rects: readonly BitmapRect[]): Buffer {
  const w = new ByteWriter().u16(1).u16(rects.length);
  for (const r of rects) {
    w.u16(r.left).u16(r.top).u16(r.right).u16(r.bottom).u16(r.width).u16(r.height);
    w.u16(r.bpp).u16(r.flags).u16(r.data.length).bytes(r.data);
  }
  return w.toBuffer();
}

/** @returns a fast-path output PDU with one unfragmented update */
export function fastPathUpdate(code: number, data: Uint8Array): Buffer {
  const update = new ByteWriter().u8(code).u16(data.length).bytes(data).toBuffer();
  const length = update.length + 3;
  return Buffer.concat([Buffer.from([0, 0x80 | (length >> 8), length & 0xff]), update]);
}

/** A scripted server connection: read client frames in order, write replies. */
export class FakeRdpConnection {
  #socket: net.Socket;
  readonly #frames = new FrameReader();
  readonly #queue: RdpFrame[] = [];
  #waiter: (() => void) | undefined;
  #ended = false;
  /** Set while CredSSP runs: the TLS stream is raw DER then, not TPKT frames. */
  #credssp: TsRequestReader | undefined;
  /** Write every reply one byte per write. */
  split = false;

  constructor(socket: net.Socket) {
    this.#socket = socket;
    this.#listen(socket);
  }

  #listen(socket: net.Socket): void {
    socket.on('data', (chunk: Buffer) => {
      if (this.#credssp === undefined) this.#queue.push(...this.#frames.push(chunk));
      else this.#credssp.push(chunk);
      this.#waiter?.();
    });
    socket.on('close', () => {
      this.#ended = true;
      this.#waiter?.();
    });
    socket.on('error', () => undefined);
  }

  /** @returns the next frame the client sent, or undefined once it closed */
  async next(): Promise<RdpFrame | undefined> {
    while (this.#queue.length === 0 && !this.#ended) {
      await new Promise<void>((resolve) => (this.#waiter = resolve));
      this.#waiter = undefined;
    }
    return this.#queue.shift();
  }

  /** @returns the X.224 payload of the next frame (throws when the client closed) */
  async nextPayload(): Promise<Buffer> {
    const frame = await this.next();
    if (frame === undefined) throw new Error('the client closed the connection');
    return x224Payload(frame.data);
  }

  /** Writes bytes, split into single bytes when `split` is set. */
  async write(data: Buffer): Promise<void> {
    if (!this.split) {
      this.#socket.write(data);
      return;
    }
    for (const byte of data) {
      await new Promise<void>((resolve) =>
        this.#socket.write(Buffer.from([byte]), () => {
          resolve();
        }),
      );
    }
  }

  /** Upgrades to TLS as the server. */
  async startTls(key: string, cert: string): Promise<void> {
    this.#socket.removeAllListeners('data');
    this.#socket.removeAllListeners('close');
    const secure = new tls.TLSSocket(this.#socket, { isServer: true, key, cert });
    this.#socket = secure;
    this.#listen(secure);
    await once(secure, 'secure');
  }

  /**
   * Plays the server side of CredSSP on the raw TLS stream, then goes back to framing.
   * @param handle answers each TSRequest; undefined means CredSSP is over (no reply)
   * @returns false when the client closed first
   */
  async credssp(handle: (request: Buffer) => Buffer | undefined): Promise<boolean> {
    const reader = new TsRequestReader();
    this.#credssp = reader;
    try {
      for (;;) {
        let request = reader.next();
        while (request === undefined && !this.#ended) {
          await new Promise<void>((resolve) => (this.#waiter = resolve));
          this.#waiter = undefined;
          request = reader.next();
        }
        if (request === undefined) return false;
        const reply = handle(request);
        if (reply === undefined) return true;
        await this.write(reply);
      }
    } finally {
      this.#credssp = undefined;
      this.#queue.push(...this.#frames.push(reader.takeRest()));
    }
  }

  /** Closes the connection. */
  close(): void {
    this.#socket.destroy();
  }
}

/** A server on 127.0.0.1:0 handing each connection to a script. */
export class FakeRdpServer {
  readonly #server: net.Server;
  readonly #scripts: Promise<void>[] = [];
  readonly #sockets = new Set<net.Socket>();

  private constructor(server: net.Server) {
    this.#server = server;
  }

  /**
   * @param script runs for each connection; its failure is reported by `done`
   * @returns the listening server
   */
  static async start(
    script: (connection: FakeRdpConnection) => Promise<void>,
  ): Promise<FakeRdpServer> {
    const server = net.createServer();
    const fake = new FakeRdpServer(server);
    server.on('connection', (socket) => {
      fake.#sockets.add(socket);
      socket.on('close', () => fake.#sockets.delete(socket));
      fake.#scripts.push(script(new FakeRdpConnection(socket)));
    });
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return fake;
  }

  /** The port. */
  get port(): number {
    return (this.#server.address() as net.AddressInfo).port;
  }

  /** Resolves once every script finished (rejects with the first failure). */
  async done(): Promise<void> {
    await Promise.all(this.#scripts);
  }

  /** Stops listening and closes open connections. */
  async close(): Promise<void> {
    for (const socket of this.#sockets) socket.destroy();
    await new Promise((resolve) => this.#server.close(resolve));
  }
}

/** Options of {@link activate}. */
export interface ActivateOptions {
  readonly key: string;
  readonly cert: string;
  /** Send a License Request first and expect a New License Request. */
  readonly licenseRequest?: boolean;
  readonly width?: number;
  readonly height?: number;
  /** The static channel IDs to assign (the client asks for `cliprdr` unless copy and paste are off). */
  readonly channels?: readonly number[];
  /** Select PROTOCOL_HYBRID and run CredSSP with this handler after TLS. */
  readonly credssp?: (request: Buffer) => Buffer | undefined;
}

/**
 * Plays the server side from the Connection Request to the Font Map.
 * @param c the connection
 * @param options TLS material, licensing flow and desktop size
 * @returns what the client sent on the way (for assertions)
 */
export async function activate(
  c: FakeRdpConnection,
  options: ActivateOptions,
): Promise<{ clientInfo: Buffer; licenseReply: Buffer | undefined; confirm: Buffer }> {
  await c.next();
  await c.write(connectionConfirm(options.credssp === undefined ? 1 : 2));
  await c.startTls(options.key, options.cert);
  if (options.credssp !== undefined && !(await c.credssp(options.credssp))) {
    throw new Error('the client closed during CredSSP');
  }
  await c.nextPayload();
  const channels = options.channels ?? [CLIPRDR_CHANNEL_ID];
  await c.write(x224Data(gccResponse(channels)));
  await c.nextPayload(); // erect domain
  await c.nextPayload(); // attach user
  await c.write(x224Data(Buffer.from([0x2e, 0, (USER_ID - 1001) >> 8, (USER_ID - 1001) & 0xff])));
  for (const channel of [USER_ID, IO_CHANNEL, ...channels]) {
    await c.nextPayload();
    const confirm = new ByteWriter()
      .u8(0x3e)
      .u8(0)
      .u16be(USER_ID - 1001)
      .u16be(channel);
    await c.write(x224Data(confirm.u16be(channel).toBuffer()));
  }
  const clientInfo = await c.nextPayload();
  let licenseReply: Buffer | undefined;
  if (options.licenseRequest === true) {
    await c.write(indication(licensePdu(0x01, Buffer.alloc(40, 1))));
    licenseReply = await c.nextPayload();
  }
  await c.write(indication(validClient()));
  await c.write(indication(demandActive(options.width ?? 64, options.height ?? 48)));
  const confirm = await c.nextPayload();
  for (let i = 0; i < 4; i++) await c.nextPayload();
  await c.write(indication(fontMap()));
  return { clientInfo, licenseReply, confirm };
}
