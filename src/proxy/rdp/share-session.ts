/**
 * @module ShareSession: the active part of an RDP connection on the I/O channel. It answers Demand Active
 * (first activation and every reactivation after Deactivate All) with Confirm Active and the
 * finalization PDUs, reports `ready` at the first Font Map and `resize` when a reactivation changes the
 * desktop, hands updates and pointers to the UpdateDecoder, and remembers the server's Set Error Info.
 */
import { confirmActive, parseDemandActive, type DemandActive } from './capabilities.js';
import { protocolError } from './errors.js';
import type { RdpSettings } from './settings.js';
import * as share from './share.js';
import type { UpdateDecoder } from './updates.js';

/** The server's own MCS channel, the target of the client's Synchronize PDU. */
const SERVER_CHANNEL = 0x03ea;

/** What a ShareSession reports. */
export interface ShareEvents {
  /** The first activation finished (Font Map received). */
  ready(width: number, height: number): void;
  /** A reactivation changed the desktop size. */
  resize(width: number, height: number): void;
}

/** The share state of one connection. */
export class ShareSession {
  readonly #settings: RdpSettings;
  readonly #decoder: UpdateDecoder;
  readonly #sendIo: (data: Uint8Array) => void;
  readonly #events: ShareEvents;
  #userId = 0;
  #shareId = 0;
  #ready = false;
  #errorInfo = 0;

  /**
   * @param settings the connection settings (colour depth, keyboard layout)
   * @param decoder receives updates and pointers
   * @param sendIo sends a PDU on the I/O channel
   * @param events receives `ready` and `resize`
   */
  constructor(
    settings: RdpSettings,
    decoder: UpdateDecoder,
    sendIo: (data: Uint8Array) => void,
    events: ShareEvents,
  ) {
    this.#settings = settings;
    this.#decoder = decoder;
    this.#sendIo = sendIo;
    this.#events = events;
  }

  /** Whether the first activation finished. */
  get ready(): boolean {
    return this.#ready;
  }

  /** The last Set Error Info code (0 when none). */
  get errorInfo(): number {
    return this.#errorInfo;
  }

  /** Sets the MCS user ID used as the PDUs' source. */
  set userId(value: number) {
    this.#userId = value;
  }

  /**
   * Handles the I/O channel's data after licensing.
   * @param data one or more share control PDUs
   */
  handle(data: Uint8Array): void {
    for (const pdu of share.parseSharePdus(data)) this.#pdu(pdu);
  }

  /** Asks the server to redraw the whole desktop (Refresh Rect). */
  refresh(): void {
    const { width, height } = this.#decoder.desktop;
    const body = share.refreshRectBody(width, height);
    this.#sendIo(share.shareData(this.#userId, this.#shareId, share.PDUTYPE2_REFRESH_RECT, body));
  }

  #pdu(pdu: share.SharePdu): void {
    if (pdu.type === share.PDUTYPE_DEMANDACTIVEPDU) {
      this.#activate(parseDemandActive(pdu.body));
      return;
    }
    if (pdu.type !== share.PDUTYPE_DATAPDU) return;
    const { type2, body } = share.parseShareData(pdu.body);
    switch (type2) {
      case share.PDUTYPE2_UPDATE:
        this.#decoder.slowPathUpdate(body);
        break;
      case share.PDUTYPE2_POINTER:
        this.#decoder.slowPathPointer(body);
        break;
      case share.PDUTYPE2_SET_ERROR_INFO_PDU:
        this.#errorInfo = body.u32();
        break;
      case share.PDUTYPE2_FONTMAP:
        if (!this.#ready) {
          this.#ready = true;
          this.#events.ready(this.#decoder.desktop.width, this.#decoder.desktop.height);
        }
        break;
      default:
        break;
    }
  }

  #activate(demand: DemandActive): void {
    const { width, height } = demand;
    if (width < 1 || height < 1 || width > 8192 || height > 8192) {
      throw protocolError('RDP_BAD_CAPS', `desktop size ${width}x${height}.`);
    }
    const desktop = this.#decoder.desktop;
    const resized = this.#ready && (width !== desktop.width || height !== desktop.height);
    this.#decoder.desktop = { width, height };
    this.#shareId = demand.shareId;
    const options = {
      width,
      height,
      bitsPerPixel: this.#settings.colorDepth,
      keyboardLayout: this.#settings.keyboardLayout,
    };
    this.#sendIo(confirmActive(this.#userId, this.#shareId, options));
    for (const pdu of share.finalizationPdus(this.#userId, this.#shareId, SERVER_CHANNEL)) {
      this.#sendIo(pdu);
    }
    if (resized) this.#events.resize(width, height);
  }
}
