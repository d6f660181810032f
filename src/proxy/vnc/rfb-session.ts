/**
 * @module RfbSession: the state and receive loop of one RFB connection. It runs the Handshake over the
 * RfbTransport (pausing while TLS starts or a credential is asked for), sends SetPixelFormat,
 * SetEncodings and the first FramebufferUpdateRequest, then dispatches server messages: FramebufferUpdate
 * through the UpdateReader into the Framebuffer, SetColourMapEntries (ignored), Bell and ServerCutText.
 * After each update it asks for the next one, a full one when the desktop size changed. It reports on
 * its VncClient's emitter; a protocol violation ends the connection with `error`, then `close`.
 */
import type { EventEmitter } from 'node:events';
import type { Duplex } from 'node:stream';
import { UpstreamError } from '../../protocol/index.js';
import { announcedEncodings, type VncClientOptions } from './client-options.js';
import type { RfbClipboard } from './clipboard.js';
import { createDecoders, type Decoder, type DecoderContext } from './decoders/index.js';
import { desktopSizeRequest, resizeDecoder } from './set-desktop-size.js';
import { internalError, protocolError } from './errors.js';
import { Framebuffer } from './framebuffer.js';
import { Handshake, type ServerInit } from './handshake.js';
import * as msg from './messages.js';
import { clientPixelFormat } from './pixel-format.js';
import { pixelReaders } from './pixel-reader.js';
import { RfbStream } from './rfb-stream.js';
import { RfbTransport } from './transport.js';
import { UpdateReader } from './update-reader.js';
import type { VncClientEvents } from './vnc-client.js';

/** Where a session is; `tls` also covers waiting for a credential the handshake asked for. */
export type SessionState = 'handshake' | 'tls' | 'message' | 'update' | 'closed';

/** One RFB connection's protocol state, from the handshake to the close. */
export class RfbSession {
  readonly #client: EventEmitter<VncClientEvents>;
  readonly #transport: RfbTransport;
  readonly #clipboard: RfbClipboard;
  readonly #options: VncClientOptions;
  readonly #stream = new RfbStream();
  readonly #decoders: Map<number, Decoder> = createDecoders();
  readonly #updates: UpdateReader;
  readonly #handshake: Handshake;
  #state: SessionState = 'handshake';
  readonly #framebuffer = new Framebuffer(0, 0);
  #init: ServerInit | undefined;
  #discard = 0;
  #fullUpdate = false;
  #size = '';
  #initialSize: { readonly width: number; readonly height: number } | undefined;

  /**
   * Starts the handshake on a connected transport.
   * @param transport the byte stream to the VNC server
   * @param options password, encodings and flags
   * @param clipboard reads ServerCutText
   * @param client the emitter the session reports on
   */
  constructor(
    transport: Duplex,
    options: VncClientOptions,
    clipboard: RfbClipboard,
    client: EventEmitter<VncClientEvents>,
  ) {
    this.#client = client;
    this.#updates = new UpdateReader(this.#decoders, this.#context);
    this.#options = options;
    this.#initialSize = options.desktopSize;
    this.#clipboard = clipboard;
    const { password, username, credentialPrompt: prompt } = options;
    const shared = options.shared ?? true;
    this.#handshake = new Handshake(
      { password, username, prompt, shared },
      (bytes) => {
        this.send(bytes);
      },
      (kind) => {
        const resume = this.#pause();
        this.#transport.startTls(kind, options.tls ?? {}, resume);
      },
      (until) => {
        const resume = this.#pause();
        until.then(resume, (error: unknown) => {
          this.#fail(error);
        });
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

  /** Where the session is. */
  get state(): SessionState {
    return this.#state;
  }

  /** The decoded screen. */
  get framebuffer(): Framebuffer {
    return this.#framebuffer;
  }

  /** The negotiated ServerInit, once `ready` was emitted. */
  get serverInit(): ServerInit | undefined {
    return this.#init;
  }

  /** The connection's decoder registry. */
  get decoders(): ReadonlyMap<number, Decoder> {
    return this.#decoders;
  }

  /**
   * Writes a message to the server, unless the connection is closed.
   * @param bytes the message
   */
  send(bytes: Uint8Array): void {
    if (this.#state !== 'closed') this.#transport.write(bytes);
  }

  /** Ends the connection without an error. */
  close(): void {
    if (this.#state === 'closed') return;
    this.#state = 'closed';
    this.#transport.destroy();
    this.#client.emit('close');
  }

  #onTransportClose(): void {
    if (this.#state === 'handshake' || this.#state === 'tls') {
      const message = 'The VNC server closed the connection during the handshake.';
      this.#fail(new UpstreamError(message, { code: 'RFB_CLOSED' }));
    } else if (this.#state !== 'message' || this.#stream.available > 0 || this.#discard > 0) {
      this.#fail(protocolError('RFB_TRUNCATED', 'the connection closed inside a message.'));
    } else this.close();
  }

  /**
   * Pauses the handshake (the 'tls' state) while TLS starts or an asked credential is awaited.
   * @returns what resumes it
   */
  #pause(): () => void {
    this.#state = 'tls';
    return () => {
      if (this.#state !== 'tls') return;
      this.#state = 'handshake';
      this.#receive(new Uint8Array(0));
    };
  }

  #fail(error: unknown): void {
    if (this.#state === 'closed') return;
    const failure = internalError(error);
    this.#state = 'closed';
    this.#transport.destroy();
    if (this.#client.listenerCount('error') > 0) this.#client.emit('error', failure);
    this.#client.emit('close');
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
    this.send(msg.setPixelFormat(format));
    this.send(msg.setEncodings(announcedEncodings(this.#options)));
    this.#requestUpdate(false);
    this.#state = 'message';
    this.#client.emit('ready', init);
    return true;
  }

  #requestUpdate(incremental: boolean): void {
    const { width, height } = this.#framebuffer;
    this.send(msg.framebufferUpdateRequest(incremental, { x: 0, y: 0, width, height }));
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
        this.#client.emit('bell');
        return true;
      case msg.ServerMessage.SERVER_CUT_TEXT: {
        const skip = this.#clipboard.read(this.#stream);
        if (skip === undefined) return false;
        this.#discard = skip;
        return true;
      }
      default:
        throw protocolError('RFB_UNKNOWN_MESSAGE', `unknown server message type ${type}.`);
    }
  }

  #endUpdate(): boolean {
    this.#state = 'message';
    this.#client.emit('frameEnd');
    const initial = this.#initialSize;
    if (initial !== undefined && resizeDecoder(this.#decoders) !== undefined) {
      this.#initialSize = undefined;
      const { width, height } = initial;
      const request = desktopSizeRequest(this.#decoders, this.#framebuffer, width, height);
      if (request !== undefined) this.send(request);
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
      update: (rect) => this.#client.emit('update', rect, this.#updates.encoding),
      copy: (srcX, srcY, dest) => this.#client.emit('copy', srcX, srcY, dest),
      resize: (width, height, screens) => {
        // A changed size needs a full update; libvncserver answers every full request with its size.
        const size = `${width}x${height}`;
        if (size !== this.#size) this.#fullUpdate = true;
        this.#size = size;
        this.#client.emit('resize', width, height, screens);
      },
      cursor: (cursor) => this.#client.emit('cursor', cursor),
      image: (rect, mimetype, data) => this.#client.emit('image', rect, mimetype, data),
    },
  };
}
