/**
 * @module The VNC client library of the bundled proxy: an RFB client over any Duplex that decodes into
 * a Framebuffer and reports updates as events. No Guacamole display encoding happens here.
 */
export { VncClient, type VncClientEvents, type VncClientOptions } from './vnc-client.js';
export { Framebuffer, MAX_DIMENSION, type Rect } from './framebuffer.js';
export { Handshake, type RfbVersion, type ServerInit } from './handshake.js';
export { RfbAuthenticationError, RfbProtocolError } from './errors.js';
export { Encoding, DEFAULT_ENCODINGS, parseEncodingList } from './encodings.js';
export { SUPPORTED_ENCODINGS, type CursorImage, type Screen } from './decoders/index.js';
export {
  SecurityType,
  VeNCryptSubtype,
  chooseSubtype,
  plainCredentials,
  vncAuthResponse,
  type CredentialName,
  type CredentialPrompt,
} from './security/index.js';
export type { VncTlsOptions } from './transport.js';
export {
  ClipboardFlag,
  EXTENDED_CLIPBOARD,
  MAX_TEXT_BYTES,
  extendedCutText,
} from './extended-clipboard.js';
export {
  decodeClipboard,
  encodeClipboard,
  parseClipboardEncoding,
  type ClipboardEncoding,
} from './clipboard-encoding.js';
export { VNC_ARGS, clientOptions, parseVncSettings, type VncSettings } from './settings.js';
export { RfbStream } from './rfb-stream.js';
