/**
 * @module ConnectionSequence: what one RDP connection does with each frame from the server, phase by
 * phase (MS-RDPBCGR 1.3.1.1). The X.224 Connection Confirm starts TLS (and NLA) on the SecureLink; then
 * MCS Connect Response, Erect Domain and Attach User, one Channel Join per channel, the Client Info PDU
 * and licensing. Once active, fast-path updates go to the UpdateDecoder and slow-path channel data to the
 * ShareSession or the clipboard channel. A frame the current phase does not expect is an
 * RdpProtocolError.
 */
import { CLIPRDR_CHANNEL, ClipboardChannel } from './cliprdr.js';
import { clientInfoForSettings } from './client-info.js';
import { protocolError } from './errors.js';
import { FastPathReader } from './fastpath.js';
import { parseConferenceCreateResponse } from './gcc.js';
import { handleLicensePdu } from './licensing.js';
import * as mcs from './mcs.js';
import type { SecureLink } from './secure-link.js';
import type { RdpSettings } from './settings.js';
import { ShareSession, type ShareEvents } from './share-session.js';
import type { RdpFrame } from './tpkt.js';
import { connectInitialPacket } from './transport.js';
import type { UpdateDecoder } from './updates.js';
import {
  checkSelectedProtocol,
  connectionRequest,
  parseConnectionConfirm,
  requestedProtocols,
  x224Data,
  x224Payload,
} from './x224.js';

/** The phases; `tls` lasts until TLS (and NLA, which the SecureLink runs) finished. */
type State = 'negotiate' | 'tls' | 'mcs' | 'attach' | 'join' | 'license' | 'active';

/** What a ConnectionSequence reports, besides the share's `ready` and `resize`. */
export interface SequenceEvents extends ShareEvents {
  /** The server's clipboard text. */
  clipboard(text: string): void;
  /** The server sent MCS Disconnect Provider Ultimatum. */
  disconnect(): void;
}

/** The protocol state of one RDP connection, driven by the frames the server sends. */
export class ConnectionSequence {
  readonly #settings: RdpSettings;
  readonly #link: SecureLink;
  readonly #decoder: UpdateDecoder;
  readonly #events: SequenceEvents;
  readonly #fastPath = new FastPathReader();
  readonly #share: ShareSession;
  readonly #clipboard: ClipboardChannel;
  readonly #channels: string[];
  readonly #requested: number;
  #state: State = 'negotiate';
  #selected = 0;
  #userId = 0;
  #ioChannel = 0;
  #toJoin: number[] = [];
  #channelIds: readonly number[] = [];
  #clipChannel = -1;

  /**
   * Starts the sequence: the Connection Request goes out now.
   * @param settings the connection settings
   * @param link the socket to the server
   * @param decoder receives the updates and pointers once active
   * @param events receives `ready`, `resize`, the clipboard and the server's disconnect
   */
  constructor(
    settings: RdpSettings,
    link: SecureLink,
    decoder: UpdateDecoder,
    events: SequenceEvents,
  ) {
    this.#settings = settings;
    this.#link = link;
    this.#decoder = decoder;
    this.#events = events;
    this.#share = new ShareSession(
      settings,
      decoder,
      (data) => {
        this.#sendIo(data);
      },
      events,
    );
    this.#channels = settings.disableCopy && settings.disablePaste ? [] : [CLIPRDR_CHANNEL];
    this.#clipboard = new ClipboardChannel(
      (chunk) => {
        this.#send(mcs.sendDataRequest(this.#userId, this.#clipChannel, chunk));
      },
      (text) => {
        events.clipboard(text);
      },
      settings.clipboardBytes * 2,
    );
    this.#requested = requestedProtocols(settings.security);
    link.write(connectionRequest(this.#requested, settings.username));
  }

  /** Whether the first activation finished. */
  get ready(): boolean {
    return this.#share.ready;
  }

  /** The server's last Set Error Info code (0 when none). */
  get errorInfo(): number {
    return this.#share.errorInfo;
  }

  /**
   * Offers clipboard text to the server (when the clipboard channel is joined).
   * @param text the text
   */
  setClipboard(text: string): void {
    if (this.#clipChannel >= 0) this.#clipboard.setText(text);
  }

  /** Asks the server to redraw the whole desktop (Refresh Rect), once active. */
  refresh(): void {
    if (this.#share.ready) this.#share.refresh();
  }

  /**
   * Handles one frame from the server.
   * @param frame a TPKT or fast-path frame
   */
  frame(frame: RdpFrame): void {
    if (frame.fastPath) {
      if (this.#state !== 'active') throw protocolError('RDP_UNEXPECTED', 'early fast-path data.');
      for (const update of this.#fastPath.read(frame.data)) {
        this.#decoder.fastPath(update.code, update.data);
      }
      return;
    }
    if (this.#state === 'negotiate') {
      this.#selected = checkSelectedProtocol(parseConnectionConfirm(frame.data), this.#requested);
      this.#state = 'tls';
      this.#link.startTls(this.#selected, () => {
        this.#startMcs();
      });
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
      this.#events.disconnect();
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

  #send(payload: Uint8Array): void {
    this.#link.write(x224Data(payload));
  }

  #sendIo(payload: Uint8Array): void {
    this.#send(mcs.sendDataRequest(this.#userId, this.#ioChannel, payload));
  }

  #startMcs(): void {
    this.#state = 'mcs';
    this.#link.write(connectInitialPacket(this.#settings, this.#selected, this.#channels));
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
