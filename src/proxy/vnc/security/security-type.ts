/** @module RFB security type numbers and the interface each security type's handler implements. */
import type { RfbStream } from '../rfb-stream.js';

/** Security type numbers (RFC 6143 §7.1.2 and the IANA registry). */
export const SecurityType = {
  INVALID: 0,
  NONE: 1,
  VNC_AUTH: 2,
  VENCRYPT: 19,
} as const;

/** One security type's authentication exchange, run between the type choice and SecurityResult. */
export interface SecurityHandler {
  /** The security type number. */
  readonly type: number;
  /** Whether a SecurityResult follows even in RFB 3.3 and 3.7 (true for every type but None). */
  readonly resultAlwaysSent: boolean;
  /**
   * Runs (part of) the exchange.
   * @param stream received bytes
   * @param send writes bytes to the server
   * @returns true when done, false when more bytes are needed
   */
  authenticate(stream: RfbStream, send: (bytes: Uint8Array) => void): boolean;
}
