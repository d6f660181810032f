/**
 * @module Scripted fakes of the server's two tunnel endpoints (tunnel-protocol.md §1–§3), to drive
 * guacamole-common-js tunnels in the browser without guacd: they record what the client sends and
 * send what a test tells them to. Mount them with `useTestPage({ handle, upgrade })` from browser.ts.
 */

import { EventEmitter, once } from 'node:events';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { WebSocket } from 'ws';

/** The UUID both fakes announce. */
export const FAKE_UUID = '3f2b9c1e-8d4a-4c7b-9e2f-1a2b3c4d5e6f';

/** The token the HTTP fake hands out (44 base64 characters, like the Java servlet's). */
export const FAKE_TOKEN = 'q8kT'.repeat(11);

/** `0.,4.ping,<len>.<ms>;`: a WebSocket tunnel ping, which the WebSocket fake echoes. */
const PING = /^0\.,4\.ping,\d+\.\d+;$/;

/** A fake endpoint's record of one client: what it sent, as the raw text of each message. */
export class Recorder extends EventEmitter<{ message: [text: string]; connection: [] }> {
  /** Every message (WS) or write body (HTTP) received, in order, pings and `nop`s included. */
  readonly received: string[] = [];

  /** @param text a message the client sent */
  protected record(text: string): void {
    this.received.push(text);
    this.emit('message', text);
  }

  /**
   * Waits for a message that satisfies `match`, among those received so far or later.
   * @param match the test
   * @returns the first matching message
   */
  async waitFor(match: (text: string) => boolean): Promise<string> {
    for (;;) {
      const seen = this.received.find(match);
      if (seen !== undefined) return seen;
      await once(this, 'message');
    }
  }
}

/** The WebSocket endpoint: sends `0.,36.<uuid>;` first, echoes pings, records every message. */
export class FakeWebSocketEndpoint extends Recorder {
  readonly #wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (protocols) => (protocols.has('guacamole') ? 'guacamole' : false),
  });

  /** The open connection, once a client has connected. */
  socket: WebSocket | undefined;

  /** The request URL of the last upgrade (the connect data is its query string). */
  url = '';

  /** An `upgrade` handler for browser.ts's `serveTestPage`. */
  readonly upgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    this.#wss.handleUpgrade(req, socket, head, (ws) => {
      this.url = req.url ?? '';
      this.socket = ws;
      ws.on('message', (data: Buffer) => {
        const text = data.toString('utf8');
        this.record(text);
        if (PING.test(text)) ws.send(text);
      });
      ws.send(`0.,36.${FAKE_UUID};`);
      this.emit('connection');
    });
  };

  /**
   * Sends one text message.
   * @param text whole instructions
   */
  send(text: string): void {
    if (!this.socket) throw new Error('FakeWebSocketEndpoint: no client connected');
    this.socket.send(text);
  }

  /** Closes every connection and the server. */
  close(): void {
    for (const client of this.#wss.clients) client.terminate();
    this.#wss.close();
  }
}

/**
 * The HTTP endpoint at `path`: `?connect` answers the UUID and token; a read response is opened
 * (status sent) with its first data, and once the client has the next read waiting, the current one
 * ends after its data with `0.;`, as the Java servlet hands over (§2.3); writes are recorded.
 */
export class FakeHTTPEndpoint extends Recorder {
  readonly #path: string;
  #active: ServerResponse | undefined;
  readonly #waiting: ServerResponse[] = [];
  readonly #queued: string[] = [];
  #closed = false;

  /** Every request's query string and token header, in order of arrival. */
  readonly requests: { query: string; token: string | undefined }[] = [];

  /** @param path the tunnel's path, e.g. `/tunnel` */
  constructor(path: string) {
    super();
    this.#path = path;
  }

  /** A `handle` handler for browser.ts's `serveTestPage`. */
  readonly handle = (req: IncomingMessage, res: ServerResponse): boolean => {
    const url = new URL(req.url ?? '/', 'http://localhost');
    if (url.pathname !== this.#path) return false;
    const query = url.search.slice(1);
    const token = req.headers['guacamole-tunnel-token'];
    this.requests.push({ query, token: typeof token === 'string' ? token : undefined });
    if (this.#closed) {
      // What the Java servlet answers once the tunnel is gone (§2.2).
      res.writeHead(404, {
        'Guacamole-Status-Code': '516',
        'Guacamole-Error-Message': 'No such tunnel.',
      });
      res.end();
    } else if (query === 'connect') {
      res.writeHead(200, { 'Cache-Control': 'no-cache', 'Guacamole-Tunnel-Token': FAKE_TOKEN });
      res.end(FAKE_UUID);
    } else if (token !== FAKE_TOKEN) {
      res.writeHead(400, {
        'Guacamole-Status-Code': '768',
        'Guacamole-Error-Message': 'No token.',
      });
      res.end();
    } else if (query.startsWith('read:')) {
      this.#waiting.push(res);
      this.#pump();
    } else if (query.startsWith('write:')) {
      const chunks: Buffer[] = [];
      req.on('data', (chunk: Buffer) => chunks.push(chunk));
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'application/octet-stream', 'Content-Length': 0 });
        res.end();
        this.record(Buffer.concat(chunks).toString('utf8'));
      });
    } else {
      res.writeHead(400).end();
    }
    return true;
  };

  /**
   * Queues whole instructions for the client; they go out on the current or next read response.
   * @param text whole instructions
   */
  send(text: string): void {
    this.#queued.push(text);
    this.#pump();
  }

  /** Ends every open read response with `0.;`; later requests get 404/516 (the session is over). */
  close(): void {
    this.#closed = true;
    for (const res of [this.#active, ...this.#waiting.splice(0)]) res?.end('0.;');
    this.#active = undefined;
  }

  #pump(): void {
    while (this.#queued.length > 0) {
      if (!this.#active) {
        const next = this.#waiting.shift();
        if (!next) return;
        next.writeHead(200, {
          'Content-Type': 'application/octet-stream',
          'Cache-Control': 'no-cache',
        });
        this.#active = next;
      }
      this.#active.write(this.#queued.splice(0).join(''));
      if (this.#waiting.length > 0) {
        this.#active.end('0.;');
        this.#active = undefined;
      }
    }
  }
}
