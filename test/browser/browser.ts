/**
 * @module Harness for tests that run guacamole-common-js (and src/web/public) in real headless Chromium,
 * driven by playwright-core, against a static server on 127.0.0.1 that tests can extend with endpoints.
 *
 * Usage (node:test):
 *
 *     import { chromiumSkip, useTestPage } from './browser.js';
 *     import type { TestWindow } from './page-types.js';
 *
 *     describe('my feature', { skip: chromiumSkip() }, () => {
 *       const env = useTestPage({
 *         handle: (req, res) => req.url?.startsWith('/tunnel') ? (myHttpTunnel(req, res), true) : false,
 *         upgrade: (req, socket, head) => wss.handleUpgrade(req, socket, head, (ws) => wss.emit('connection', ws, req)),
 *       });
 *       it('works', async () => {
 *         const page = await env.newPage(); // or env.page, shared by the suite
 *         const n = await page.evaluate(() => {
 *           const { Guacamole, fixed } = globalThis as unknown as TestWindow;
 *           return new fixed.WebSocketTunnel('/websocket-tunnel').state; // same origin as the page
 *         });
 *       });
 *     });
 *
 * - `useTestPage` registers `before` (server, browser, a first page) and `after` (closes all) in the
 *   current suite; `serveTestPage`, `launchBrowser` and `openTestPage` are the same pieces, unwrapped.
 * - The page `/index.html` loads `/guacamole-common-js/guacamole-common.js` (npm 1.5.0, untouched) and
 *   `/fixes/guacamole-fixes.js` as ES modules and sets `window.Guacamole`, `window.fixes` and
 *   `window.fixed` (= `fixes.installGuacamoleFixes(Guacamole)`); see page-types.ts.
 * - Callbacks given to `page.evaluate` are serialized; tsx compiles named inner functions to
 *   `__name(...)` calls, so every page gets a `__name` shim first. Do not close over Node variables:
 *   pass them as the evaluate argument (lone surrogates survive the trip).
 * - fake-endpoints.ts has scripted fakes of both tunnel endpoints (`handle`/`upgrade`-ready), and
 *   tunnel-probe.ts drives a tunnel or Client in the page and logs its events (`openProbe`,
 *   `waitForEntry`, `probeLog`, `probeSend`); fixed-tunnels.test.ts shows both in use. For the real
 *   server, mount its handlers the same way (e.g. an Express app as `handle`, its upgrade handler).
 * - Chromium is Debian's /usr/bin/chromium (scripts/install-test-peers.sh; `CHROMIUM_PATH` overrides).
 *   Missing: suites skip with `chromiumSkip()`, except with CI=true, where launching fails instead.
 */

