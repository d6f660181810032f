/**
 * @module GuacdConnector: the one seam between the app and whichever proxy serves connections — an
 * external guacd over TCP/TLS or the bundled proxy in-process. Both open a GuacdSocket and perform the
 * handshake, report their health for `/healthz`, and are closed at shutdown.
 */
import type { ClientInformation, GuacamoleConfiguration } from '../protocol/index.js';
import type { ConfiguredGuacdSocket } from './configured-socket.js';

/** What `/healthz` reports about the proxy. */
export interface GuacdHealth {
  /** Whether connections can be made. */
  readonly ok: boolean;
  /** `embedded` (in-process, always up), `reachable` or `unreachable` (an external guacd). */
  readonly guacd: 'embedded' | 'reachable' | 'unreachable';
  /** Why an external guacd is unreachable. */
  readonly reason?: string;
}

/** Which proxy serves the connections, with its address when it is external. */
export type GuacdTarget =
  | { readonly kind: 'embedded' }
  | {
      readonly kind: 'external';
      readonly hostname: string;
      readonly port: number;
      readonly ssl: boolean;
    };

/** Opens handshaken connections to a guacd(-equivalent) proxy. */
export interface GuacdConnector {
  /** Which proxy this is. */
  readonly target: GuacdTarget;
  /** A one-line description for logs, e.g. `the bundled proxy (vnc)` or `guacd at localhost:4822`. */
  readonly description: string;
  /**
   * Opens a connection and performs the handshake (select → … → ready).
   * @param configuration the protocol (or `$`-prefixed connection ID to join) and parameters
   * @param info the client's display and capabilities
   * @returns the configured socket
   * @throws {GuacamoleError} the proxy cannot be reached, or refuses or fails the handshake
   */
  connect(
    configuration: GuacamoleConfiguration,
    info: Readonly<ClientInformation>,
  ): Promise<ConfiguredGuacdSocket>;
  /** @returns whether connections can be made now (never rejects) */
  health(): Promise<GuacdHealth>;
  /** Ends every connection the connector owns (the embedded proxy's); idempotent. */
  close(): Promise<void>;
}
