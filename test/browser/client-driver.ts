/**
 * @module Drives a Guacamole.Client in a test page over one of six tunnels (our fixed WebSocket, HTTP and
 * Chained tunnels, or npm 1.5.0's) and logs what it reports in `window.driver.log`, for the end-to-end
 * tests against our real server: states, errors, names, clipboard text; plus canvas pixels and input.
 * It records the page's raw transport traffic as well (wire-recorder.ts).
 */

import type { Page } from 'playwright-core';
import type {
  GuacClient,
  GuacStream,
  GuacTunnel,
  GuacamoleFixes,
  GuacamoleNamespace,
  TestWindow,
} from './page-types.js';
import { recordWire, type WireWindow } from './wire-recorder.js';

/** The tunnel under test: ours (src/web/public) or npm 1.5.0's, over WebSocket, HTTP or both. */
export type ClientKind =
  'fixed-ws' | 'fixed-http' | 'fixed-chained' | 'npm-ws' | 'npm-http' | 'npm-chained';

/** Which StringWriter/StringReader carries clipboard text: ours or npm 1.5.0's. */
export type Codec = 'fixed' | 'npm';

/** One logged event. `tunnel-error` carries the ms since `connect` was called. */
export type DriverEntry =
  | ['client-state', number]
  | ['tunnel-state', number]
  | ['tunnel-error', number, string | null, number]
  | ['client-error', number, string | null]
  | ['uuid', string]
  | ['name', string]
  | ['clipboard', string, string];

/** Guacamole.Client.State. */
export const ClientState = { CONNECTED: 3, DISCONNECTED: 5 } as const;

/** A mouse state as Guacamole.Mouse.State's template. */
export interface MouseTemplate {
  x: number;
  y: number;
  left?: boolean;
  middle?: boolean;
  right?: boolean;
  up?: boolean;
  down?: boolean;
}

interface Canvas {
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  } | null;
}

interface E2EClient extends GuacClient {
  /** guacamole-common-js sends `pressed` as given: the web app passes 1 or 0. */
  sendKeyEvent(pressed: boolean | 0 | 1, keysym: number): void;
  getDisplay(): { flatten(): Canvas };
  sendMouseState(state: object): void;
  createClipboardStream(mimetype: string): GuacStream;
  createFileStream(mimetype: string, filename: string): GuacStream;
  onclipboard: ((stream: GuacStream, mimetype: string) => void) | null;
  onname: ((name: string) => void) | null;
}

interface E2ENamespace extends GuacamoleNamespace {
  readonly Client: new (tunnel: GuacTunnel) => E2EClient;
  readonly Mouse: { readonly State: new (template: MouseTemplate) => object };
}

/** What the driver keeps on `window`. */
interface DriverWindow extends Omit<TestWindow, 'Guacamole'>, WireWindow {
  readonly Guacamole: E2ENamespace;
  readonly fixed: GuacamoleFixes;
  driver: { client: E2EClient; tunnel: GuacTunnel; log: DriverEntry[]; codec: Codec };
}

/**
 * Creates the tunnel and a Guacamole.Client over it in the page, logs their events and connects.
 * @param page a test page (browser.ts)
 * @param kind the tunnel
 * @param data the connect data
 * @param codec which StringReader decodes received clipboard text; default ours
 */
export async function openClient(
  page: Page,
  kind: ClientKind,
  data: string,
  codec: Codec = 'fixed',
): Promise<void> {
  await page.evaluate(recordWire);
  await page.evaluate(
    ({ kind, data, codec }) => {
      const g = globalThis as unknown as DriverWindow;
      const { Guacamole, fixed } = g;
      const lib = kind.startsWith('fixed') ? fixed : Guacamole;
      const ws = () => new lib.WebSocketTunnel('/websocket-tunnel');
      const http = () => new lib.HTTPTunnel('/tunnel');
      const tunnel = kind.endsWith('-ws')
        ? ws()
        : kind.endsWith('-http')
          ? http()
          : new lib.ChainedTunnel(ws(), http());
      const client = new Guacamole.Client(tunnel);
      const log: DriverEntry[] = [];
      g.driver = { client, tunnel, log, codec };
      const started = performance.now();
      tunnel.onuuid = (uuid) => log.push(['uuid', uuid]);
      tunnel.onstatechange = (state) => log.push(['tunnel-state', state]);
      tunnel.onerror = (status) => {
        const elapsed = Math.round(performance.now() - started);
        log.push(['tunnel-error', status.code, status.message ?? null, elapsed]);
      };
      client.onstatechange = (state) => log.push(['client-state', state]);
      client.onerror = (status) => log.push(['client-error', status.code, status.message ?? null]);
      client.onname = (name) => log.push(['name', name]);
      client.onclipboard = (stream, mimetype) => {
        const reader = new (codec === 'fixed' ? fixed : Guacamole).StringReader(stream);
        let text = '';
        reader.ontext = (more) => (text += more);
        reader.onend = () => log.push(['clipboard', mimetype, text]);
      };
      client.connect(data);
    },
    { kind, data, codec },
  );
}