import { existsSync } from 'node:fs';
import { readFile, stat } from 'node:fs/promises';
import { createServer } from 'node:http';
import type { IncomingMessage, Server, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import { extname, join, resolve, sep } from 'node:path';
import type { Duplex } from 'node:stream';
import { fileURLToPath } from 'node:url';
import { after, before } from 'node:test';
import { chromium } from 'playwright-core';
import type { Browser, BrowserContext, Page } from 'playwright-core';

/** Debian's Chromium, unless `CHROMIUM_PATH` names another binary. */
export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

/**
 * Flags for this machine's closed network: without the background-networking ones Chromium keeps
 * trying to reach Google. Playwright adds a fresh temporary `--user-data-dir` and removes it on close.
 */
export const CHROMIUM_ARGS: readonly string[] = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

const ROOT = fileURLToPath(new URL('../../', import.meta.url));

/** URL prefix → folder served under it. */
const MOUNTS: readonly (readonly [string, string])[] = [
  ['/guacamole-common-js/', join(ROOT, 'node_modules/guacamole-common-js/dist/esm')],
  ['/fixes/', join(ROOT, 'src/web/public')],
];

const CONTENT_TYPES: Readonly<Record<string, string>> = {
  '.js': 'text/javascript; charset=utf-8',
  '.mjs': 'text/javascript; charset=utf-8',
  '.html': 'text/html; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.map': 'application/json',
  '.png': 'image/png',
};

/** The test page: both modules on `window`, then `testPageReady`. */
const INDEX_HTML = `<!doctype html>
<html><head><meta charset="utf-8"><title>guacamole browser tests</title>
<script type="module">
import Guacamole from '/guacamole-common-js/guacamole-common.js';
import * as fixes from '/fixes/guacamole-fixes.js';
window.Guacamole = Guacamole;
window.fixes = fixes;
window.fixed = fixes.installGuacamoleFixes(Guacamole);
window.testPageReady = true;
</script></head><body></body></html>
`;

/** esbuild's `__name` helper, which tsx-compiled evaluate callbacks call. */
const NAME_SHIM = `globalThis.__name ??= (fn, name) =>
  Object.defineProperty(fn, 'name', { value: name, configurable: true });`;

/** @returns why browser suites must skip (Chromium missing, not in CI), or false to run them */
export function chromiumSkip(): string | false {
  if (process.env.CI === 'true' || existsSync(CHROMIUM_PATH)) return false;
  return `Chromium not found at ${CHROMIUM_PATH}; run scripts/install-test-peers.sh as root`;
}

/**
 * Launches headless Chromium with {@link CHROMIUM_ARGS} and a fresh profile.
 * @returns the browser; close it in an `after` hook
 * @throws {Error} when Chromium is missing or does not start (never a skip: see {@link chromiumSkip})
 */
export async function launchBrowser(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(
      `Chromium not found at ${CHROMIUM_PATH}: install Debian's chromium package ` +
        '(scripts/install-test-peers.sh as root); `npx playwright install` cannot work here.',
    );
  }
  return await chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    chromiumSandbox: false,
    args: [...CHROMIUM_ARGS],
    timeout: 30_000,
  });
}

/** Options of {@link serveTestPage}. */
export interface TestPageOptions {
  /** Called first for every request; returns true when it has taken the request. Default: none. */
  handle?: (req: IncomingMessage, res: ServerResponse) => boolean;
  /** Takes every upgrade (WebSocket) request and owns its socket. Default: upgrades are refused. */
  upgrade?: (req: IncomingMessage, socket: Duplex, head: Buffer) => void;
}

/** A running test page server. */
export interface TestPageServer {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** `ws://127.0.0.1:<port>`. */
  readonly wsOrigin: string;
  /** The test page, `<origin>/index.html`. */
  readonly pageURL: string;
  /** The underlying server. */
  readonly server: Server;
  /** Stops listening and destroys every connection, upgraded ones included. */
  close(): Promise<void>;
}

/**
 * @param pathname a request path
 * @returns the file it maps to, or undefined (unknown prefix, or an escape from the folder)
 */
function staticFile(pathname: string): string | undefined {
  for (const [prefix, dir] of MOUNTS) {
    if (!pathname.startsWith(prefix)) continue;
    const file = resolve(dir, `.${decodeURIComponent(pathname.slice(prefix.length - 1))}`);
    return file.startsWith(dir + sep) ? file : undefined;
  }
  return undefined;
}

/**
 * @param req the request
 * @param res the response
 */
async function serveStatic(req: IncomingMessage, res: ServerResponse): Promise<void> {
  const { pathname } = new URL(req.url ?? '/', 'http://localhost');
  const headers = { 'Cache-Control': 'no-store' };
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.writeHead(405, headers).end();
    return;
  }
  if (pathname === '/' || pathname === '/index.html') {
    res.writeHead(200, { ...headers, 'Content-Type': CONTENT_TYPES['.html'] }).end(INDEX_HTML);
    return;
  }
  const file = staticFile(pathname);
  if (file === undefined || !(await stat(file).catch(() => undefined))?.isFile()) {
    res.writeHead(404, headers).end();
    return;
  }
  const type = CONTENT_TYPES[extname(file)] ?? 'application/octet-stream';
  res.writeHead(200, { ...headers, 'Content-Type': type }).end(await readFile(file));
}

/**
 * Serves the test page, guacamole-common-js and src/web/public on 127.0.0.1, port 0.
 * @param options extra request and upgrade handlers on the same origin
 * @returns the running server
 */
