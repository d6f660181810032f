/**
 * @module RdpClient: one RDP connection over TLS, with NLA (CredSSP) when the server selects it, from
 * the X.224 negotiation to active updates. It emits
 * `ready` once the first activation finished, `bitmap`/`cursor` for drawing, `frameEnd` after each batch
 * of received data, `resize` on reactivation at a new size, then `error` or `close` exactly once.
 * Any malformed PDU ends this connection only, with an RdpProtocolError naming the problem.
 */
import { EventEmitter } from 'node:events';
import type net from 'node:net';
import { GuacamoleError } from '../../protocol/index.js';
import type { DecodedBitmap } from './bitmap.js';
import { clientInfoForSettings } from './client-info.js';
import { CLIPRDR_CHANNEL, ClipboardChannel } from './cliprdr.js';
import { disconnectError } from './error-info.js';
import { protocolError } from './errors.js';
import { FastPathReader } from './fastpath.js';
import { parseConferenceCreateResponse } from './gcc.js';
import { InputSender } from './input.js';
import { handleLicensePdu } from './licensing.js';
import * as mcs from './mcs.js';
import { NlaSession } from './nla/index.js';
import type { RdpCursor } from './pointer.js';
import { ShareSession } from './share-session.js';
import { FrameReader, type RdpFrame } from './tpkt.js';
import type { RdpSettings } from './settings.js';
import { connectInitialPacket, socketError, upgradeToTls } from './transport.js';
import { UpdateDecoder } from './updates.js';
import {
  PROTOCOL_HYBRID,
  PROTOCOL_HYBRID_EX,
  checkSelectedProtocol,
  connectionRequest,
  requestedProtocols,
  parseConnectionConfirm,
  x224Data,
  x224Payload,
} from './x224.js';

type State = 'negotiate' | 'tls' | 'nla' | 'mcs' | 'attach' | 'join' | 'license' | 'active';

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

/** An RDP client speaking to one server over one socket. */
export class RdpClient extends EventEmitter<RdpClientEvents> {
  readonly #settings: RdpSettings;
  readonly #raw: net.Socket;
  #socket: net.Socket;
  #state: State = 'negotiate';
  readonly #frames = new FrameReader();
  readonly #fastPath = new FastPathReader();
  readonly #decoder: UpdateDecoder;
  readonly #input: InputSender;
  readonly #requested: number;
  #selected = 0;
  #nla: NlaSession | undefined;
  #userId = 0;
  #ioChannel = 0;
  #toJoin: number[] = [];
  #channelIds: readonly number[] = [];
  readonly #channels: string[];
  #clipChannel = -1;
  readonly #clipboard: ClipboardChannel;
  readonly #share: ShareSession;
  #drew = false;
  #done = false;

