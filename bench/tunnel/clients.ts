/**
 * @module bench/tunnel/clients: browser-side clients for the tunnel benchmark, run in the parent process:
 * a `ws` client counting received bytes, an HTTP client that reads the way Guacamole.HTTPTunnel does, a
 * key-typing client for the latency test, and idle clients.
 */
import http from 'node:http';
import { WebSocket } from 'ws';
import { SUBPROTOCOL, TUNNEL_TOKEN_HEADER } from '../../src/tunnel/index.js';
import { liteToken } from './servers.js';

/** Bytes received and the time it took. */
export interface Transfer {
  readonly bytes: number;
  readonly seconds: number;
}

const WS_OPTIONS = { perMessageDeflate: false, skipUTF8Validation: true } as const;
/** The end-of-response marker every HTTP read response carries after its data. */
const END_MARKER_BYTES = 3;

/**
 * @param port where guacamole-lite listens
 * @param hostname the connection's host (see liteToken)
 * @returns a connection URL with a fresh encrypted token, as its README shows
 */
export function liteUrl(port: number, hostname?: string): string {
  return `ws://127.0.0.1:${port}/?token=${encodeURIComponent(liteToken(hostname))}`;
}

function elapsed(start: bigint): number {
  return Number(process.hrtime.bigint() - start) / 1e9;
}

/**
 * Opens a WebSocket and counts what arrives until the server closes it.
 * @param url the tunnel URL
 * @param timeoutMs gives up (and resolves with what arrived) after this long
 * @returns bytes and seconds from the connect to the close
 */
export function wsTransfer(url: string, timeoutMs: number): Promise<Transfer> {
  const start = process.hrtime.bigint();
  return new Promise((resolve) => {
    let bytes = 0;
    const ws = new WebSocket(url, [SUBPROTOCOL], WS_OPTIONS);
    const timer = setTimeout(() => {
      ws.terminate();
    }, timeoutMs);
    ws.on('message', (data: Buffer) => {
      bytes += data.length;
    });
    ws.on('error', () => undefined);
    ws.on('close', () => {
      clearTimeout(timer);
      resolve({ bytes, seconds: elapsed(start) });
    });
  });
}

function request(
  agent: http.Agent,
  url: string,
  headers: http.OutgoingHttpHeaders,
  body?: string,
): Promise<http.IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = http.request(url, { agent, method: body === undefined ? 'GET' : 'POST', headers });
    req.on('response', resolve);
    req.on('error', reject);
    req.end(body);
  });
}

function consume(res: http.IncomingMessage): Promise<number> {
  return new Promise((resolve, reject) => {
    let bytes = 0;
    res.on('data', (chunk: Buffer) => {
      bytes += chunk.length;
    });
    res.on('end', () => {
      resolve(bytes);
    });
    res.on('error', reject);
  });
}

/**
 * Connects to an HTTP tunnel and reads as Guacamole.HTTPTunnel does: the next `read:` request goes out as
 * soon as the current response's headers arrive, so one is always waiting while the other streams. Ends
 * at the first non-200 read (after guacd's end of stream the tunnel is gone: 404).
 * @param url the tunnel URL (without query)
 * @param timeoutMs gives up (and resolves with what arrived) after this long
 * @returns data bytes (end markers excluded) and seconds from the connect to the last response
 */
export async function httpTransfer(url: string, timeoutMs: number): Promise<Transfer> {
  const start = process.hrtime.bigint();
  const agent = new http.Agent({ keepAlive: true, maxSockets: 6 });
  try {
    const form = 'GUAC_ID=1&GUAC_TYPE=c&GUAC_WIDTH=1920&GUAC_HEIGHT=1080&GUAC_DPI=96';
    const connected = await request(
      agent,
      `${url}?connect`,
      { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      form,
    );
    const token = connected.headers[TUNNEL_TOKEN_HEADER.toLowerCase()];
    const uuid = await new Promise<string>((resolve) => {
      let text = '';
      connected.on('data', (chunk: Buffer) => (text += chunk.toString()));
      connected.on('end', () => {
        resolve(text);
      });
    });
    if (connected.statusCode !== 200 || typeof token !== 'string') {
      throw new Error(`connect failed: ${connected.statusCode}`);
    }
    let n = 0;
    const read = (): Promise<http.IncomingMessage> =>
      request(agent, `${url}?read:${uuid}:${n++}`, { [TUNNEL_TOKEN_HEADER]: token });
    let bytes = 0;
    let current = read();
    for (;;) {
      const res = await current;
      if (res.statusCode !== 200 || elapsed(start) * 1000 > timeoutMs) {
        res.resume();
        break;
      }
      current = read();
      bytes += (await consume(res)) - END_MARKER_BYTES;
    }
    return { bytes, seconds: elapsed(start) };
  } finally {
    agent.destroy();
  }
}

/**
 * Opens a tunnel and waits for its first message (the UUID, or guacamole-lite's connection ID).
 * @param url the tunnel URL
 * @param onMessage counts later messages
 * @returns the open socket
 */
export function openTunnel(url: string, onMessage?: (bytes: number) => void): Promise<WebSocket> {
  return new Promise((resolve, reject) => {
    const ws = new WebSocket(url, [SUBPROTOCOL], WS_OPTIONS);
    const timer = setTimeout(() => {
      ws.terminate();
      reject(new Error('tunnel did not open within 30 s'));
    }, 30_000);
    ws.on('error', reject);
    ws.once('message', () => {
      clearTimeout(timer);
      resolve(ws);
      if (onMessage)
        ws.on('message', (data: Buffer) => {
          onMessage(data.length);
        });
    });
    ws.once('close', () => {
      reject(new Error('tunnel closed while opening'));
    });
  });
}

/**
 * Opens many tunnels, a bounded number at a time.
 * @param url the tunnel URL (or a function giving a fresh one per tunnel)
 * @param count how many
 * @param concurrency how many handshakes at once
 * @param onMessage counts messages after the first
 * @returns the open sockets
 */
export async function openTunnels(
  url: () => string,
  count: number,
  concurrency: number,
  onMessage?: (bytes: number) => void,
): Promise<WebSocket[]> {
  const open: WebSocket[] = [];
  let next = 0;
  const worker = async (): Promise<void> => {
    while (next < count) {
      next++;
      open.push(await openTunnel(url(), onMessage));
    }
  };
  await Promise.all(Array.from({ length: Math.min(concurrency, count) }, worker));
  return open;
}

/**
 * Has every client type for a while: each sends `key` instructions carrying its send time (hrtime, ns) as
 * the keysym, alternating press and release, every `everyMs` with a random phase.
 * @param clients open tunnels
 * @param durationMs how long
 * @param everyMs period per client
 * @returns how many keys were sent
 */
export async function typeKeys(
  clients: readonly WebSocket[],
  durationMs: number,
  everyMs: number,
): Promise<number> {
  let sent = 0;
  const timers: NodeJS.Timeout[] = [];
  const starters = clients.map((ws) =>
    setTimeout(() => {
      let pressed = 1;
      timers.push(
        setInterval(() => {
          const ts = String(process.hrtime.bigint());
          ws.send(`3.key,${ts.length}.${ts},1.${pressed};`);
          pressed ^= 1;
          sent++;
        }, everyMs),
      );
    }, Math.random() * everyMs),
  );
  await new Promise((resolve) => setTimeout(resolve, durationMs));
  for (const timer of [...starters, ...timers]) clearTimeout(timer);
  return sent;
}
