/**
 * @module WsTunnelClient: a `ws` client for the WebSocket tunnel that records every text message, the
 * upgrade response, and the close code and reason, with event-based waits for each.
 */
import type { IncomingMessage } from 'node:http';
import WebSocket from 'ws';

/** How the socket closed, as the browser's CloseEvent reports it. */
export interface CloseInfo {
  readonly code: number;
  readonly reason: string;
}

/** Options of {@link WsTunnelClient.open}. */
export interface WsOpenOptions {
  /** The Origin header; none by default (a non-browser client). */
  readonly origin?: string;
  /** The subprotocols offered. Default: `['guacamole']`. */
  readonly protocols?: readonly string[];
}

/** A WebSocket tunnel client. */
export class WsTunnelClient {
  readonly ws: WebSocket;
  /** Every text message received, in order. */
  readonly messages: string[] = [];
  /** How many binary messages arrived (the server must send none). */
  binaryMessages = 0;
  /** The HTTP response to the upgrade: 101 when accepted, anything else when refused. */
  readonly upgrade: Promise<IncomingMessage>;
  /** Resolves when the socket has closed. */
  readonly closed: Promise<CloseInfo>;
  #cursor = 0;
  #isClosed = false;
  #waiters: (() => void)[] = [];

  private constructor(url: string, options: WsOpenOptions) {
    this.ws = new WebSocket(url, [...(options.protocols ?? ['guacamole'])], {
      perMessageDeflate: false,
      ...(options.origin === undefined ? {} : { origin: options.origin }),
    });
    this.ws.on('error', () => undefined);
    this.upgrade = new Promise((resolve) => {
      this.ws.once('upgrade', resolve);
      this.ws.once('unexpected-response', (_request, response: IncomingMessage) => {
        resolve(response);
        response.resume();
      });
    });
    this.ws.on('message', (data: WebSocket.RawData, isBinary: boolean) => {
      if (isBinary) this.binaryMessages++;
      else this.messages.push(textOf(data));
      this.#wake();
    });
    this.closed = new Promise((resolve) => {
      this.ws.once('close', (code: number, reason: Buffer) => {
        this.#isClosed = true;
        this.#wake();
        resolve({ code, reason: reason.toString('utf8') });
      });
    });
  }

  /**
   * Opens a connection to `/websocket-tunnel?<query>` (without waiting for it).
   * @param port the server port
   * @param query the connect data
   * @param options Origin and subprotocols
   * @returns the client
   */
  static open(port: number, query = '', options: WsOpenOptions = {}): WsTunnelClient {
    const url = `ws://127.0.0.1:${port}/websocket-tunnel${query === '' ? '' : `?${query}`}`;
    return new WsTunnelClient(url, options);
  }

  /**
   * Opens a tunnel and takes its first message, which must be exactly `0.,36.<uuid>;`.
   * @param port the server port
   * @param query the connect data
   * @param options Origin and subprotocols
   * @returns the client and the announced UUID
   * @throws {Error} when the upgrade is refused or the first message is anything else
   */
  static async connect(
    port: number,
    query = '',
    options: WsOpenOptions = {},
  ): Promise<{ client: WsTunnelClient; uuid: string }> {
    const client = WsTunnelClient.open(port, query, options);
    const upgrade = await client.upgrade;
    if (upgrade.statusCode !== 101) throw new Error(`Upgrade answered ${upgrade.statusCode}.`);
    const first = await client.next();
    const match = /^0\.,36\.([0-9a-f-]{36});$/.exec(first);
    if (!match) throw new Error(`The first message was ${first}.`);
    return { client, uuid: match[1] as string };
  }

  /** True once the socket has closed. */
  get isClosed(): boolean {
    return this.#isClosed;
  }

  /**
   * @returns the next message not yet taken by `next()`
   * @throws {Error} when the socket closes first
   */
  async next(): Promise<string> {
    for (;;) {
      const message = this.messages[this.#cursor];
      if (message !== undefined) {
        this.#cursor++;
        return message;
      }
      if (this.#isClosed) throw new Error('The WebSocket closed while a message was awaited.');
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /**
   * Waits until a message satisfies `match` (messages already received count).
   * @param match the test
   * @returns the message
   */
  async waitFor(match: (message: string) => boolean): Promise<string> {
    for (let seen = 0; ;) {
      for (; seen < this.messages.length; seen++) {
        const message = this.messages[seen] as string;
        if (match(message)) return message;
      }
      if (this.#isClosed) throw new Error('The WebSocket closed while a message was awaited.');
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /**
   * Sends one text message and resolves once it was written to the socket.
   * @param text the message
   */
  async send(text: string): Promise<void> {
    await new Promise<void>((resolve, reject) => {
      this.ws.send(text, (error) => {
        if (error) reject(error);
        else resolve();
      });
    });
  }

  /**
   * Closes the socket (a normal close from the browser) and waits until it has closed.
   * @returns the close the client saw
   */
  async close(): Promise<CloseInfo> {
    if (!this.#isClosed) this.ws.close(1000);
    return await this.closed;
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}

function textOf(data: WebSocket.RawData): string {
  if (Buffer.isBuffer(data)) return data.toString('utf8');
  if (Array.isArray(data)) return Buffer.concat(data).toString('utf8');
  return Buffer.from(data).toString('utf8');
}
