/**
 * @module The bundled proxy's own RDP client (TLS security, bitmap updates, fast-path input).
 */
export { RdpClient, type RdpClientEvents } from './rdp-client.js';
export { RDP_ARGS, parseRdpSettings, type RdpSettings } from './settings.js';
export { RdpNegotiationError, RdpProtocolError, protocolError } from './errors.js';
export { NLA_ADVICE } from './x224.js';
export type { DecodedBitmap } from './bitmap.js';
export type { RdpCursor } from './pointer.js';