  /**
   * Starts the connection on a socket (connecting or connected); the Connection Request goes out now.
   * @param socket the TCP socket to the server
   * @param settings the connection settings
   */
  constructor(socket: net.Socket, settings: RdpSettings) {
    super();
    this.#settings = settings;
    this.#raw = socket;
    this.#socket = socket;
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
    this.#share = new ShareSession(
      settings,
      this.#decoder,
      (data) => {
        this.#sendIo(data);
      },
      {
        ready: (width, height) => this.emit('ready', width, height),
        resize: (width, height) => this.emit('resize', width, height),
      },
    );
    this.#channels = settings.disableCopy && settings.disablePaste ? [] : [CLIPRDR_CHANNEL];
    this.#clipboard = new ClipboardChannel(
      (chunk) => {
        this.#send(mcs.sendDataRequest(this.#userId, this.#clipChannel, chunk));
      },
      (text) => this.emit('clipboard', text),
      settings.clipboardBytes * 2,
    );
    this.#input = new InputSender(settings.keyboardLayout === 0x409, (pdu) => {
      this.#socket.write(pdu);
    });
    socket.on('data', this.#onData);
    socket.on('error', this.#onSocketError);
    socket.on('close', this.#onClose);
    this.#requested = requestedProtocols(settings.security);
    socket.write(connectionRequest(this.#requested, settings.username));
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
    if (this.#share.ready && !this.#done) this.#input.key(keysym, pressed);
  }

  /**
   * Sends the pointer position and Guacamole's button mask.
   * @param x the column
   * @param y the row
   * @param mask bit 0 left, 1 middle, 2 right, 3 wheel up, 4 wheel down
   */
  sendPointer(x: number, y: number, mask: number): void {
    if (this.#share.ready && !this.#done) this.#input.pointer(x, y, mask, this.desktop);
  }

  /**
   * Offers clipboard text to the server (when the clipboard channel is joined).
   * @param text the text
   */
  setClipboard(text: string): void {
    if (this.#clipChannel >= 0 && !this.#done) this.#clipboard.setText(text);
  }

  /** Asks the server to redraw the whole desktop (Refresh Rect). */
  refresh(): void {
    if (this.#share.ready && !this.#done) this.#share.refresh();
  }

  /** Closes the connection without emitting `close` or `error`. */
  close(): void {
    this.#done = true;
    this.#socket.destroy();
    this.#raw.destroy();
  }

  readonly #onData = (chunk: Buffer): void => {
    if (this.#done) return;
    try {
      let data: Buffer | undefined = chunk;
      if (this.#nla !== undefined) data = this.#nlaData(chunk);
      if (data === undefined) return;
      for (const frame of this.#frames.push(data)) {
        this.#frame(frame);
        if (this.#isDone()) return;
      }
      if (this.#drew) {
        this.#drew = false;
        this.emit('frameEnd');
      }
    } catch (error) {
      this.#fail(
        error instanceof GuacamoleError
          ? error
          : protocolError('RDP_INTERNAL', `cannot handle the server's data: ${String(error)}`),
      );
    }
  };

  readonly #onSocketError = (error: Error): void => {
    if (this.#state === 'nla' && this.#nla !== undefined) {
      this.#fail(this.#nla.closedError());
      return;
    }
    this.#fail(socketError(error, this.#state === 'tls'));
  };

  readonly #onClose = (): void => {
    if (this.#done) return;
    if (this.#state === 'nla' && this.#nla !== undefined) {
      this.#fail(this.#nla.closedError());
      return;
    }
    const error = this.#share.errorInfo === 0 ? undefined : disconnectError(this.#share.errorInfo);
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
    this.#socket.destroy();
    this.#raw.destroy();
    this.emit('error', error);
  }

  #send(payload: Uint8Array): void {
    this.#socket.write(x224Data(payload));
  }

  #sendIo(payload: Uint8Array): void {
    this.#send(mcs.sendDataRequest(this.#userId, this.#ioChannel, payload));
  }

  #frame(frame: RdpFrame): void {
    if (frame.fastPath) {
      if (this.#state !== 'active') throw protocolError('RDP_UNEXPECTED', 'early fast-path data.');
      for (const update of this.#fastPath.read(frame.data)) {
        this.#decoder.fastPath(update.code, update.data);
      }
      return;
    }
    if (this.#state === 'negotiate') {
      this.#selected = checkSelectedProtocol(parseConnectionConfirm(frame.data), this.#requested);
      this.#startTls();
      return;
    }
    const payload = x224Payload(frame.data);
    if (this.#state === 'mcs') {
      const userData = mcs.parseConnectResponse(payload);
      const server = parseConferenceCreateResponse(userData, this.#channels.length);
      this.#ioChannel = server.ioChannel;
      this.#channelIds = server.channelIds;
      this.#clipChannel = server.channelIds[0] ?? -1;
      this.#state = 'attach';
      this.#send(mcs.erectDomainRequest());
      this.#send(mcs.attachUserRequest());
      return;
    }
    const pdu = mcs.parseDomainPdu(payload);
    if (pdu.type === 'disconnect') {
      this.#onClose();
      this.close();
      return;
    }
    if (this.#state === 'attach' && pdu.type === 'attachUserConfirm') {
      if (pdu.result !== 0) throw protocolError('RDP_MCS_REFUSED', 'MCS Attach User refused.');
      this.#userId = pdu.userId;
      this.#share.userId = pdu.userId;
      this.#toJoin = [this.#userId, this.#ioChannel, ...this.#channelIds];
      this.#state = 'join';
      this.#joinNext();
    } else if (this.#state === 'join' && pdu.type === 'channelJoinConfirm') {
      if (pdu.result !== 0) {
        // A refused static channel is only unavailable; the user and I/O channels are required.
        if (pdu.channelId === this.#userId || pdu.channelId === this.#ioChannel) {
          throw protocolError('RDP_MCS_REFUSED', `joining channel ${pdu.channelId} refused.`);
        }
        if (pdu.channelId === this.#clipChannel) this.#clipChannel = -1;
      }
      this.#joinNext();
    } else if (pdu.type === 'data') {
      this.#channelData(pdu.channelId, pdu.data);
    } else {
      throw protocolError('RDP_UNEXPECTED', `unexpected MCS ${pdu.type} in state ${this.#state}.`);
    }
  }

  #startTls(): void {
    this.#state = 'tls';
    this.#raw.off('data', this.#onData);
    this.#raw.off('error', this.#onSocketError);
    this.#raw.off('close', this.#onClose);
    const secure = upgradeToTls(this.#raw, this.#settings);
    this.#socket = secure;
    secure.on('data', this.#onData);
    secure.on('error', this.#onSocketError);
    secure.on('close', this.#onClose);
    secure.once('secureConnect', () => {
      if (this.#done) return;
      if ((this.#selected & (PROTOCOL_HYBRID | PROTOCOL_HYBRID_EX)) === 0) {
        this.#startMcs();
        return;
      }
      try {
        this.#state = 'nla';
        this.#nla = new NlaSession(
          this.#settings,
          secure.getPeerX509Certificate(),
          (this.#selected & PROTOCOL_HYBRID_EX) !== 0,
          (data) => secure.write(data),
        );
      } catch (error) {
        this.#fail(
          error instanceof GuacamoleError ? error : protocolError('RDP_NLA', String(error)),
        );
      }
    });
  }

  #startMcs(): void {
    this.#state = 'mcs';
    this.#socket.write(connectInitialPacket(this.#settings, this.#selected, this.#channels));
  }

  /** @returns the bytes after NLA once it is over (MCS begins), else undefined */
  #nlaData(chunk: Buffer): Buffer | undefined {
    const rest = this.#nla?.push(chunk);
    if (rest === undefined) return undefined;
    this.#nla = undefined;
    this.#startMcs();
    return rest;
  }

  #joinNext(): void {
    const next = this.#toJoin.shift();
    if (next !== undefined) {
      this.#send(mcs.channelJoinRequest(this.#userId, next));
      return;
    }
    this.#state = 'license';
    this.#sendIo(clientInfoForSettings(this.#settings));
  }

  #channelData(channelId: number, data: Uint8Array): void {
    if (channelId === this.#clipChannel && this.#state === 'active') {
      this.#clipboard.receiveChunk(data);
      return;
    }
    if (channelId !== this.#ioChannel) return;
    if (this.#state === 'license') {
      const identity = { username: this.#settings.username, clientName: this.#settings.clientName };
      const step = handleLicensePdu(data, identity);
      if (step.done) this.#state = 'active';
      else if (step.reply) this.#sendIo(step.reply);
      return;
    }
    if (this.#state !== 'active') throw protocolError('RDP_UNEXPECTED', 'early channel data.');
    this.#share.handle(data);
  }
}
