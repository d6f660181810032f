/**
 * @module The client side of CredSSP over NTLM (MS-CSSP 3.1.5): NEGOTIATE in the first TSRequest, then
 * AUTHENTICATE with pubKeyAuth (and clientNonce from version 5), then checking the server's public-key
 * binding against the TLS certificate before the password is sent, sealed, in authInfo. It only turns
 * TSRequests into replies; the caller moves bytes.
 */
import { randomBytes } from 'node:crypto';
import { protocolError } from '../errors.js';
import { NtlmClient, type NtlmCredentials, type NtlmEnvironment } from './ntlm-client.js';
import { credSspError } from './ntstatus.js';
import { clientBinding, serverBinding } from './public-key.js';
import { decodeTsRequest, encodeTsCredentials, encodeTsRequest } from './ts-request.js';

/** The highest CredSSP version this client speaks. */
export const CREDSSP_VERSION = 6;

/** What the client needs: credentials, the server's subjectPublicKey and optional fixed randomness. */
export interface CredSspOptions extends NtlmCredentials {
  readonly publicKey: Buffer;
  readonly environment?: NtlmEnvironment;
}

/** The outcome of one server TSRequest. */
export interface CredSspStep {
  /** The TSRequest to send. */
  readonly reply: Buffer;
  /** True after authInfo: CredSSP is over. */
  readonly done: boolean;
}

/** One CredSSP client exchange. */
export class CredSspClient {
  readonly #options: CredSspOptions;
  readonly #ntlm: NtlmClient;
  readonly #nonce: Buffer;
  #state: 'start' | 'challenge' | 'pubKeyAuth' | 'done' = 'start';
  #version = CREDSSP_VERSION;

  /** @param options credentials, public key and environment */
  constructor(options: CredSspOptions) {
    this.#options = options;
    this.#ntlm = new NtlmClient(options, options.environment);
    this.#nonce = (options.environment?.random ?? randomBytes)(32);
  }

  /** The version both sides use (the smaller of theirs and ours), once the server answered. */
  get version(): number {
    return this.#version;
  }

  /** @returns the first TSRequest, carrying the NTLM NEGOTIATE_MESSAGE */
  start(): Buffer {
    this.#state = 'challenge';
    return encodeTsRequest({ version: CREDSSP_VERSION, negoTokens: [this.#ntlm.negotiate()] });
  }

  /**
   * Handles one TSRequest from the server.
   * @param data the whole TSRequest
   * @returns the reply and whether CredSSP is over
   */
  receive(data: Buffer): CredSspStep {
    const request = decodeTsRequest(data);
    if (request.errorCode !== undefined && request.errorCode !== 0) {
      throw credSspError(request.errorCode);
    }
    if (this.#state === 'challenge') {
      if (request.version < 2) {
        throw protocolError('RDP_BAD_CREDSSP', `CredSSP version ${request.version}.`);
      }
      this.#version = Math.min(CREDSSP_VERSION, request.version);
      const token = request.negoTokens?.[0];
      if (token === undefined) {
        throw protocolError('RDP_BAD_CREDSSP', 'the server sent no NTLM challenge.');
      }
      const authenticate = this.#ntlm.authenticate(token);
      const binding = clientBinding(this.#version, this.#options.publicKey, this.#nonce);
      this.#state = 'pubKeyAuth';
      return {
        reply: encodeTsRequest({
          version: CREDSSP_VERSION,
          negoTokens: [authenticate],
          pubKeyAuth: this.#ntlm.seal(binding),
          ...(this.#version >= 5 ? { clientNonce: this.#nonce } : {}),
        }),
        done: false,
      };
    }
    if (this.#state === 'pubKeyAuth') {
      if (request.pubKeyAuth === undefined) {
        throw protocolError('RDP_BAD_CREDSSP', 'the server sent no pubKeyAuth.');
      }
      const binding = this.#ntlm.unseal(request.pubKeyAuth);
      if (!binding.equals(serverBinding(this.#version, this.#options.publicKey, this.#nonce))) {
        throw protocolError(
          'RDP_NLA_BINDING',
          "the server's CredSSP public-key binding does not match its TLS certificate.",
        );
      }
      const { domain, user, password } = this.#options;
      this.#state = 'done';
      return {
        reply: encodeTsRequest({
          version: CREDSSP_VERSION,
          authInfo: this.#ntlm.seal(encodeTsCredentials(domain, user, password)),
        }),
        done: true,
      };
    }
    throw protocolError('RDP_BAD_CREDSSP', `unexpected TSRequest (state ${this.#state}).`);
  }
}
