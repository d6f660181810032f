/**
 * @module The NTSTATUS codes a CredSSP server returns in TSRequest.errorCode (MS-CSSP 2.2.1, version 3+),
 * named and explained, and the error each ends the connection with: account and credential failures
 * are CLIENT_UNAUTHORIZED (769) as in guacd; anything else is an upstream error (515) naming the code.
 */
import type { GuacamoleError } from '../../../protocol/index.js';
import { NlaAuthenticationError, protocolError } from '../errors.js';

/** Known NTSTATUS values: name and plain-words meaning. */
// prettier-ignore
const STATUSES: ReadonlyMap<number, readonly [string, string]> = new Map([
  [0xc000006d, ['STATUS_LOGON_FAILURE', 'the user name or password is incorrect']],
  [0xc000006a, ['STATUS_WRONG_PASSWORD', 'the password is incorrect']],
  [0xc0000064, ['STATUS_NO_SUCH_USER', 'the user does not exist']],
  [0xc0000072, ['STATUS_ACCOUNT_DISABLED', 'the account is disabled']],
  [0xc0000234, ['STATUS_ACCOUNT_LOCKED_OUT', 'the account is locked out']],
  [0xc0000193, ['STATUS_ACCOUNT_EXPIRED', 'the account has expired']],
  [0xc0000071, ['STATUS_PASSWORD_EXPIRED', 'the password has expired']],
  [0xc0000224, ['STATUS_PASSWORD_MUST_CHANGE', 'the password must be changed before logging on']],
  [0xc000006e, ['STATUS_ACCOUNT_RESTRICTION', 'an account restriction prevents the logon']],
  [0xc000006f, ['STATUS_INVALID_LOGON_HOURS', 'the account may not log on at this time']],
  [0xc0000070, ['STATUS_INVALID_WORKSTATION', 'the account may not log on from this computer']],
  [0xc000015b, ['STATUS_LOGON_TYPE_NOT_GRANTED', 'the account may not log on remotely']],
  [0xc0000022, ['STATUS_ACCESS_DENIED', 'access is denied']],
  [0x8009030c, ['SEC_E_LOGON_DENIED', 'the logon was denied']],
]);

/**
 * The error for a TSRequest errorCode.
 * @param code the NTSTATUS (unsigned)
 * @returns NlaAuthenticationError (769) for known logon failures, else an RdpProtocolError (515)
 */
export function credSspError(code: number): GuacamoleError {
  const hex = `0x${code.toString(16).toUpperCase().padStart(8, '0')}`;
  const known = STATUSES.get(code);
  if (known !== undefined) {
    return new NlaAuthenticationError(
      `NLA authentication failed: ${known[1]} (${known[0]}, ${hex}).`,
      { code: 'RDP_NLA_AUTH_FAILED' },
    );
  }
  return protocolError('RDP_CREDSSP_ERROR', `CredSSP failed with NTSTATUS ${hex}.`);
}
