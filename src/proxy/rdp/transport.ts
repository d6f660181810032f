/**
 * @module The RDP connection's transport: the TLS upgrade of the TCP socket after the X.224 negotiation
 * (verified unless `ignore-cert`; SNI only for host names), the first PDU over TLS (MCS Connect Initial
 * with the client data blocks), and the errors a failing socket ends the connection with.
 */
import type net from 'node:net';
import tls from 'node:tls';
import { UpstreamError } from '../../protocol/index.js';
import { clientDataBlocks, conferenceCreateRequest } from './gcc.js';
import { connectInitial } from './mcs.js';
import type { RdpSettings } from './settings.js';
import { x224Data } from './x224.js';

/**
 * Starts TLS on a connected socket.
 * @param socket the TCP socket, with no listeners of its own left
 * @param settings hostname and ignore-cert
 * @returns the TLS socket
 */
export function upgradeToTls(socket: net.Socket, settings: RdpSettings): tls.TLSSocket {
  const host = settings.hostname;
  return tls.connect({
    socket,
    rejectUnauthorized: !settings.ignoreCert,
    ...(/^[\d.]+$|:/.test(host) ? {} : { servername: host }),
  });
}

/**
 * The MCS Connect Initial PDU with the client's GCC data, as a TPKT.
 * @param settings size, depth, keyboard and client name
 * @param selectedProtocol the protocol the server selected
 * @param channels the static virtual channels to request
 * @returns the packet
 */
export function connectInitialPacket(
  settings: RdpSettings,
  selectedProtocol: number,
  channels: readonly string[],
): Buffer {
  const blocks = clientDataBlocks({
    width: settings.width,
    height: settings.height,
    colorDepth: settings.colorDepth,
    keyboardLayout: settings.keyboardLayout,
    clientName: settings.clientName,
    selectedProtocol,
    channels,
  });
  return x224Data(connectInitial(conferenceCreateRequest(blocks)));
}

/**
 * The error a socket failure ends the connection with.
 * @param error the socket's error
 * @param duringTls whether the TLS handshake was running
 * @returns `RDP_TLS` (with advice for certificate failures) or `RDP_SOCKET`
 */
export function socketError(error: Error, duringTls: boolean): UpstreamError {
  if (!duringTls) {
    return new UpstreamError(`Connection to the RDP server failed: ${error.message}`, {
      cause: error,
      code: 'RDP_SOCKET',
    });
  }
  const advice = /certificate|self.signed/i.test(error.message)
    ? ' (set ignore-cert=true to accept it)'
    : '';
  return new UpstreamError(`TLS connection to the RDP server failed: ${error.message}${advice}`, {
    cause: error,
    code: 'RDP_TLS',
  });
}
