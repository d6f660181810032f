/**
 * @module VeNCrypt's Plain sub-type (256, also inside TLSPlain 259 and X509Plain 262): the username's and
 * password's byte lengths as two u32s, then both strings in UTF-8. The server checks them (TigerVNC
 * against PAM) and answers with SecurityResult.
 */
import { RfbAuthenticationError } from '../errors.js';
import { CredentialRequest } from './credential-request.js';
import type { Credentials, SecurityHandler, SecurityIo } from './security-type.js';

/** The longest username or password sent, in bytes (TigerVNC accepts up to 1024 for each). */
const MAX_CREDENTIAL_BYTES = 1024;

/**
 * Encodes Plain's credential message.
 * @param username the username
 * @param password the password
 * @returns the bytes to send
 */
export function plainCredentials(username: string, password: string): Uint8Array {
  const user = Buffer.from(username, 'utf8');
  const pass = Buffer.from(password, 'utf8');
  if (user.length > MAX_CREDENTIAL_BYTES || pass.length > MAX_CREDENTIAL_BYTES) {
    throw new RfbAuthenticationError(
      `The VNC username and password may be at most ${MAX_CREDENTIAL_BYTES} bytes each.`,
      { code: 'RFB_CREDENTIALS_TOO_LONG' },
    );
  }
  const bytes = Buffer.alloc(8 + user.length + pass.length);
  bytes.writeUInt32BE(user.length, 0);
  bytes.writeUInt32BE(pass.length, 4);
  user.copy(bytes, 8);
  pass.copy(bytes, 8 + user.length);
  return bytes;
}

/** The Plain exchange: one message from the client, nothing from the server before SecurityResult. */
export class PlainSecurity implements SecurityHandler {
  readonly resultAlwaysSent = true;
  readonly type: number;
  readonly #request: CredentialRequest;

  /**
   * @param type the VeNCrypt sub-type this runs inside (256, 259 or 262)
   * @param credentials guacd's username and password, or a prompt for the missing ones
   */
  constructor(type: number, credentials: Credentials) {
    this.type = type;
    this.#request = new CredentialRequest(
      credentials,
      ['username', 'password'],
      () =>
        new RfbAuthenticationError(
          'The VNC server requires a username and password, and they were not both given.',
          { code: 'RFB_CREDENTIALS_REQUIRED' },
        ),
    );
  }

  authenticate(_stream: unknown, io: SecurityIo): boolean {
    const values = this.#request.take(io);
    if (values === undefined) return false;
    const { username, password } = values;
    if (username === undefined || password === undefined) {
      throw new RfbAuthenticationError('The VNC username and password were not both given.', {
        code: 'RFB_CREDENTIALS_REQUIRED',
      });
    }
    io.send(plainCredentials(username, password));
    return true;
  }
}
