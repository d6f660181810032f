/**
 * @module ReadLoop: Guacamole.HTTPTunnel's read side (tunnel-protocol.md §7.2) on the raw client. As soon
 * as the headers of the current read arrive with 200, the next read is sent, so two reads are always
 * outstanding; responses are consumed strictly in order, each must end with `0.;`, and the first non-200
 * read ends the loop.
 */
import { StringDecoder } from 'node:string_decoder';
import { END_OF_RESPONSE } from '../../src/tunnel/index.js';
import { bodyOf, type HttpTunnelClient, type StreamingRead } from './http-client.js';

/** How a read loop ended: the first read that did not answer 200. */
export interface ReadLoopEnd {
  readonly status: number;
  readonly code: string | undefined;
  readonly message: string | undefined;
}

/** A running read loop. */
export class ReadLoop {
  /** The body of every 200 response, in order, `0.;` markers included. */
  readonly bodies: string[] = [];
  /** Resolves when a read answers anything but 200, or with status 0 when a connection fails. */
  readonly done: Promise<ReadLoopEnd>;
  readonly #client: HttpTunnelClient;
  readonly #onText: (text: string) => void;
  readonly #inFlight = new Set<StreamingRead>();

  /**
   * Starts reading at once.
   * @param client the connected tunnel client
   * @param onText receives guacd's data as it streams, `0.;` markers removed
   */
  constructor(client: HttpTunnelClient, onText: (text: string) => void = () => undefined) {
    this.#client = client;
    this.#onText = onText;
    this.done = this.#run();
  }

  /** Responses whose body did not end with `0.;`. */
  get unmarked(): number {
    return this.bodies.filter((body) => !body.endsWith(END_OF_RESPONSE)).length;
  }

  /** Drops every outstanding read, as a closing browser tab does. */
  abort(): void {
    for (const read of this.#inFlight) read.abort();
  }

  async #run(): Promise<ReadLoopEnd> {
    try {
      return await this.#loop();
    } catch {
      // As XMLHttpRequest reports a dropped connection: status 0.
      return { status: 0, code: undefined, message: undefined };
    }
  }

  async #loop(): Promise<ReadLoopEnd> {
    let current = this.#start();
    for (;;) {
      const response = await current.response;
      if (response.statusCode !== 200) {
        await bodyOf(response);
        return {
          status: response.statusCode ?? 0,
          code: header(response.headers['guacamole-status-code']),
          message: header(response.headers['guacamole-error-message']),
        };
      }
      const next = this.#start();
      this.bodies.push(await this.#stream(current));
      this.#inFlight.delete(current);
      current = next;
    }
  }

  #start(): StreamingRead {
    const read = this.#client.read();
    this.#inFlight.add(read);
    return read;
  }

  /** Passes data on as it arrives, holding back the last 3 characters until the body ends. */
  async #stream(read: StreamingRead): Promise<string> {
    const decoder = new StringDecoder('utf8');
    let body = '';
    let held = '';
    for (let chunk = await read.nextChunk(); chunk; chunk = await read.nextChunk()) {
      const text = decoder.write(chunk);
      body += text;
      held += text;
      if (held.length > END_OF_RESPONSE.length) {
        this.#onText(held.slice(0, -END_OF_RESPONSE.length));
        held = held.slice(-END_OF_RESPONSE.length);
      }
    }
    const rest = decoder.end();
    body += rest;
    held += rest;
    const data = held.endsWith(END_OF_RESPONSE) ? held.slice(0, -END_OF_RESPONSE.length) : held;
    if (data !== '') this.#onText(data);
    return body;
  }
}

function header(value: string | string[] | undefined): string | undefined {
  return Array.isArray(value) ? value.join(', ') : value;
}
