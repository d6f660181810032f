/**
 * @module The server's Set Error Info codes (MS-RDPBCGR 2.2.5.1.1) turned into Guacamole statuses the way
 * guacd does: logoff and admin disconnects close the session, timeouts time it out, a second connection
 * is a conflict, and everything else is an upstream error.
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
 * @param code the errorInfo value
 * @returns the error
 */
export function disconnectError(code: number): GuacamoleError {
  const options = { code: `RDP_ERRINFO_${code.toString(16).padStart(8, '0')}` };
  switch (code) {
    case 0x1:
      return new SessionClosedError('Forcibly disconnected.', options);
    case 0x2:
    case 0xc:
      return new SessionClosedError('Logged off.', options);
    case 0x3:
      return new SessionTimeoutError('Idle session time limit exceeded.', options);
    case 0x4:
      return new SessionTimeoutError('Active session time limit exceeded.', options);
    case 0x5:
      return new SessionConflictError('Disconnected by other connection.', options);
    case 0x6:
    case 0x7:
      return new UpstreamUnavailableError('Server refused connection.', options);
    case 0x9:
      return new SecurityError('Insufficient privileges.', options);
    default:
      return new UpstreamError(
        `The RDP server disconnected (error info 0x${code.toString(16)}).`,
        options,
      );
  }
}
