/**
 * @module The RFB client: runs the handshake over any Duplex, then decodes server messages into a
 * Framebuffer and reports them as events. Any protocol violation ends this connection with an
 * UpstreamError-class `error` event; the process and other connections are unaffected. This is the
 * public face: input, clipboard and resize requests; the RfbSession (rfb-session.ts) holds the state
 * and the receive loop, the RfbClipboard (clipboard.ts) the cut-text messages.
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import type { GuacamoleError } from '../../protocol/index.js';
import type { VncClientOptions } from './client-options.js';
import { RfbClipboard } from './clipboard.js';
import type { CursorImage, Screen } from './decoders/index.js';
import type { Framebuffer, Rect } from './framebuffer.js';
import type { ServerInit } from './handshake.js';
import * as msg from './messages.js';
import { RfbSession } from './rfb-session.js';
import { desktopSizeRequest, resizeDecoder } from './set-desktop-size.js';

export type { VncClientOptions } from './client-options.js';

/** The events a VncClient emits, with their arguments. */
export interface VncClientEvents {
  ready: [init: ServerInit];
  update: [rect: Rect, encoding: number];
  copy: [srcX: number, srcY: number, dest: Rect];
  resize: [width: number, height: number, screens: readonly Screen[]];
  cursor: [cursor: CursorImage];
  image: [rect: Rect, mimetype: 'image/jpeg' | 'image/png', data: Uint8Array];
  clipboard: [text: string];
  bell: [];
  frameEnd: [];
  error: [error: GuacamoleError];
  close: [];
}

/** An RFB 3.3/3.7/3.8 client over a Duplex transport. */
export class VncClient extends EventEmitter<VncClientEvents> {
  readonly #clipboard: RfbClipboard;
  readonly #session: RfbSession;

  /**
   * Starts the handshake on a connected transport.
   * @param transport the byte stream to the VNC server (a socket, or an in-memory pair in tests)
   * @param options password, encodings and flags
   */
  constructor(transport: Duplex, options: VncClientOptions = {}) {
    super();
    this.#clipboard = new RfbClipboard(
      options.clipboardEncoding,
      (bytes) => {
        this.#session.send(bytes);
      },
      (text) => this.emit('clipboard', text),
    );
    this.#session = new RfbSession(transport, options, this.#clipboard, this);
  }

  /** The decoded screen. */
  get framebuffer(): Framebuffer {
    return this.#session.framebuffer;
  }

  /** The negotiated ServerInit, once `ready` was emitted. */
  get serverInit(): ServerInit | undefined {
    return this.#session.serverInit;
  }

  /** Whether the server accepts SetDesktopSize (it has sent ExtendedDesktopSize). */
  get canResize(): boolean {
    return resizeDecoder(this.#session.decoders) !== undefined;
  }

  /**
   * Sends a key press or release.
   * @param keysym the X11 keysym
   * @param pressed true for press
   */
  sendKey(keysym: number, pressed: boolean): void {
    if (this.#session.state !== 'handshake') this.#session.send(msg.keyEvent(keysym, pressed));
  }

  /**
   * Sends the pointer position and button mask (bits 3 and 4 are wheel up and down).
   * @param x column
   * @param y row
   * @param buttons button mask
   */
  sendPointer(x: number, y: number, buttons: number): void {
    if (this.#session.state !== 'handshake') this.#session.send(msg.pointerEvent(x, y, buttons));
  }

  /** Whether the server speaks the extended (UTF-8) clipboard. */
  get extendedClipboard(): boolean {
    return this.#clipboard.extended;
  }

  /**
   * Sends clipboard text: through the extended clipboard when the server has it and
   * `clipboard-encoding` is UTF-8 (as guacd does), otherwise as ClientCutText in that encoding.
   * @param text the text
   */
  sendClipboard(text: string): void {
    const state = this.#session.state;
    if (state === 'handshake' || state === 'tls' || state === 'closed') return;
    this.#clipboard.send(text);
  }

  /**
   * Asks the server to resize its desktop, if it supports ExtendedDesktopSize.
   * @param width the width
   * @param height the height
   * @returns whether a request was sent (false if unsupported, out of range or unchanged)
   */
  requestDesktopSize(width: number, height: number): boolean {
    if (this.#session.state === 'closed') return false;
    const { decoders, framebuffer } = this.#session;
    const request = desktopSizeRequest(decoders, framebuffer, width, height);
    if (request !== undefined) this.#session.send(request);
    return request !== undefined;
  }

  /** Ends the connection without an error. */
  close(): void {
    this.#session.close();
  }
}
