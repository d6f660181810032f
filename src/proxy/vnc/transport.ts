/**
 * @module The byte transport under an RFB connection: the Duplex it was opened on (usually a TCP socket)
 * and, after VeNCrypt's TLS sub-types ask for it, a TLS session on top of it via `tls.connect({ socket })`.
 * Anonymous TLS (TLSNone/TLSVnc/TLSPlain) needs OpenSSL's certificate-less DH suites, which exist only up
 * to TLS 1.2 and only at security level 0; X509 sub-types verify the server's certificate.
 */
import net from 'node:net';
import type { Duplex } from 'node:stream';
import tls from 'node:tls';
import { UpstreamError } from '../../protocol/index.js';
import type { TlsKind } from './security/index.js';

/** How X509 sub-types verify the server (anonymous TLS has no certificate to verify). */
export interface VncTlsOptions {
  /** CA certificates to trust instead of Node's bundled ones (PEM). */
  readonly ca?: string | Buffer | readonly (string | Buffer)[];
  /** Verify the certificate chain and name; default true. */
  readonly rejectUnauthorized?: boolean;
  /** The name the certificate must carry: the configured hostname. */
  readonly host?: string;
}

/** Where the transport reports what arrives. */
export interface TransportEvents {
  data(chunk: Uint8Array): void;
  error(error: UpstreamError): void;
  close(): void;
}

/** The transport of one RFB connection. */
export class RfbTransport {
  readonly #raw: Duplex;
  readonly #events: TransportEvents;
  #current: Duplex;
  #tls: tls.TLSSocket | undefined;

  readonly #onData = (chunk: Buffer) => {
    this.#events.data(chunk);
  };

  /**
   * @param raw the connected Duplex
   * @param events receives data, errors and the close
   */
  constructor(raw: Duplex, events: TransportEvents) {
    this.#raw = raw;
    this.#current = raw;
    this.#events = events;
    raw.on('data', this.#onData);
    raw.on('error', (error) => {
      events.error(new UpstreamError(`VNC connection failed: ${error.message}`, { cause: error }));
    });
    raw.on('close', () => {
      events.close();
    });
  }

  /** Whether TLS is on. */
  get encrypted(): boolean {
    return this.#tls !== undefined;
  }

  /**
   * Writes bytes (through TLS once it is on).
   * @param bytes the bytes
   */
  write(bytes: Uint8Array): void {
    if (!this.#current.destroyed) this.#current.write(bytes);
  }

  /**
   * Starts TLS over the raw transport; received data flows through it from now on.
   * @param kind anonymous or certificate-verified TLS
   * @param options how certificates are verified (X509 sub-types)
   * @param ready called once the TLS handshake completed
   */
  startTls(kind: TlsKind, options: VncTlsOptions, ready: () => void): void {
    this.#raw.off('data', this.#onData);
    const host = options.host ?? 'localhost';
    const common = { socket: this.#raw, host };
    const secure =
      kind === 'anonymous'
        ? tls.connect({
            ...common,
            // No certificate exists to verify: anonymous TLS only hides the session from eavesdroppers.
            rejectUnauthorized: false,
            ciphers: 'aNULL:@SECLEVEL=0',
            minVersion: 'TLSv1.2',
            maxVersion: 'TLSv1.2',
          })
        : tls.connect({
            ...common,
            ...(net.isIP(host) === 0 ? { servername: host } : {}),
            ...(options.ca === undefined ? {} : { ca: options.ca as (string | Buffer)[] }),
            rejectUnauthorized: options.rejectUnauthorized ?? true,
          });
    this.#tls = secure;
    this.#current = secure;
    secure.on('secureConnect', ready);
    secure.on('data', this.#onData);
    secure.on('error', (error: Error) => {
      this.#events.error(
        new UpstreamError(`VNC TLS failed: ${error.message}`, {
          cause: error,
          code: 'RFB_TLS_FAILED',
        }),
      );
    });
    secure.on('close', () => {
      this.#events.close();
    });
  }

  /** Closes the transport (and TLS, if on). */
  destroy(): void {
    this.#tls?.destroy();
    this.#raw.destroy();
  }
}
