/**
 * @module VNC Authentication (2): the server sends a 16-byte challenge, the client returns it encrypted
 * with DES under the password (first 8 bytes, zero-padded), with each key byte's bits reversed — the
 * quirk every VNC implementation inherited from the original code.
 */
import { RfbAuthenticationError } from '../errors.js';
import type { RfbStream } from '../rfb-stream.js';
import { CredentialRequest } from './credential-request.js';
import { desEncryptBlock } from './des.js';
import {
  SecurityType,
  type Credentials,
  type SecurityHandler,
  type SecurityIo,
} from './security-type.js';

/**
 * Computes the VNC Authentication response.
 * @param password the password; only its first 8 Latin-1 bytes count
 * @param challenge the server's 16-byte challenge
 * @returns the 16-byte response
 */
export function vncAuthResponse(password: string, challenge: Uint8Array): Uint8Array {
  const key = new Uint8Array(8);
  const bytes = Buffer.from(password, 'latin1');
  for (let i = 0; i < 8 && i < bytes.length; i++) {
    let byte = bytes[i] as number;
    let reversed = 0;
    for (let bit = 0; bit < 8; bit++) {
      reversed = (reversed << 1) | (byte & 1);
      byte >>= 1;
    }
    key[i] = reversed;
  }
  const response = new Uint8Array(16);
  response.set(desEncryptBlock(key, challenge.subarray(0, 8)), 0);
  response.set(desEncryptBlock(key, challenge.subarray(8, 16)), 8);
  return response;
}

/** The VNC Authentication security type. */
export class VncAuthSecurity implements SecurityHandler {
  readonly type = SecurityType.VNC_AUTH;
  readonly resultAlwaysSent = true;
  readonly #request: CredentialRequest;

  /** @param credentials the configured password, or a prompt for it */
  constructor(credentials: Credentials) {
    this.#request = new CredentialRequest(
      credentials,
      ['password'],
      () =>
        new RfbAuthenticationError('The VNC server requires a password, and none was given.', {
          code: 'RFB_PASSWORD_REQUIRED',
        }),
    );
  }

  authenticate(stream: RfbStream, io: SecurityIo): boolean {
    if (!stream.has(16)) return false;
    const password = this.#request.take(io)?.password;
    if (password === undefined) return false;
    io.send(vncAuthResponse(password, stream.shiftBytes(16)));
    return true;
  }
}
