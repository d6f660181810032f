/**
 * @module Records a test page's raw tunnel traffic beside the tunnels: WebSocket messages received, HTTP
 * read responses, and HTTP writes in flight. Tests then see what reached the page whether or not a
 * tunnel's parser made sense of it.
 */

import type { Page } from 'playwright-core';

/** An XMLHttpRequest (the parts used). */
interface Xhr {
  e2eWrite?: boolean;
  readonly responseText: string;
  addEventListener(type: string, listener: () => void): void;
}

/** A WebSocket (the parts used). */
interface Socket {
  addEventListener(type: 'message', listener: (event: { data: unknown }) => void): void;
}

/** What the page's transports carried, recorded beside the tunnels (see {@link recordWire}). */
export interface Wire {
  /** Text of every WebSocket message received. */
  readonly frames: string[];
  /** Every HTTP tunnel read request (their responseText grows as data arrives). */
  readonly reads: Xhr[];
  /** HTTP tunnel writes sent and not yet finished (client-driver.ts's `disconnect` waits for 0). */
  writesInFlight: number;
}

/** The page's globals once {@link recordWire} ran. */
export interface WireWindow {
  wire?: Wire;
}

/**
 * Runs in the page (once; later calls do nothing): wraps XMLHttpRequest and WebSocket so that tests can
 * see what arrived on the wire, whether or not the tunnel's parser made sense of it, and whether an HTTP
 * write is in flight. Self-contained, as `page.evaluate` serializes it.
 */
export function recordWire(): void {
  const g = globalThis as unknown as WireWindow;
  if (g.wire !== undefined) return;
  const wire: Wire = { frames: [], reads: [], writesInFlight: 0 };
  g.wire = wire;
  const globals = globalThis as unknown as {
    XMLHttpRequest: { prototype: object };
    WebSocket: new (url: string, protocol: string) => Socket;
  };
  const XHR = globals.XMLHttpRequest.prototype as {
    open: (this: Xhr, method: string, url: string, ...rest: unknown[]) => void;
    send: (this: Xhr, body?: unknown) => void;
  };
  const { open, send } = XHR;
  XHR.open = function (this: Xhr, method, url, ...rest) {
    this.e2eWrite = url.includes('?write:');
    if (url.includes('?read:')) wire.reads.push(this);
    open.call(this, method, url, ...rest);
  };
  XHR.send = function (this: Xhr, body) {
    if (this.e2eWrite === true) {
      wire.writesInFlight++;
      this.addEventListener('loadend', () => {
        wire.writesInFlight--;
      });
    }
    send.call(this, body);
  };
  const NativeWebSocket = globals.WebSocket;
  globals.WebSocket = class extends NativeWebSocket {
    constructor(url: string, protocol: string) {
      super(url, protocol);
      this.addEventListener('message', (event) => wire.frames.push(String(event.data)));
    }
  };
}

/**
 * Waits until the page's WebSocket messages or HTTP read responses have carried `text`; the tunnel has
 * parsed that data by then (it parses in the same task that delivers it).
 * @param page the page
 * @param text the text
 */
export async function waitForWire(page: Page, text: string): Promise<void> {
  await page.waitForFunction(
    (text) => {
      const wire = (globalThis as unknown as WireWindow).wire;
      const received = [...(wire?.frames ?? []), ...(wire?.reads ?? []).map((x) => x.responseText)];
      return received.some((t) => t.includes(text));
    },
    text,
    { timeout: 5000, polling: 20 },
  );
}
