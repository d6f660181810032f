/**
 * @module Test helpers for the web layer: an Express server that mounts a router under a base path
 * (with a 418 fallback, so fall-through is visible), a raw HTTP client that sends paths exactly as
 * written, and a war-shaped zip built in memory with fflate.
 */
import { once } from 'node:events';
import { request, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import express, { type Router } from 'express';
import { zipSync } from 'fflate';

/** A response with its body read. */
export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** Request options of {@link MountedRouter.request}. */
export interface RawRequestOptions {
  readonly method?: string;
  readonly headers?: Readonly<Record<string, string>>;
}

/** A router served under a base path on 127.0.0.1, port 0. */
export class MountedRouter {
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  /**
   * Serves a router under a base path, then a fallback answering 418 "fallback".
   * @param router the router under test
   * @param basePath where it is mounted, e.g. `/guacamole`
   * @returns the running server
   */
  static async start(router: Router, basePath = '/'): Promise<MountedRouter> {
    const app = express();
    app.set('etag', false);
    app.disable('x-powered-by');
    app.use(basePath, router);
    app.use((_req, res) => {
      res.status(418).type('text/plain').send('fallback');
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new MountedRouter(server);
  }

  /**
   * Sends a request with the path exactly as given (no `..` normalisation, no decoding).
   * @param path the request target
   * @param options method and headers
   * @returns the response, body read
   */
  async request(path: string, options: RawRequestOptions = {}): Promise<RawResponse> {
    const { port } = this.#server.address() as AddressInfo;
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      method: options.method ?? 'GET',
      headers: { ...options.headers },
    });
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) };
  }

  /** Stops the server. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }
}

/**
 * Zips files (deflated) as a war is.
 * @param files entry name → text or bytes; names ending in `/` become directory entries
 * @returns the zip
 */
export function zip(files: Readonly<Record<string, string | Uint8Array>>): Uint8Array {
  const encoder = new TextEncoder();
  return zipSync(
    Object.fromEntries(
      Object.entries(files).map(([name, content]) => [
        name,
        typeof content === 'string' ? encoder.encode(content) : content,
      ]),
    ),
  );
}

/**
 * @param response a response
 * @returns its body as UTF-8 text
 */
export const text = (response: RawResponse): string => response.body.toString('utf8');
