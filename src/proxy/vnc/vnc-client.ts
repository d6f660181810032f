/**
 * @module The RFB client: runs the handshake over any Duplex, then decodes server messages into a
 * Framebuffer and reports them as events. Any protocol violation ends this connection with an
 * UpstreamError-class `error` event; the process and other connections are unaffected.
 */
import { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { GuacamoleError, UpstreamError } from '../../protocol/index.js';
import {
  createDecoders,
  ExtendedDesktopSizeDecoder,
  type CursorImage,
  type Decoder,
  type DecoderContext,
  type Screen,
} from './decoders/index.js';
import { announcedEncodings, type VncClientOptions } from './client-options.js';
import {
  decodeClipboard,
  encodeClipboard,
  parseClipboardEncoding,
  type ClipboardEncoding,
} from './clipboard-encoding.js';
import { Encoding } from './encodings.js';
import { protocolError } from './errors.js';
import { Framebuffer, MAX_DIMENSION, type Rect } from './framebuffer.js';
import { ExtendedClipboard } from './extended-clipboard.js';
import { Handshake, type ServerInit } from './handshake.js';
import * as msg from './messages.js';
import { clientPixelFormat } from './pixel-format.js';
import { pixelReaders } from './pixel-reader.js';
import { RfbStream } from './rfb-stream.js';
import type { TlsKind } from './security/index.js';
import { RfbTransport } from './transport.js';

export type { VncClientOptions } from './client-options.js';
import { UpdateReader } from './update-reader.js';

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

type State = 'handshake' | 'tls' | 'message' | 'update' | 'closed';

/** An RFB 3.3/3.7/3.8 client over a Duplex transport. */
export class VncClient extends EventEmitter<VncClientEvents> {
  readonly #transport: RfbTransport;
  readonly #clipboardEncoding: ClipboardEncoding;
  readonly #extendedClipboard: ExtendedClipboard;
  readonly #options: VncClientOptions;
  readonly #stream = new RfbStream();
  readonly #decoders: Map<number, Decoder> = createDecoders();
  readonly #updates: UpdateReader;
  readonly #handshake: Handshake;
  #state: State = 'handshake';
  readonly #framebuffer = new Framebuffer(0, 0);
  #init: ServerInit | undefined;
  #discard = 0;
  #fullUpdate = false;
  #size = '';
  #initialSize: { readonly width: number; readonly height: number } | undefined;

  /**
   * Starts the handshake on a connected transport.
   * @param transport the byte stream to the VNC server (a socket, or an in-memory pair in tests)
   * @param options password, encodings and flags
   */
  constructor(transport: Duplex, options: VncClientOptions = {}) {
    super();
    this.#updates = new UpdateReader(this.#decoders, this.#context);
    this.#options = options;
    this.#initialSize = options.desktopSize;
    this.#clipboardEncoding = parseClipboardEncoding(options.clipboardEncoding);
    const send = (bytes: Uint8Array) => {
      this.#send(bytes);
    };
    this.#extendedClipboard = new ExtendedClipboard(send, (text) => this.emit('clipboard', text));
    const { password, username, credentialPrompt: prompt } = options;
    const shared = options.shared ?? true;
    this.#handshake = new Handshake(
      { password, username, prompt, shared },
      send,
      (kind) => {
        this.#startTls(kind);
      },
      (until) => {
        this.#waitFor(until);
      },
    );
    this.#transport = new RfbTransport(transport, {
      data: (chunk) => {
        this.#receive(chunk);
      },
      error: (error) => {
        this.#fail(error);
      },
      close: () => {
        this.#onTransportClose();
      },
    });
  }

  #onTransportClose(): void {
    if (this.#state === 'handshake' || this.#state === 'tls') {
      const message = 'The VNC server closed the connection during the handshake.';
      this.#fail(new UpstreamError(message, { code: 'RFB_CLOSED' }));
    } else if (this.#state !== 'message' || this.#stream.available > 0 || this.#discard > 0) {
      this.#fail(protocolError('RFB_TRUNCATED', 'the connection closed inside a message.'));
    } else this.close();
  }

  #startTls(kind: TlsKind): void {
    this.#state = 'tls';
    this.#transport.startTls(kind, this.#options.tls ?? {}, () => {
      if (this.#state !== 'tls') return;
      this.#state = 'handshake';
      this.#receive(new Uint8Array(0));
    });
  }

  /** Pauses the handshake as TLS does (the 'tls' state) until `until` settles: asked credentials. */
  #waitFor(until: Promise<unknown>): void {
    this.#state = 'tls';
    until.then(
      () => {
        if (this.#state !== 'tls') return;
        this.#state = 'handshake';
        this.#receive(new Uint8Array(0));
      },
      (error: unknown) => {
        this.#fail(error);
      },
    );
  }

  /** The decoded screen. */
  get framebuffer(): Framebuffer {
    return this.#framebuffer;
  }

  /** The negotiated ServerInit, once `ready` was emitted. */
  get serverInit(): ServerInit | undefined {
    return this.#init;
  }

  /** Whether the server accepts SetDesktopSize (it has sent ExtendedDesktopSize). */
  get canResize(): boolean {
    const decoder = this.#decoders.get(Encoding.EXTENDED_DESKTOP_SIZE);
    return decoder instanceof ExtendedDesktopSizeDecoder && decoder.supported;
  }

  /**
   * Sends a key press or release.
   * @param keysym the X11 keysym
   * @param pressed true for press
   */
  sendKey(keysym: number, pressed: boolean): void {
    if (this.#state !== 'handshake') this.#send(msg.keyEvent(keysym, pressed));
  }

  /**
   * Sends the pointer position and button mask (bits 3 and 4 are wheel up and down).
   * @param x column
   * @param y row
   * @param buttons button mask
   */
  sendPointer(x: number, y: number, buttons: number): void {
    if (this.#state !== 'handshake') this.#send(msg.pointerEvent(x, y, buttons));
  }

  /** Whether the server speaks the extended (UTF-8) clipboard. */
  get extendedClipboard(): boolean {
    return this.#extendedClipboard.active;
  }

  /**
   * Sends clipboard text: through the extended clipboard when the server has it and
   * `clipboard-encoding` is UTF-8 (as guacd does), otherwise as ClientCutText in that encoding.
   * @param text the text
   */
  sendClipboard(text: string): void {
    if (this.#state === 'handshake' || this.#state === 'tls' || this.#state === 'closed') return;
    if (this.#clipboardEncoding === 'UTF-8' && this.#extendedClipboard.active) {
      this.#extendedClipboard.offer(text);
    } else this.#send(msg.clientCutText(encodeClipboard(text, this.#clipboardEncoding)));
  }

  /**
   * Asks the server to resize its desktop, if it supports ExtendedDesktopSize.
   * @param width the width
   * @param height the height
   * @returns whether a request was sent (false if unsupported or the size is out of range)
   */
  requestDesktopSize(width: number, height: number): boolean {
    const valid = (n: number) => Number.isInteger(n) && n > 0 && n <= MAX_DIMENSION;
    if (!this.canResize || this.#state === 'closed' || !valid(width) || !valid(height))
      return false;
    const decoder = this.#decoders.get(
      Encoding.EXTENDED_DESKTOP_SIZE,
    ) as ExtendedDesktopSizeDecoder;
    const { width: current, height: currentHeight } = this.#framebuffer;
    if (width === current && height === currentHeight) return false;
    // One screen covering the desktop, keeping the server's id and flags for it, as guacd does.
    const [first] = decoder.screens;
    const screen = { id: first?.id ?? 0, x: 0, y: 0, width, height, flags: first?.flags ?? 0 };
    this.#send(msg.setDesktopSize(width, height, [screen]));
    return true;
  }

  /** Ends the connection without an error. */
  close(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#transport.destroy();
    this.emit('close');
  }

  #send(bytes: Uint8Array): void {
    if (this.#state !== 'closed') this.#transport.write(bytes);
  }

  #fail(error: unknown): void {
    if (this.#state === 'closed') return;
    const failure =
      error instanceof GuacamoleError
        ? error
        : protocolError('RFB_INTERNAL', `unexpected failure (${String(error)}).`);
    this.#state = 'closed';
    this.#transport.destroy();
    if (this.listenerCount('error') > 0) this.emit('error', failure);
    this.emit('close');
  }

  #receive(chunk: Uint8Array): void {
    if (this.#state === 'closed') return;
    this.#stream.push(chunk);
    try {
      while (this.#step());
    } catch (error) {
      this.#fail(error);
    }
  }

  /** Runs one state; returns whether it made progress. */
  #step(): boolean {
    switch (this.#state) {
      case 'handshake':
        return this.#handshakeStep();
      case 'message':
        return this.#message();
      case 'update': {
        const step = this.#updates.step(this.#stream);
        return step === 'end' ? this.#endUpdate() : step === 'progress';
      }
      case 'tls':
      case 'closed':
        return false;
    }
  }

  #handshakeStep(): boolean {
    const init = this.#handshake.step(this.#stream);
    if (!init) return false;
    this.#init = init;
    this.#framebuffer.resize(init.width, init.height);
    this.#size = `${init.width}x${init.height}`;
    const format = clientPixelFormat(this.#options.colorDepth ?? 24);
    this.#context.readers = pixelReaders(format, this.#options.swapRedBlue ?? false);
    this.#send(msg.setPixelFormat(format));
    this.#send(msg.setEncodings(announcedEncodings(this.#options)));
    this.#requestUpdate(false);
    this.#state = 'message';
    this.emit('ready', init);
    return true;
  }

  #requestUpdate(incremental: boolean): void {
    const { width, height } = this.#framebuffer;
    this.#send(msg.framebufferUpdateRequest(incremental, { x: 0, y: 0, width, height }));
  }

  #message(): boolean {
    if (this.#discard > 0) {
      const n = Math.min(this.#discard, this.#stream.available);
      this.#stream.skip(n);
      this.#discard -= n;
      return n > 0;
    }
    if (!this.#stream.has(1)) return false;
    const type = this.#stream.peek8();
    switch (type) {
      case msg.ServerMessage.FRAMEBUFFER_UPDATE:
        if (!this.#stream.has(4)) return false;
        this.#updates.begin(this.#stream.peek16(2));
        this.#stream.skip(4);
        this.#state = 'update';
        return true;
      case msg.ServerMessage.SET_COLOUR_MAP_ENTRIES: {
        // The client always asks for true colour, so colour map entries are read and ignored.
        if (!this.#stream.has(6)) return false;
        const length = 6 + this.#stream.peek16(4) * 6;
        if (!this.#stream.has(length)) return false;
        this.#stream.skip(length);
        return true;
      }
      case msg.ServerMessage.BELL:
        this.#stream.skip(1);
        this.emit('bell');
        return true;
      case msg.ServerMessage.SERVER_CUT_TEXT:
        return this.#serverCutText();
      default:
        throw protocolError('RFB_UNKNOWN_MESSAGE', `unknown server message type ${type}.`);
    }
  }

  /** ServerCutText: a negative length marks an extended-clipboard message of -length bytes. */
  #serverCutText(): boolean {
    if (!this.#stream.has(8)) return false;
    const signed = this.#stream.peek32(4) | 0;
    const length = Math.abs(signed);
    if (length > msg.MAX_CLIPBOARD_LENGTH) {
      // Too long to buffer: skip it as it arrives; the connection goes on.
      this.#stream.skip(8);
      this.#discard = length;
      return true;
    }
    if (!this.#stream.has(8 + length)) return false;
    this.#stream.skip(8);
    const body = this.#stream.shiftBytes(length);
    if (signed < 0) this.#extendedClipboard.receive(body);
    else this.emit('clipboard', decodeClipboard(body, this.#clipboardEncoding));
    return true;
  }

  #endUpdate(): boolean {
    this.#state = 'message';
    this.emit('frameEnd');
    const initial = this.#initialSize;
    if (initial !== undefined && this.canResize) {
      this.#initialSize = undefined;
      this.requestDesktopSize(initial.width, initial.height);
    }
    this.#requestUpdate(!this.#fullUpdate);
    this.#fullUpdate = false;
    return true;
  }

  /** The decoders' context; `readers` follows the format sent in SetPixelFormat. */
  readonly #context: { -readonly [K in keyof DecoderContext]: DecoderContext[K] } = {
    stream: this.#stream,
    framebuffer: this.#framebuffer,
    readers: pixelReaders(clientPixelFormat(32), false),
    sink: {
      update: (rect) => this.emit('update', rect, this.#updates.encoding),
      copy: (srcX, srcY, dest) => this.emit('copy', srcX, srcY, dest),
      resize: (width, height, screens) => {
        // A changed size needs a full update; libvncserver answers every full request with its size.
        const size = `${width}x${height}`;
        if (size !== this.#size) this.#fullUpdate = true;
        this.#size = size;
        this.emit('resize', width, height, screens);
      },
      cursor: (cursor) => this.emit('cursor', cursor),
      image: (rect, mimetype, data) => this.emit('image', rect, mimetype, data),
    },
  };
}
