/**
 * @module A raw HTTP tunnel client on node:http: exact status, headers and body bytes, with read responses
 * observable chunk by chunk while they stream. Each request uses its own connection (`agent: false`), as
 * the browser's concurrent XHRs do, and nothing is kept alive after a test.
 */
import assert from 'node:assert/strict';
import http, {
  type ClientRequest,
  type IncomingHttpHeaders,
  type IncomingMessage,
} from 'node:http';

/** A complete response. */
export interface HttpResult {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
  readonly text: string;
}

/** What to send. */
export interface RequestOptions {
  readonly method?: string;
  /** The raw query string after `?`; undefined sends no `?` at all. */
  readonly query?: string | undefined;
  readonly path?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** The body; undefined sends none. */
  readonly body?: string | Buffer;
  /** Leaves the request open (chunked) for the caller to write and end. */
  readonly open?: boolean;
}

/** A request in flight: the response resolves once its headers arrived. */
export interface PendingRequest {
  readonly request: ClientRequest;
  readonly response: Promise<IncomingMessage>;
}

/**
 * Starts a request to the server.
 * @param port the server port
 * @param options method, query, headers, body
 * @returns the request and its (header) response
 */
export function startRequest(port: number, options: RequestOptions = {}): PendingRequest {
  const path =
    (options.path ?? '/tunnel') + (options.query === undefined ? '' : `?${options.query}`);
  const request = http.request({
    host: '127.0.0.1',
    port,
    path,
    method: options.method ?? 'GET',
    // A complete body always carries its length: Node would send a GET body unframed.
    headers:
      options.body === undefined || options.open === true
        ? options.headers
        : { 'Content-Length': String(Buffer.byteLength(options.body)), ...options.headers },
    agent: false,
  });
  // Aborting is how tests close: the resulting socket error is expected.
  request.on('error', () => undefined);
  const response = new Promise<IncomingMessage>((resolve, reject) => {
    request.once('response', resolve);
    request.once('close', () => {
      reject(new Error(`${path}: closed without a response.`));
    });
  });
  response.catch(() => undefined);
  if (options.open === true) {
    if (options.body !== undefined) request.write(options.body);
  } else if (options.body !== undefined) request.end(options.body);
  else request.end();
  return { request, response };
}

/**
 * Reads a whole response body.
 * @param response the response
 * @returns its bytes
 */
export async function bodyOf(response: IncomingMessage): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of response) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

/**
 * Sends a request and reads the whole response.
 * @param port the server port
 * @param options method, query, headers, body
 * @returns status, headers and body
 */
export async function fetchTunnel(port: number, options: RequestOptions = {}): Promise<HttpResult> {
  const response = await startRequest(port, options).response;
  const body = await bodyOf(response);
  return {
    status: response.statusCode ?? 0,
    headers: response.headers,
    body,
    text: body.toString('utf8'),
  };
}

/** A read response observed as it streams. */
export class StreamingRead {
  readonly pending: PendingRequest;
  readonly #chunks: Buffer[] = [];
  #ended = false;
  #waiters: (() => void)[] = [];
  #consumed = 0;

  /** @param pending the read request */
  constructor(pending: PendingRequest) {
    this.pending = pending;
    pending.response.then(
      (response) => {
        response.on('data', (chunk: Buffer) => {
          this.#chunks.push(chunk);
          this.#wake();
        });
        response.once('end', () => {
          this.#ended = true;
          this.#wake();
        });
        response.once('close', () => {
          this.#ended = true;
          this.#wake();
        });
      },
      () => {
        this.#ended = true;
        this.#wake();
      },
    );
  }

  /** Resolves with the response once its headers arrived. */
  get response(): Promise<IncomingMessage> {
    return this.pending.response;
  }

  /** @returns the next body chunk as received, or null once the body has ended */
  async nextChunk(): Promise<Buffer | null> {
    for (;;) {
      const chunk = this.#chunks[this.#consumed];
      if (chunk !== undefined) {
        this.#consumed++;
        return chunk;
      }
      if (this.#ended) return null;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  /** @returns the whole body (every chunk, consumed or not), once it has ended */
  async body(): Promise<Buffer> {
    while (!this.#ended) await new Promise<void>((resolve) => this.#waiters.push(resolve));
    return Buffer.concat(this.#chunks);
  }

  /** Drops the connection, as a closing browser tab does. */
  abort(): void {
    this.pending.request.destroy();
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** One HTTP tunnel as Guacamole.HTTPTunnel uses it: connect, then reads and writes with the token. */
export class HttpTunnelClient {
  readonly port: number;
  readonly uuid: string;
  readonly token: string;
  /** The connect response. */
  readonly connectResult: HttpResult;
  #reads = 0;

  private constructor(port: number, result: HttpResult) {
    this.port = port;
    this.connectResult = result;
    this.uuid = result.text;
    this.token = String(result.headers['guacamole-tunnel-token']);
  }

  /**
   * Connects like the JS client: `POST ?connect` with a form body.
   * @param port the server port
   * @param body the URL-encoded connect data
   * @param headers extra headers
   * @returns the client
   * @throws {Error} when the connect does not answer 200 (with the status headers in the message)
   */
  static async connect(
    port: number,
    body = '',
    headers: Readonly<Record<string, string>> = {},
  ): Promise<HttpTunnelClient> {
    const result = await fetchTunnel(port, {
      method: 'POST',
      query: 'connect',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8', ...headers },
      body,
    });
    if (result.status !== 200) {
      const code = String(result.headers['guacamole-status-code']);
      throw new Error(`connect answered ${result.status} (${code}).`);
    }
    return new HttpTunnelClient(port, result);
  }

  /**
   * Starts `GET ?read:<uuid>:<n>`.
   * @param token the token to send; the client's own by default
   * @returns the streaming read
   */
  read(token: string = this.token): StreamingRead {
    const query = `read:${this.uuid}:${this.#reads++}`;
    const headers = { 'Guacamole-Tunnel-Token': token };
    return new StreamingRead(startRequest(this.port, { query, headers }));
  }

  /**
   * Sends `POST ?write:<uuid>` with the body and reads the answer.
   * @param body the instructions
   * @param token the token to send; the client's own by default
   * @returns the response
   */
  async write(body: string | Buffer, token: string = this.token): Promise<HttpResult> {
    return await fetchTunnel(this.port, {
      method: 'POST',
      query: `write:${this.uuid}`,
      headers: { 'Guacamole-Tunnel-Token': token, 'Content-Type': 'application/octet-stream' },
      body,
    });
  }
}

/**
 * Asserts a servlet-style error answer: the HTTP status plus `Guacamole-Status-Code` and
 * `Guacamole-Error-Message`, and no tunnel token.
 * @param result the response
 * @param expected the HTTP status, Guacamole code and message
 */
export function assertTunnelError(
  result: HttpResult,
  expected: { readonly http: number; readonly guac: number; readonly message: string },
): void {
  assert.deepEqual(
    {
      http: result.status,
      guac: result.headers['guacamole-status-code'],
      message: result.headers['guacamole-error-message'],
      token: result.headers['guacamole-tunnel-token'],
    },
    {
      http: expected.http,
      guac: String(expected.guac),
      message: expected.message,
      token: undefined,
    },
  );
}
