/**
 * @module bench/tunnel/guacd: a lean fake guacd on loopback. It completes the handshake (select → args →
 * … connect → ready), then, depending on its mode, floods the corpus once with backpressure and hangs up
 * (`flood`), streams corpus slices on a timer while timing the `key` instructions that arrive (`stream`),
 * or stays quiet apart from a `nop` keep-alive (`idle`).
 */
import { isAscii } from 'node:buffer';
import { randomUUID } from 'node:crypto';
import { once } from 'node:events';
import net from 'node:net';

/** What the fake does once the handshake is done. */
export type GuacdMode = 'flood' | 'stream' | 'idle';

/** Options of {@link startGuacd}. */
export interface GuacdOptions {
  readonly mode: GuacdMode;
  /** The bytes sent after `ready` (`flood`: all of it; `stream`: cyclic slices). */
  readonly corpus: Buffer;
  /** What connections whose `hostname` ends in `-ascii` get instead (see {@link asciiOnly}). */
  readonly asciiCorpus?: Buffer;
  /** `stream`: bytes each connection gets per tick. Default: 4 KiB. */
  readonly sliceBytes?: number;
  /** `stream`: tick period in ms. Default: 20. */
  readonly tickMs?: number;
  /** `idle`: keep-alive period in ms (our read timeout and guacamole-lite's are 15 s and 10 s). */
  readonly keepAliveMs?: number;
}

/** A running fake. */
export interface Guacd {
  readonly port: number;
  /** Handshakes completed so far. */
  readonly ready: () => number;
  /** `stream`: one-way latencies (ns) of every `key` instruction received, taken and cleared. */
  readonly takeLatencies: () => number[];
  close(): Promise<void>;
}

const ARGS = '4.args,13.VERSION_1_5_0,8.hostname,4.port;';
const FLOOD_CHUNK = 64 * 1024;

/**
 * Replaces every non-ASCII character by `?`, which keeps each element's length in characters, so the
 * result is still valid protocol. guacamole-lite 1.2 decodes every TCP read on its own (`data.toString()`),
 * so a character split across two reads becomes two U+FFFD, the element grows and its parser throws,
 * killing the process: it can only be measured on ASCII.
 * @param corpus UTF-8 protocol data
 * @returns the ASCII-only variant
 */
export function asciiOnly(corpus: Buffer): Buffer {
  const out = Buffer.allocUnsafe(corpus.length);
  let n = 0;
  for (let start = 0; start < corpus.length; start += 4096) {
    const block = corpus.subarray(start, start + 4096);
    if (isAscii(block)) {
      n += block.copy(out, n);
      continue;
    }
    for (const byte of block) {
      if (byte < 0x80) out[n++] = byte;
      // Lead bytes become `?`; continuation bytes (10xxxxxx) are dropped.
      else if (byte >= 0xc0) out[n++] = 0x3f;
    }
  }
  return out.subarray(0, n);
}

/** Waits for 'drain' or 'close', leaving no listener behind. */
function drained(socket: net.Socket): Promise<void> {
  return new Promise((resolve) => {
    const done = (): void => {
      socket.off('drain', done);
      socket.off('close', done);
      resolve();
    };
    socket.on('drain', done);
    socket.on('close', done);
  });
}

/**
 * Splits complete instructions off the front of an ASCII buffer (what clients send in this benchmark).
 * @returns the instructions as element arrays, and the unparsed rest
 */
function scan(text: string): { instructions: string[][]; rest: string } {
  const instructions: string[][] = [];
  let start = 0;
  let pos = 0;
  let elements: string[] = [];
  for (;;) {
    const dot = text.indexOf('.', pos);
    if (dot < 0) break;
    const length = Number(text.slice(pos, dot));
    const end = dot + 1 + length;
    if (!Number.isInteger(length) || end >= text.length) break;
    elements.push(text.slice(dot + 1, end));
    pos = end + 1;
    if (text.charAt(end) === ';') {
      instructions.push(elements);
      elements = [];
      start = pos;
    }
  }
  return { instructions, rest: text.slice(start) };
}

/**
 * Starts the fake on 127.0.0.1 on a free port.
 * @param options mode and data
 * @returns the running fake
 */
export async function startGuacd(options: GuacdOptions): Promise<Guacd> {
  const sockets = new Set<net.Socket>();
  const streaming = new Map<net.Socket, { corpus: Buffer; offset: number }>();
  let latencies: number[] = [];
  let readyCount = 0;

  const flood = async (socket: net.Socket, corpus: Buffer): Promise<void> => {
    for (let i = 0; i < corpus.length && !socket.destroyed; i += FLOOD_CHUNK) {
      if (!socket.write(corpus.subarray(i, i + FLOOD_CHUNK))) await drained(socket);
    }
    socket.end();
  };

  const afterReady = (socket: net.Socket, hostname: string): void => {
    readyCount++;
    const corpus = hostname.endsWith('-ascii')
      ? (options.asciiCorpus ?? options.corpus)
      : options.corpus;
    if (options.mode === 'flood') void flood(socket, corpus);
    else if (options.mode === 'stream') streaming.set(socket, { corpus, offset: 0 });
  };

  const server = net.createServer((socket) => {
    socket.setNoDelay(true);
    sockets.add(socket);
    socket.on('error', () => undefined);
    socket.once('close', () => {
      sockets.delete(socket);
      streaming.delete(socket);
    });
    let pending = '';
    let state: 'select' | 'connect' | 'open' = 'select';
    socket.on('data', (data: Buffer) => {
      const now = process.hrtime.bigint();
      const { instructions, rest } = scan(pending + data.toString('latin1'));
      pending = rest;
      for (const [opcode, ...args] of instructions) {
        if (state === 'select' && opcode === 'select') {
          state = 'connect';
          socket.write(ARGS);
        } else if (state === 'connect' && opcode === 'connect') {
          state = 'open';
          socket.write(`5.ready,37.$${randomUUID()};`);
          // connect's arguments answer args: VERSION_1_5_0, hostname, port.
          afterReady(socket, args[1] ?? '');
        } else if (state === 'open' && opcode === 'key' && args[0] !== undefined) {
          // The client put its hrtime (CLOCK_MONOTONIC, shared by all processes) in the keysym.
          latencies.push(Number(now - BigInt(args[0])));
        }
      }
    });
  });

  const timers: NodeJS.Timeout[] = [];
  if (options.mode === 'stream') {
    const slice = options.sliceBytes ?? 4096;
    timers.push(
      setInterval(() => {
        for (const [socket, cursor] of streaming) {
          // A connection whose client lags keeps its backlog instead of growing it.
          if (socket.writableLength > 4 * slice) continue;
          const end = Math.min(cursor.offset + slice, cursor.corpus.length);
          socket.write(cursor.corpus.subarray(cursor.offset, end));
          cursor.offset = end === cursor.corpus.length ? 0 : end;
        }
      }, options.tickMs ?? 20),
    );
  } else if (options.mode === 'idle') {
    timers.push(
      setInterval(() => {
        for (const socket of sockets) socket.write('3.nop;');
      }, options.keepAliveMs ?? 5000),
    );
  }

  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address() as net.AddressInfo;
  return {
    port: address.port,
    ready: () => readyCount,
    takeLatencies: () => {
      const taken = latencies;
      latencies = [];
      return taken;
    },
    async close() {
      for (const timer of timers) clearInterval(timer);
      for (const socket of sockets) socket.destroy();
      server.close();
      await once(server, 'close');
    },
  };
}
