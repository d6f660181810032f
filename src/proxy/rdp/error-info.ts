/**
 * @module The server's Set Error Info codes (MS-RDPBCGR 2.2.5.1.1) turned into Guacamole statuses as guacd
 * does (src/protocols/rdp/error.c): admin disconnects and logoffs close the session, an idle timeout times
 * it out, a second connection is a conflict, a refusing server is unavailable, missing privileges are
 * forbidden; a manual disconnect or logoff by the user is a normal end.
 */
import {
  SecurityError,
  SessionClosedError,
  SessionConflictError,
  SessionTimeoutError,
  UpstreamError,
  UpstreamUnavailableError,
  type GuacamoleError,
} from '../../protocol/index.js';

/**
 * The error a connection ends with after the server set `code` and disconnected.
 * @param code the errorInfo value (not 0)
 * @returns the error, or undefined for a normal end (ERRINFO_RPC_INITIATED_DISCONNECT_BYUSER,
 *   ERRINFO_LOGOFF_BY_USER)
 */
export function disconnectError(code: number): GuacamoleError | undefined {
  const options = { code: `RDP_ERRINFO_${code.toString(16).padStart(8, '0')}` };
  switch (code) {
    case 0x1:
      return new SessionClosedError('Forcibly disconnected.', options);
    case 0x2:
      return new SessionClosedError('Logged off.', options);
    case 0x3:
      return new SessionTimeoutError('Idle session time limit exceeded.', options);
    case 0x4:
      return new SessionClosedError('Active session time limit exceeded.', options);
    case 0x5:
      return new SessionConflictError('Disconnected by other connection.', options);
    case 0x6:
    case 0x7:
      return new UpstreamUnavailableError('Server refused connection.', options);
    case 0x9:
      return new SecurityError('Insufficient privileges.', options);
    case 0xa:
      return new SecurityError('Credentials expired.', options);
    case 0xb:
    case 0xc:
      return undefined;
    default:
      return new UpstreamError(
        `The RDP server disconnected (error info 0x${code.toString(16)}).`,
        options,
      );
  }
}
