/** @module RFB security type numbers and the interface each security type's handler implements. */
import type { RfbStream } from '../rfb-stream.js';

/** Security type numbers (RFC 6143 §7.1.2 and the IANA registry). */
export const SecurityType = {
  INVALID: 0,
  NONE: 1,
  VNC_AUTH: 2,
  VENCRYPT: 19,
} as const;

/** How the TLS session a VeNCrypt sub-type asks for is authenticated. */
export type TlsKind = 'anonymous' | 'x509';

/** What a security handler can do to the connection besides reading and writing bytes. */
export interface SecurityIo {
  /** Writes bytes to the server (through TLS once it is up). */
  send(bytes: Uint8Array): void;
  /**
   * Starts TLS on the connection. The handler must return `false` right after calling it; it is
   * called again, with the stream now carrying decrypted bytes, once the TLS handshake is done.
   */
  startTls(kind: TlsKind): void;
  /**
   * Pauses the exchange until `until` settles (e.g. while the user is asked for a password). The
   * handler must return `false` right after calling it; it is called again once `until` fulfils, and
   * the connection fails with the rejection's error otherwise. Missing where nothing can wait.
   */
  wait?(until: Promise<unknown>): void;
}

/** One security type's authentication exchange, run between the type choice and SecurityResult. */
export interface SecurityHandler {
  /** The security type number. */
  readonly type: number;
  /** Whether a SecurityResult follows even in RFB 3.3 and 3.7 (true for every type but None). */
  readonly resultAlwaysSent: boolean;
  /**
   * Runs (part of) the exchange.
   * @param stream received bytes
   * @param io writes bytes and upgrades the connection to TLS
   * @returns true when done, false when more bytes (or the TLS handshake) are needed
   */
  authenticate(stream: RfbStream, io: SecurityIo): boolean;
}

/** A credential a security type may need. */
export type CredentialName = 'username' | 'password';

/**
 * Asks for missing credentials (guacd: `required` to the owner, answered with `argv`).
 * @param names the missing ones, in guacd's order (username before password)
 * @returns the answers
 */
export type CredentialPrompt = (
  names: readonly CredentialName[],
) => Promise<Partial<Record<CredentialName, string>>>;

/** The credentials guacd's `username` and `password` parameters supply. */
export interface Credentials {
  readonly username: string | undefined;
  readonly password: string | undefined;
  /** Asks for the missing ones; without it, a missing credential fails the handshake. */
  readonly prompt?: CredentialPrompt | undefined;
}
