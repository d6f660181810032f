/**
 * @module Drives one guacamole-common-js tunnel (or a Client over it) in a test page and logs its events
 * in `window.probe`, so that Node-side tests can wait for them; for end-to-end tunnel tests.
 */

import type { Page } from 'playwright-core';
import type { GuacClient, GuacTunnel, TestWindow } from './page-types.js';

/** Which tunnel class: npm 1.5.0's or ours (src/web/public), over WebSocket or HTTP. */
export type TunnelKind = 'npm-ws' | 'npm-http' | 'fixed-ws' | 'fixed-http';

/** One logged event: `['uuid', uuid]`, `['state', n]`, `['instruction', opcode, args]`, `['error', code, message]`. */
export type ProbeEntry =
  | ['uuid', string]
  | ['state', number]
  | ['instruction', string, string[]]
  | ['error', number, string | null];

/** What a probe keeps on `window`. */
export interface ProbeWindow extends TestWindow {
  probe: { tunnel: GuacTunnel; client: GuacClient | null; log: ProbeEntry[] };
}

/** Options of {@link openProbe}. */
export interface ProbeOptions {
  /** The connect data (query string / POST body). Default `''`. */
  data?: string;
  /** Wrap the tunnel in a Guacamole.Client and connect that (instructions then go to the client). */
  client?: boolean;
}

/**
 * Creates a tunnel in the page, logs its events into `window.probe.log` and connects it.
 * @param page a test page (browser.ts)
 * @param kind the tunnel class
 * @param url the tunnel URL (same origin as the page: `/tunnel`, `/websocket-tunnel`, …)
 * @param options connect data, and whether to connect through a Guacamole.Client
 */
export async function openProbe(
  page: Page,
  kind: TunnelKind,
  url: string,
  options: ProbeOptions = {},
): Promise<void> {
  const arg = { kind, url, data: options.data ?? '', client: options.client ?? false };
  await page.evaluate(({ kind, url, data, client }) => {
    const g = globalThis as unknown as ProbeWindow;
    const { Guacamole, fixed } = g;
    const make: Record<TunnelKind, () => GuacTunnel> = {
      'npm-ws': () => new Guacamole.WebSocketTunnel(url),
      'npm-http': () => new Guacamole.HTTPTunnel(url),
      'fixed-ws': () => new fixed.WebSocketTunnel(url),
      'fixed-http': () => new fixed.HTTPTunnel(url),
    };
    const tunnel = make[kind]();
    const log: ProbeEntry[] = [];
    g.probe = { tunnel, client: null, log };
    tunnel.onuuid = (uuid) => log.push(['uuid', uuid]);
    tunnel.onerror = (status) => log.push(['error', status.code, status.message ?? null]);
    if (client) {
      // Client takes over the tunnel's handlers; log what it reports instead.
      const c = new Guacamole.Client(tunnel);
      g.probe.client = c;
      c.onstatechange = (state) => log.push(['state', state]);
      c.onerror = (status) => log.push(['error', status.code, status.message ?? null]);
      c.connect(data);
    } else {
      tunnel.onstatechange = (state) => log.push(['state', state]);
      tunnel.oninstruction = (opcode, args) => log.push(['instruction', opcode, [...args]]);
      tunnel.connect(data);
    }
  }, arg);
}

/**
 * Waits until the probe has logged `entry` (compared as JSON).
 * @param page the page
 * @param entry the entry to wait for
 * @param timeout ms before failing, default 5000
 */
export async function waitForEntry(page: Page, entry: ProbeEntry, timeout = 5000): Promise<void> {
  await page.waitForFunction(
    (want) =>
      (globalThis as unknown as ProbeWindow).probe.log.some((e) => JSON.stringify(e) === want),
    JSON.stringify(entry),
    { timeout, polling: 20 },
  );
}

/**
 * @param page the page
 * @returns everything the probe logged so far
 */
export async function probeLog(page: Page): Promise<ProbeEntry[]> {
  return await page.evaluate(() => (globalThis as unknown as ProbeWindow).probe.log);
}

/**
 * Calls `sendMessage` on the probe's tunnel.
 * @param page the page
 * @param elements the opcode, then the arguments
 */
export async function probeSend(page: Page, ...elements: (string | number)[]): Promise<void> {
  await page.evaluate((elements) => {
    (globalThis as unknown as ProbeWindow).probe.tunnel.sendMessage(...elements);
  }, elements);
}

/**
 * @param page the page
 * @returns the probe tunnel's state
 */
export async function probeState(page: Page): Promise<number> {
  return await page.evaluate(() => (globalThis as unknown as ProbeWindow).probe.tunnel.state);
}