/**
 * Waits until the driver has logged an entry of this kind.
 * @param page the page
 * @param kind the entry's first element
 * @param timeout ms before failing, default 5000
 * @returns the first such entry
 */
export async function waitForDriver<K extends DriverEntry[0]>(
  page: Page,
  kind: K,
  timeout = 5000,
): Promise<Extract<DriverEntry, [K, ...unknown[]]>> {
  const handle = await page.waitForFunction(
    (kind) => (globalThis as unknown as DriverWindow).driver.log.find((e) => e[0] === kind),
    kind,
    { timeout, polling: 20 },
  );
  return (await handle.jsonValue()) as Extract<DriverEntry, [K, ...unknown[]]>;
}

/**
 * Waits until the client reaches a state.
 * @param page the page
 * @param state a Guacamole.Client.State
 */
export async function waitForClientState(page: Page, state: number): Promise<void> {
  await page.waitForFunction(
    (state) =>
      (globalThis as unknown as DriverWindow).driver.log.some(
        (e) => e[0] === 'client-state' && e[1] === state,
      ),
    state,
    { timeout: 5000, polling: 20 },
  );
}

/**
 * @param page the page
 * @returns everything the driver logged so far
 */
export async function driverLog(page: Page): Promise<DriverEntry[]> {
  return await page.evaluate(() => (globalThis as unknown as DriverWindow).driver.log);
}

/**
 * Reads pixels of the client's display, all layers flattened onto one canvas.
 * @param page the page
 * @param points [x, y] pairs
 * @returns the RGBA of each point
 */
export async function displayPixels(
  page: Page,
  points: readonly (readonly [number, number])[],
): Promise<number[][]> {
  return await page.evaluate((points) => {
    const canvas = (globalThis as unknown as DriverWindow).driver.client.getDisplay().flatten();
    const context = canvas.getContext('2d');
    if (!context) throw new Error('No 2d context on the flattened display.');
    return points.map(([x, y]) => Array.from(context.getImageData(x, y, 1, 1).data));
  }, points);
}

/**
 * Sends input through the client: a key press, then a mouse state.
 * @param page the page
 * @param keysym the key pressed
 * @param mouse the mouse state
 */
export async function sendInput(page: Page, keysym: number, mouse: MouseTemplate): Promise<void> {
  await page.evaluate(
    ({ keysym, mouse }) => {
      const { Guacamole, driver } = globalThis as unknown as DriverWindow;
      driver.client.sendKeyEvent(1, keysym);
      driver.client.sendMouseState(new Guacamole.Mouse.State(mouse));
    },
    { keysym, mouse },
  );
}

/**
 * Writes text to a new stream of the client, with ours or npm 1.5.0's StringWriter.
 * @param page the page
 * @param text the text
 * @param target `clipboard` (a clipboard stream) or a file name (a file stream, name sent as is)
 * @param codec which StringWriter encodes the text; default ours
 */
export async function sendText(
  page: Page,
  text: string,
  target: { clipboard: true } | { file: string },
  codec: Codec = 'fixed',
): Promise<void> {
  await page.evaluate(
    ({ text, target, codec }) => {
      const { Guacamole, fixed, driver } = globalThis as unknown as DriverWindow;
      const stream =
        'file' in target
          ? driver.client.createFileStream('text/plain', target.file)
          : driver.client.createClipboardStream('text/plain');
      const writer = new (codec === 'fixed' ? fixed : Guacamole).StringWriter(stream);
      writer.sendText(text);
      writer.sendEnd();
    },
    { text, target, codec },
  );
}

/**
 * Calls `client.disconnect()` at a moment when no HTTP tunnel write is in flight. Every HTTPTunnel (npm
 * 1.5.0's, upstream's, ours) queues `disconnect` behind a write in flight (a `nop` goes out every 500 ms)
 * and never sends that queue once the tunnel has closed, so guacd would not get the instruction; the
 * server then closes the session only when its idle sweep finds the tunnel unused (15–30 s).
 * @param page the page
 */
export async function disconnect(page: Page): Promise<void> {
  await page.evaluate(async () => {
    const g = globalThis as unknown as DriverWindow;
    await new Promise<void>((resolve) => {
      const attempt = () => {
        if ((g.wire?.writesInFlight ?? 0) > 0) {
          setTimeout(attempt, 2);
          return;
        }
        g.driver.client.disconnect();
        resolve();
      };
      attempt();
    });
  });
}