export async function serveTestPage(options: TestPageOptions = {}): Promise<TestPageServer> {
  const sockets = new Set<Socket>();
  const server = createServer((req, res) => {
    if (options.handle?.(req, res)) return;
    serveStatic(req, res).catch((err: unknown) => {
      if (!res.headersSent) res.writeHead(500);
      res.end(String(err));
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    if (options.upgrade) options.upgrade(req, socket, head);
    else socket.destroy();
  });
  await new Promise<void>((ok, fail) => {
    server.once('error', fail);
    server.listen(0, '127.0.0.1', ok);
  });
  const { port } = server.address() as AddressInfo;
  const origin = `http://127.0.0.1:${port}`;
  return {
    origin,
    wsOrigin: `ws://127.0.0.1:${port}`,
    pageURL: `${origin}/index.html`,
    server,
    close: async () => {
      const closed = new Promise<void>((ok) => {
        server.close(() => {
          ok();
        });
      });
      for (const socket of sockets) socket.destroy();
      await closed;
    },
  };
}

/** An open test page and what it reported. */
export interface TestPage {
  readonly page: Page;
  /** The page's own browser context (closing it closes the page). */
  readonly context: BrowserContext;
  /** Uncaught errors the page threw, in order. */
  readonly errors: readonly Error[];
}

/**
 * Opens the test page in a new browser context and waits until both modules have loaded.
 * @param browser the browser
 * @param server the test page server
 * @returns the page
 * @throws {Error} when the page does not become ready within 10 s (its errors are in the message)
 */
export async function openTestPage(browser: Browser, server: TestPageServer): Promise<TestPage> {
  const context = await browser.newContext();
  await context.addInitScript(NAME_SHIM);
  const page = await context.newPage();
  const errors: Error[] = [];
  const consoleErrors: string[] = [];
  page.on('pageerror', (err) => errors.push(err));
  page.on('console', (msg) => {
    if (msg.type() === 'error') consoleErrors.push(msg.text());
  });
  await page.goto(server.pageURL);
  try {
    await page.waitForFunction(
      () => (globalThis as { testPageReady?: boolean }).testPageReady === true,
      undefined,
      { timeout: 10_000 },
    );
  } catch (err) {
    await context.close();
    const seen = [...errors.map((e) => e.message), ...consoleErrors].join('; ') || 'none';
    throw new Error(`The test page did not load its modules (page errors: ${seen})`, {
      cause: err,
    });
  }
  return { page, context, errors };
}

/** What {@link useTestPage} gives a suite; its getters throw before the suite's `before` ran. */
export interface TestPageEnv {
  /** The browser. */
  readonly browser: Browser;
  /** The server (origin, wsOrigin, pageURL). */
  readonly server: TestPageServer;
  /** A test page opened in `before`, shared by the suite's tests. */
  readonly page: Page;
  /** Uncaught errors of every page opened so far. */
  readonly pageErrors: readonly Error[];
  /** Opens a fresh test page in its own context; closed in `after`. */
  newPage(): Promise<Page>;
}

/**
 * Registers `before` / `after` hooks in the current suite that start a test page server (with
 * `options`' handlers), launch Chromium and open one page, and close all of it afterwards.
 * @param options extra request and upgrade handlers on the page's origin
 * @returns accessors for the running browser, server and page
 */
export function useTestPage(options: TestPageOptions = {}): TestPageEnv {
  let server: TestPageServer | undefined;
  let browser: Browser | undefined;
  let first: Page | undefined;
  const errors: Error[] = [];
  const ready = <T>(value: T | undefined): T => {
    if (value === undefined) throw new Error('useTestPage: used before its before() hook ran');
    return value;
  };
  const newPage = async (): Promise<Page> => {
    const opened = await openTestPage(ready(browser), ready(server));
    opened.page.on('pageerror', (err) => errors.push(err));
    errors.push(...opened.errors);
    return opened.page;
  };

  before(async () => {
    server = await serveTestPage(options);
    browser = await launchBrowser();
    first = await newPage();
  });
  after(async () => {
    await browser?.close();
    await server?.close();
  });

  return {
    get browser() {
      return ready(browser);
    },
    get server() {
      return ready(server);
    },
    get page() {
      return ready(first);
    },
    get pageErrors() {
      return errors;
    },
    newPage,
  };
}
