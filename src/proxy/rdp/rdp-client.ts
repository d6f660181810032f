/**
 * @module RdpClient: one RDP connection over TLS, with NLA (CredSSP) when the server selects it, from
 * the X.224 negotiation to active updates. It emits
 * `ready` once the first activation finished, `bitmap`/`cursor` for drawing, `frameEnd` after each batch
 * of received data, `resize` on reactivation at a new size, then `error` or `close` exactly once.
 * Any malformed PDU ends this connection only, with an RdpProtocolError naming the problem. The
 * phases live in connection-sequence.ts, the TLS/NLA socket in secure-link.ts.
 */
import { EventEmitter } from 'node:events';
import type net from 'node:net';
import type { GuacamoleError } from '../../protocol/index.js';
import type { DecodedBitmap } from './bitmap.js';
import { ConnectionSequence } from './connection-sequence.js';
import { disconnectError } from './error-info.js';
import { internalError } from './errors.js';
import { InputSender } from './input.js';
import type { RdpCursor } from './pointer.js';
import { SecureLink } from './secure-link.js';
import type { RdpSettings } from './settings.js';
import { FrameReader } from './tpkt.js';
import { UpdateDecoder } from './updates.js';

/** The events of an RdpClient. */
export interface RdpClientEvents {
  ready: [width: number, height: number];
  bitmap: [bitmap: DecodedBitmap];
  cursor: [cursor: RdpCursor];
  resize: [width: number, height: number];
  clipboard: [text: string];
  frameEnd: [];
  error: [error: GuacamoleError];
  close: [];
}

/**
 * An RDP client speaking to one server over one socket. It owns the socket's data loop and the
 * connection's end; the ConnectionSequence handles each frame and the SecureLink the socket under it.
 */
export class RdpClient extends EventEmitter<RdpClientEvents> {
  readonly #link: SecureLink;
  readonly #frames = new FrameReader();
  readonly #decoder: UpdateDecoder;
  readonly #sequence: ConnectionSequence;
  readonly #input: InputSender;
  #drew = false;
  #done = false;

  /**
   * Starts the connection on a socket (connecting or connected); the Connection Request goes out now.
   * @param socket the TCP socket to the server
   * @param settings the connection settings
   */
  constructor(socket: net.Socket, settings: RdpSettings) {
    super();
    this.#decoder = new UpdateDecoder({
      bitmap: (bitmap) => {
        this.#drew = true;
        this.emit('bitmap', bitmap);
      },
      cursor: (cursor) => {
        this.#drew = true;
        this.emit('cursor', cursor);
      },
    });
    this.#link = new SecureLink(socket, settings, {
      data: this.#onData,
      error: (error) => {
        this.#fail(error);
      },
      close: this.#onClose,
    });
    this.#sequence = new ConnectionSequence(settings, this.#link, this.#decoder, {
      ready: (width, height) => this.emit('ready', width, height),
      resize: (width, height) => this.emit('resize', width, height),
      clipboard: (text) => this.emit('clipboard', text),
      disconnect: () => {
        this.#onClose();
        this.close();
      },
    });
    this.#input = new InputSender(settings.keyboardLayout === 0x409, (pdu) => {
      this.#link.write(pdu);
    });
  }

  /** The desktop size of the current activation. */
  get desktop(): { readonly width: number; readonly height: number } {
    return this.#decoder.desktop;
  }

  /**
   * Sends a key by keysym (scancodes for en-us, Unicode events otherwise).
   * @param keysym the X11 keysym
   * @param pressed true for press
   */
  sendKeysym(keysym: number, pressed: boolean): void {
    if (this.#sequence.ready && !this.#done) this.#input.key(keysym, pressed);
  }

  /**
   * Sends the pointer position and Guacamole's button mask.
   * @param x the column
   * @param y the row
   * @param mask bit 0 left, 1 middle, 2 right, 3 wheel up, 4 wheel down
   */
  sendPointer(x: number, y: number, mask: number): void {
    if (this.#sequence.ready && !this.#done) this.#input.pointer(x, y, mask, this.desktop);
  }

  /**
   * Offers clipboard text to the server (when the clipboard channel is joined).
   * @param text the text
   */
  setClipboard(text: string): void {
    if (!this.#done) this.#sequence.setClipboard(text);
  }

  /** Asks the server to redraw the whole desktop (Refresh Rect). */
  refresh(): void {
    if (!this.#done) this.#sequence.refresh();
  }

  /** Closes the connection without emitting `close` or `error`. */
  close(): void {
    this.#done = true;
    this.#link.destroy();
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#done) return;
    try {
      for (const frame of this.#frames.push(chunk)) {
        this.#sequence.frame(frame);
        if (this.#isDone()) return;
      }
      if (this.#drew) {
        this.#drew = false;
        this.emit('frameEnd');
      }
    } catch (error) {
      this.#fail(internalError(error));
    }
  };

  readonly #onClose = (): void => {
    if (this.#done) return;
    const { errorInfo } = this.#sequence;
    const error = errorInfo === 0 ? undefined : disconnectError(errorInfo);
    if (error !== undefined) {
      this.#fail(error);
      return;
    }
    this.#done = true;
    this.emit('close');
  };

  /** Read through a method, so that handlers that end the connection are not narrowed away. */
  #isDone(): boolean {
    return this.#done;
  }

  #fail(error: GuacamoleError): void {
    if (this.#done) return;
    this.#done = true;
    this.#link.destroy();
    this.emit('error', error);
  }
}
