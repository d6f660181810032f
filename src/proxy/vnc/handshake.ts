/**
 * @module The RFB handshake (RFC 6143 §7.1–7.3) as a resumable state machine, one method per state:
 * ProtocolVersion → Security → Authentication → SecurityResult → ClientInit/ServerInit. Versions 3.3, 3.7
 * and 3.8 are spoken; 3.889 (Apple) and 4.x servers are answered with 3.8. Security types None, VNC
 * Authentication and VeNCrypt (whose TLS sub-types upgrade the connection through `startTls`).
 */
import { Framebuffer } from './framebuffer.js';
import { protocolError, RfbAuthenticationError } from './errors.js';
import { parsePixelFormat, type PixelFormat } from './pixel-format.js';
import type { RfbStream } from './rfb-stream.js';
import {
  createSecurity,
  SecurityType,
  type CredentialPrompt,
  type SecurityHandler,
  type SecurityIo,
  type TlsKind,
} from './security/index.js';
import { VeNCryptSecurity } from './security/vencrypt.js';

/** The longest reason or desktop name accepted. */
export const MAX_STRING_LENGTH = 65536;

/** The RFB minor version spoken (major is always 3). */
export type RfbVersion = '3.3' | '3.7' | '3.8';

/** What ServerInit and the negotiation produced. */
export interface ServerInit {
  readonly version: RfbVersion;
  readonly securityType: number;
  /** The VeNCrypt sub-type, when the security type is VeNCrypt. */
  readonly subtype?: number;
  readonly width: number;
  readonly height: number;
  readonly pixelFormat: PixelFormat;
  readonly name: string;
}

/** Handshake options. */
export interface HandshakeOptions {
  readonly password: string | undefined;
  /** VeNCrypt Plain's username (guacd's `username`). */
  readonly username?: string | undefined;
  /** Asks for missing credentials while the handshake waits (see SecurityIo.wait). */
  readonly prompt?: CredentialPrompt | undefined;
  /** ClientInit's shared flag: leave other clients connected. */
  readonly shared: boolean;
}

type State =
  | 'protocol-version'
  | 'security-types'
  | 'security-type-33'
  | 'failure-reason'
  | 'authentication'
  | 'security-result'
  | 'result-reason'
  | 'server-init'
  | 'done';

/** Drives the handshake; call `step` whenever bytes arrive until it returns the ServerInit. */
export class Handshake {
  #state: State = 'protocol-version';
  #version: RfbVersion = '3.8';
  #security: SecurityHandler | undefined;
  #result: ServerInit | undefined;
  readonly #options: HandshakeOptions;
  readonly #send: (bytes: Uint8Array) => void;
  readonly #io: SecurityIo;

  /**
   * @param options credentials and shared flag
   * @param send writes bytes to the server
   * @param startTls upgrades the connection to TLS (VeNCrypt); `step` must not be called again until
   * the TLS handshake is done
   * @param wait pauses `step` until a promise settles (see SecurityIo.wait); without it credentials
   * cannot be asked for
   */
  constructor(
    options: HandshakeOptions,
    send: (bytes: Uint8Array) => void,
    startTls: (kind: TlsKind) => void = () => {
      throw protocolError('RFB_TLS_FAILED', 'TLS is not available on this connection.');
    },
    wait?: (until: Promise<unknown>) => void,
  ) {
    this.#options = options;
    this.#send = send;
    this.#io = wait === undefined ? { send, startTls } : { send, startTls, wait };
  }

  /**
   * Consumes what it can of the queued bytes.
   * @param stream received bytes
   * @returns the ServerInit once the handshake is complete, otherwise undefined
   */
  step(stream: RfbStream): ServerInit | undefined {
    while (this.#state !== 'done' && this.#advance(stream));
    return this.#result;
  }

  #advance(stream: RfbStream): boolean {
    switch (this.#state) {
      case 'protocol-version':
        return this.#protocolVersion(stream);
      case 'security-types':
        return this.#securityTypes(stream);
      case 'security-type-33':
        return this.#securityType33(stream);
      case 'failure-reason':
        return this.#failureReason(stream, false);
      case 'authentication':
        return this.#authentication(stream);
      case 'security-result':
        return this.#securityResult(stream);
      case 'result-reason':
        return this.#failureReason(stream, true);
      case 'server-init':
        return this.#serverInit(stream);
      case 'done':
        return false;
    }
  }

