/** @module The security types this client supports, and how one is chosen. */
import { NoneSecurity } from './none.js';
import { SecurityType, type SecurityHandler } from './security-type.js';
import { VncAuthSecurity } from './vnc-auth.js';

export { SecurityType, type SecurityHandler } from './security-type.js';
export { vncAuthResponse } from './vnc-auth.js';

/**
 * Builds the handler for a security type, or undefined if it is not supported.
 * @param type the security type number
 * @param password the configured password, if any
 * @returns the handler
 */
export function createSecurity(
  type: number,
  password: string | undefined,
): SecurityHandler | undefined {
  switch (type) {
    case SecurityType.NONE:
      return new NoneSecurity();
    case SecurityType.VNC_AUTH:
      return new VncAuthSecurity(password);
    default:
      return undefined;
  }
}
