/** @module The security types this client supports, and how one is chosen. */
import { NoneSecurity } from './none.js';
import { SecurityType, type Credentials, type SecurityHandler } from './security-type.js';
import { VeNCryptSecurity } from './vencrypt.js';
import { VncAuthSecurity } from './vnc-auth.js';

export {
  SecurityType,
  type CredentialName,
  type CredentialPrompt,
  type Credentials,
  type SecurityHandler,
  type SecurityIo,
  type TlsKind,
} from './security-type.js';
export { vncAuthResponse } from './vnc-auth.js';
export { VeNCryptSubtype, chooseSubtype } from './vencrypt.js';
export { plainCredentials } from './plain.js';

/**
 * Builds the handler for a security type, or undefined if it is not supported.
 * @param type the security type number
 * @param credentials the configured username and password, if any
 * @returns the handler
 */
export function createSecurity(
  type: number,
  credentials: Credentials,
): SecurityHandler | undefined {
  switch (type) {
    case SecurityType.NONE:
      return new NoneSecurity();
    case SecurityType.VNC_AUTH:
      return new VncAuthSecurity(credentials);
    case SecurityType.VENCRYPT:
      return new VeNCryptSecurity(credentials);
    default:
      return undefined;
  }
}
