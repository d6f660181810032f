/**
 * @module SecureLink: the socket under one RDP connection. It starts as the plain TCP socket (the X.224
 * negotiation), moves to TLS when the negotiation selected it, and runs NLA (CredSSP) over TLS when the
 * server selected HYBRID or HYBRID_EX. Received bytes go straight to the connection's own data handler,
 * except during NLA, whose bytes stay here; a socket that fails or closes during TLS or NLA becomes the
 * error of that phase.
 */
import type net from 'node:net';
import type tls from 'node:tls';
import { GuacamoleError } from '../../protocol/index.js';
import { internalError, protocolError } from './errors.js';
import { NlaSession } from './nla/index.js';
import type { RdpSettings } from './settings.js';
import { socketError, upgradeToTls } from './transport.js';
import { PROTOCOL_HYBRID, PROTOCOL_HYBRID_EX } from './x224.js';

/** What a SecureLink reports to its connection. */
export interface LinkEvents {
  /** Bytes from the server (those after NLA, when NLA ran); attached to the socket as it is. */
  readonly data: (chunk: Buffer) => void;
  /** The socket failed, or NLA failed or was cut short: the error the connection ends with. */
  readonly error: (error: GuacamoleError) => void;
  /** The socket closed outside NLA. */
  readonly close: () => void;
}

/** The plain, TLS or TLS+NLA socket of one RDP connection. */
export class SecureLink {
  readonly #settings: RdpSettings;
  readonly #raw: net.Socket;
  readonly #events: LinkEvents;
  #socket: net.Socket;
  #tlsRunning = false;
  #nla: NlaSession | undefined;
  #secured: () => void = () => undefined;
  #destroyed = false;

  /**
   * Listens on a socket (connecting or connected).
   * @param socket the TCP socket to the server
   * @param settings the connection settings (hostname, ignore-cert, credentials)
   * @param events receives data, the error and the close
   */
  constructor(socket: net.Socket, settings: RdpSettings, events: LinkEvents) {
    this.#settings = settings;
    this.#raw = socket;
    this.#socket = socket;
    this.#events = events;
    socket.on('data', events.data);
    socket.on('error', this.#onError);
    socket.on('close', this.#onClose);
  }

  /**
   * Writes bytes on the current socket (TLS once it is on).
   * @param data the bytes
   */
  write(data: Uint8Array): void {
    this.#socket.write(data);
  }

  /** Destroys the TLS socket and the TCP socket under it. */
  destroy(): void {
    this.#destroyed = true;
    this.#socket.destroy();
    this.#raw.destroy();
  }

  /**
   * Starts TLS on the TCP socket, then NLA when the server selected it.
   * @param selected the protocol the server selected in its Connection Confirm
   * @param secured called once TLS (and NLA, when selected) finished: MCS may begin
   */
  startTls(selected: number, secured: () => void): void {
    this.#tlsRunning = true;
    this.#secured = secured;
    const { data } = this.#events;
    this.#raw.off('data', data);
    this.#raw.off('error', this.#onError);
    this.#raw.off('close', this.#onClose);
    const secure = upgradeToTls(this.#raw, this.#settings);
    this.#socket = secure;
    secure.on('data', data);
    secure.on('error', this.#onError);
    secure.on('close', this.#onClose);
    secure.once('secureConnect', () => {
      this.#tlsRunning = false;
      if (this.#destroyed) return;
      if ((selected & (PROTOCOL_HYBRID | PROTOCOL_HYBRID_EX)) === 0) {
        secured();
        return;
      }
      this.#startNla(secure, (selected & PROTOCOL_HYBRID_EX) !== 0);
    });
  }

  #startNla(secure: tls.TLSSocket, earlyAuth: boolean): void {
    // NLA's bytes are its own: the connection's handler gets the socket back once NLA is over.
    secure.off('data', this.#events.data);
    secure.on('data', this.#onNlaData);
    try {
      this.#nla = new NlaSession(
        this.#settings,
        secure.getPeerX509Certificate(),
        earlyAuth,
        (data) => secure.write(data),
      );
    } catch (error) {
      this.#events.error(
        error instanceof GuacamoleError ? error : protocolError('RDP_NLA', String(error)),
      );
    }
  }

  readonly #onNlaData = (chunk: Buffer): void => {
    if (this.#destroyed) return;
    let rest: Buffer | undefined;
    try {
      rest = this.#nla?.push(chunk);
      if (rest === undefined) return;
      this.#nla = undefined;
      this.#socket.off('data', this.#onNlaData);
      this.#socket.on('data', this.#events.data);
      this.#secured();
    } catch (error) {
      this.#events.error(internalError(error));
      return;
    }
    this.#events.data(rest);
  };

  readonly #onError = (error: Error): void => {
    const nla = this.#nla;
    this.#events.error(
      nla === undefined ? socketError(error, this.#tlsRunning) : nla.closedError(),
    );
  };

  readonly #onClose = (): void => {
    const nla = this.#nla;
    if (nla === undefined) this.#events.close();
    else this.#events.error(nla.closedError());
  };
}
