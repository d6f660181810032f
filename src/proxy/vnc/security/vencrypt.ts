/**
 * @module VeNCrypt (security type 19): version 0.2 is agreed, the server lists u32 sub-types, the client
 * picks one. TLS* sub-types run over anonymous (Diffie-Hellman, certificate-less) TLS and X509* ones over
 * TLS with a verified server certificate; both start after the server's one-byte ack. The sub-type's own
 * exchange (None, VNC Authentication or Plain) then runs inside, followed by SecurityResult.
 */
import { protocolError, RfbAuthenticationError } from '../errors.js';
import type { RfbStream } from '../rfb-stream.js';
import { NoneSecurity } from './none.js';
import { PlainSecurity } from './plain.js';
import {
  SecurityType,
  type Credentials,
  type SecurityHandler,
  type SecurityIo,
  type TlsKind,
} from './security-type.js';
import { VncAuthSecurity } from './vnc-auth.js';

/** VeNCrypt sub-type numbers. */
export const VeNCryptSubtype = {
  PLAIN: 256,
  TLS_NONE: 257,
  TLS_VNC: 258,
  TLS_PLAIN: 259,
  X509_NONE: 260,
  X509_VNC: 261,
  X509_PLAIN: 262,
} as const;

/** What each supported sub-type needs: TLS (if any) and the credentials its inner exchange sends. */
const SUBTYPES: ReadonlyMap<number, { tls?: TlsKind; needs: 'nothing' | 'password' | 'both' }> =
  new Map([
    [SecurityType.NONE, { needs: 'nothing' }],
    [SecurityType.VNC_AUTH, { needs: 'password' }],
    [VeNCryptSubtype.PLAIN, { needs: 'both' }],
    [VeNCryptSubtype.TLS_NONE, { tls: 'anonymous', needs: 'nothing' }],
    [VeNCryptSubtype.TLS_VNC, { tls: 'anonymous', needs: 'password' }],
    [VeNCryptSubtype.TLS_PLAIN, { tls: 'anonymous', needs: 'both' }],
    [VeNCryptSubtype.X509_NONE, { tls: 'x509', needs: 'nothing' }],
    [VeNCryptSubtype.X509_VNC, { tls: 'x509', needs: 'password' }],
    [VeNCryptSubtype.X509_PLAIN, { tls: 'x509', needs: 'both' }],
  ]);

/**
 * Chooses a sub-type: the first encrypted one (in the server's order) whose credentials are configured,
 * else the first unencrypted one whose credentials are, else the first supported one (whose exchange
 * then reports the missing credentials).
 * @param offered the server's sub-types, in its order
 * @param credentials the configured username and password
 * @returns the chosen sub-type, or undefined if none is supported
 */
export function chooseSubtype(
  offered: readonly number[],
  credentials: Credentials,
): number | undefined {
  const supported = offered.filter((type) => SUBTYPES.has(type));
  const satisfied = supported.filter((type) => {
    const needs = SUBTYPES.get(type)?.needs;
    if (needs === 'password') return credentials.password !== undefined;
    if (needs === 'both')
      return credentials.password !== undefined && credentials.username !== undefined;
    return true;
  });
  const encrypted = satisfied.find((type) => SUBTYPES.get(type)?.tls !== undefined);
  return encrypted ?? satisfied[0] ?? supported[0];
}

function innerHandler(subtype: number, credentials: Credentials): SecurityHandler {
  const needs = SUBTYPES.get(subtype)?.needs;
  if (needs === 'nothing') return new NoneSecurity();
  if (needs === 'password') return new VncAuthSecurity(credentials);
  return new PlainSecurity(subtype, credentials);
}

type State = 'version' | 'version-status' | 'subtypes' | 'ack' | 'inner';

/** The VeNCrypt security type. */
export class VeNCryptSecurity implements SecurityHandler {
  readonly type = SecurityType.VENCRYPT;
  readonly resultAlwaysSent = true;
  readonly #credentials: Credentials;
  #state: State = 'version';
  #subtype = 0;
  #inner: SecurityHandler | undefined;

  /** @param credentials guacd's username and password */
  constructor(credentials: Credentials) {
    this.#credentials = credentials;
  }

  /** The chosen sub-type, once chosen (0 before). */
  get subtype(): number {
    return this.#subtype;
  }

  authenticate(stream: RfbStream, io: SecurityIo): boolean {
    for (;;) {
      switch (this.#state) {
        case 'version':
          if (!this.#version(stream, io)) return false;
          break;
        case 'version-status':
          if (!stream.has(1)) return false;
          if (stream.shift8() !== 0) {
            throw protocolError('RFB_VENCRYPT_VERSION', 'the server refused VeNCrypt 0.2.');
          }
          this.#state = 'subtypes';
          break;
        case 'subtypes':
          if (!this.#subtypes(stream, io)) return false;
          break;
        case 'ack':
          if (!stream.has(1)) return false;
          if (stream.shift8() !== 1) {
            throw new RfbAuthenticationError(
              `VNC authentication failed: the server refused VeNCrypt sub-type ${this.#subtype}.`,
              { code: 'RFB_AUTH_FAILED' },
            );
          }
          if (stream.available > 0) {
            throw protocolError('RFB_TLS_FAILED', 'the server sent data before the TLS handshake.');
          }
          this.#state = 'inner';
          io.startTls(SUBTYPES.get(this.#subtype)?.tls ?? 'anonymous');
          return false;
        case 'inner':
          return (this.#inner as SecurityHandler).authenticate(stream, io);
      }
    }
  }

  #version(stream: RfbStream, io: SecurityIo): boolean {
    if (!stream.has(2)) return false;
    const major = stream.shift8();
    const minor = stream.shift8();
    if (major !== 0 || minor < 2) {
      throw protocolError(
        'RFB_VENCRYPT_VERSION',
        `unsupported VeNCrypt version ${major}.${minor}.`,
      );
    }
    io.send(Uint8Array.of(0, 2));
    this.#state = 'version-status';
    return true;
  }

  #subtypes(stream: RfbStream, io: SecurityIo): boolean {
    if (!stream.has(1)) return false;
    const count = stream.peek8();
    if (count === 0)
      throw protocolError('RFB_UNSUPPORTED_SECURITY', 'no VeNCrypt sub-types offered.');
    if (!stream.has(1 + count * 4)) return false;
    stream.skip(1);
    const offered = Array.from({ length: count }, () => stream.shift32());
    const chosen = chooseSubtype(offered, this.#credentials);
    if (chosen === undefined) {
      throw protocolError(
        'RFB_UNSUPPORTED_SECURITY',
        `no supported VeNCrypt sub-type offered (server offers ${offered.join(', ')}).`,
      );
    }
    this.#subtype = chosen;
    this.#inner = innerHandler(chosen, this.#credentials);
    const out = new Uint8Array(4);
    new DataView(out.buffer).setUint32(0, chosen);
    io.send(out);
    this.#state = SUBTYPES.get(chosen)?.tls === undefined ? 'inner' : 'ack';
    return true;
  }
}
