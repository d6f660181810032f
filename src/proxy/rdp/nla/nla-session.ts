/**
 * @module NlaSession: the NLA phase of an RDP connection, between the TLS handshake and MCS. It feeds
 * the server's TSRequests to a CredSspClient, writes the replies, and with HYBRID_EX reads the 4-byte
 * Early User Authorization Result (MS-RDPBCGR 2.2.10.2). A server closing the connection before CredSSP
 * is over is taken as refused credentials, since that is what servers without errorCode do.
 */
import type { X509Certificate } from 'node:crypto';
import type { GuacamoleError } from '../../../protocol/index.js';
import { NlaAuthenticationError, protocolError } from '../errors.js';
import { CredSspClient } from './credssp.js';
import type { NtlmEnvironment } from './ntlm-client.js';
import { certificatePublicKey } from './public-key.js';
import { TsRequestReader } from './ts-request.js';

/** The Early User Authorization Result values. */
const AUTHZ_SUCCESS = 0;
const AUTHZ_ACCESS_DENIED = 5;

/** The credentials NLA sends. */
export interface NlaCredentials {
  readonly username: string;
  readonly domain: string;
  readonly password: string;
  readonly clientName: string;
}

/** One NLA phase. */
export class NlaSession {
  readonly #reader = new TsRequestReader();
  readonly #credssp: CredSspClient;
  readonly #write: (data: Buffer) => void;
  readonly #earlyAuth: boolean;
  #stage: 'credssp' | 'early' | 'done' = 'credssp';
  #early = Buffer.alloc(0);

  /**
   * @param credentials who logs on
   * @param certificate the server's TLS certificate (its public key is bound)
   * @param earlyAuth whether the server selected HYBRID_EX
   * @param write sends bytes over TLS
   * @param environment fixed randomness for tests
   */
  constructor(
    credentials: NlaCredentials,
    certificate: X509Certificate | undefined,
    earlyAuth: boolean,
    write: (data: Buffer) => void,
    environment?: NtlmEnvironment,
  ) {
    if (certificate === undefined) {
      throw protocolError(
        'RDP_BAD_CERTIFICATE',
        'the server presented no TLS certificate for NLA.',
      );
    }
    if (credentials.username === '') {
      throw new NlaAuthenticationError(
        'The RDP server requires NLA, which needs a user name and password; none was given.',
        { code: 'RDP_NLA_NO_CREDENTIALS' },
      );
    }
    this.#credssp = new CredSspClient({
      user: credentials.username,
      domain: credentials.domain,
      password: credentials.password,
      workstation: credentials.clientName,
      publicKey: certificatePublicKey(certificate),
      ...(environment === undefined ? {} : { environment }),
    });
    this.#earlyAuth = earlyAuth;
    this.#write = write;
    write(this.#credssp.start());
  }

  /**
   * Handles bytes from the server.
   * @param chunk received bytes
   * @returns undefined while NLA runs; once it is over, the bytes that followed it (usually none)
   */
  push(chunk: Buffer): Buffer | undefined {
    if (this.#stage === 'credssp') {
      this.#reader.push(chunk);
      for (let message = this.#reader.next(); message !== undefined;) {
        const step = this.#credssp.receive(message);
        this.#write(step.reply);
        if (step.done) {
          this.#stage = this.#earlyAuth ? 'early' : 'done';
          break;
        }
        message = this.#reader.next();
      }
      if (this.#stage === 'done') return this.#reader.takeRest();
      if (this.#stage === 'credssp') return undefined;
      return this.#earlyResult(this.#reader.takeRest());
    }
    if (this.#stage === 'early') return this.#earlyResult(chunk);
    return chunk;
  }

  /**
   * The error for the server ending the connection during NLA.
   * @returns the error
   */
  closedError(): GuacamoleError {
    return new NlaAuthenticationError(
      'NLA authentication failed: the RDP server closed the connection during CredSSP (wrong user ' +
        'name, domain or password?).',
      { code: 'RDP_NLA_AUTH_FAILED' },
    );
  }

  #earlyResult(chunk: Buffer): Buffer | undefined {
    this.#early = Buffer.concat([this.#early, chunk]);
    if (this.#early.length < 4) return undefined;
    const result = this.#early.readUInt32LE(0);
    if (result === AUTHZ_ACCESS_DENIED) {
      throw new NlaAuthenticationError(
        'NLA authentication failed: the RDP server denied this user access (Early User ' +
          'Authorization Result ACCESS_DENIED).',
        { code: 'RDP_NLA_ACCESS_DENIED' },
      );
    }
    if (result !== AUTHZ_SUCCESS) {
      throw protocolError('RDP_BAD_CREDSSP', `Early User Authorization Result ${result}.`);
    }
    this.#stage = 'done';
    return this.#early.subarray(4);
  }
}