  #protocolVersion(stream: RfbStream): boolean {
    if (!stream.has(12)) return false;
    const text = Buffer.from(stream.shiftBytes(12)).toString('latin1');
    const match = /^RFB (\d{3})\.(\d{3})\n$/.exec(text);
    if (!match) throw protocolError('RFB_BAD_VERSION', 'the server is not a VNC server.');
    const [major, minor] = [Number(match[1]), Number(match[2])];
    if (major < 3 || (major === 3 && minor < 3)) {
      throw protocolError('RFB_BAD_VERSION', `unsupported RFB version ${major}.${minor}.`);
    }
    this.#version = major > 3 || minor >= 8 ? '3.8' : minor === 7 ? '3.7' : '3.3';
    this.#send(Buffer.from(`RFB 003.00${this.#version.slice(2)}\n`, 'latin1'));
    this.#state = this.#version === '3.3' ? 'security-type-33' : 'security-types';
    return true;
  }

  #securityTypes(stream: RfbStream): boolean {
    if (!stream.has(1)) return false;
    const count = stream.peek8();
    if (count === 0) {
      stream.skip(1);
      this.#state = 'failure-reason';
      return true;
    }
    if (!stream.has(1 + count)) return false;
    stream.skip(1);
    const offered = [...stream.shiftBytes(count)];
    for (const type of offered) {
      this.#security = createSecurity(type, this.#credentials());
      if (this.#security) break;
    }
    if (!this.#security) {
      throw protocolError(
        'RFB_UNSUPPORTED_SECURITY',
        `no supported security type offered (server offers ${offered.join(', ')}).`,
      );
    }
    this.#send(Uint8Array.of(this.#security.type));
    this.#state = 'authentication';
    return true;
  }

  #credentials() {
    const { username, password, prompt } = this.#options;
    return { username, password, prompt };
  }

  #securityType33(stream: RfbStream): boolean {
    if (!stream.has(4)) return false;
    const type = stream.shift32();
    if (type === SecurityType.INVALID) {
      this.#state = 'failure-reason';
      return true;
    }
    this.#security = createSecurity(type, this.#credentials());
    if (!this.#security) {
      throw protocolError('RFB_UNSUPPORTED_SECURITY', `unsupported security type ${type}.`);
    }
    this.#state = 'authentication';
    return true;
  }

  /** Reads a failure reason string and throws it. */
  #failureReason(stream: RfbStream, authentication: boolean): boolean {
    if (!stream.has(4)) return false;
    const length = stream.peek32();
    if (length > MAX_STRING_LENGTH) {
      throw protocolError('RFB_LENGTH_TOO_LARGE', `failure reason of ${length} bytes.`);
    }
    if (!stream.has(4 + length)) return false;
    stream.skip(4);
    const reason = Buffer.from(stream.shiftBytes(length)).toString('utf8');
    if (authentication) throw authFailure(reason);
    throw protocolError('RFB_CONNECTION_FAILED', `the server refused the connection: ${reason}`);
  }

  #authentication(stream: RfbStream): boolean {
    const security = this.#security as SecurityHandler;
    if (!security.authenticate(stream, this.#io)) return false;
    if (security.resultAlwaysSent || this.#version === '3.8') {
      this.#state = 'security-result';
    } else {
      this.#clientInit();
    }
    return true;
  }

  #securityResult(stream: RfbStream): boolean {
    if (!stream.has(4)) return false;
    if (stream.shift32() !== 0) {
      if (this.#version !== '3.8') throw authFailure('authentication failed');
      this.#state = 'result-reason';
      return true;
    }
    this.#clientInit();
    return true;
  }

  #clientInit(): void {
    this.#send(Uint8Array.of(this.#options.shared ? 1 : 0));
    this.#state = 'server-init';
  }

  #serverInit(stream: RfbStream): boolean {
    if (!stream.has(24)) return false;
    const length = stream.peek32(20);
    if (length > MAX_STRING_LENGTH) {
      throw protocolError('RFB_LENGTH_TOO_LARGE', `desktop name of ${length} bytes.`);
    }
    if (!stream.has(24 + length)) return false;
    const width = stream.shift16();
    const height = stream.shift16();
    Framebuffer.checkSize(width, height);
    const pixelFormat = parsePixelFormat(stream.shiftBytes(16));
    stream.skip(4);
    const name = Buffer.from(stream.shiftBytes(length)).toString('utf8');
    const security = this.#security as SecurityHandler;
    const securityType = security.type;
    this.#result = { version: this.#version, securityType, width, height, pixelFormat, name };
    if (security instanceof VeNCryptSecurity)
      this.#result = { ...this.#result, subtype: security.subtype };
    this.#state = 'done';
    return true;
  }
}

function authFailure(reason: string): RfbAuthenticationError {
  return new RfbAuthenticationError(`VNC authentication failed: ${reason}`, {
    code: 'RFB_AUTH_FAILED',
  });
}
