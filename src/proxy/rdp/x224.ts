/**
 * @module X.224 (ISO 8073 class 0) as RDP uses it: the Connection Request carrying RDP_NEG_REQ, the
 * Connection Confirm carrying RDP_NEG_RSP or RDP_NEG_FAILURE, and the 3-byte Data TPDU header.
 * Failure codes are turned into plain-words errors (MS-RDPBCGR 2.2.1.2.2).
 */
import { ByteReader } from './bytes.js';
import { RdpNegotiationError, protocolError } from './errors.js';
import { tpkt } from './tpkt.js';

/** Standard RDP Security (no TLS). */
export const PROTOCOL_RDP = 0;
/** TLS. */
export const PROTOCOL_SSL = 1;
/** CredSSP (NLA) over TLS. */
export const PROTOCOL_HYBRID = 2;
/** CredSSP followed by the Early User Authorization Result PDU. */
export const PROTOCOL_HYBRID_EX = 8;

/**
 * The protocols to request for guacd's `security` values: `tls` TLS only, `nla` CredSSP only,
 * `nla-ext` CredSSP with the Early User Authorization Result, anything else (`any`) TLS or CredSSP.
 * @param security the `security` parameter
 * @returns the requestedProtocols flags
 */
export function requestedProtocols(security: string): number {
  if (security === 'tls') return PROTOCOL_SSL;
  if (security === 'nla') return PROTOCOL_HYBRID;
  if (security === 'nla-ext') return PROTOCOL_HYBRID | PROTOCOL_HYBRID_EX;
  return PROTOCOL_SSL | PROTOCOL_HYBRID;
}

/** The X.224 Data TPDU header: LI 2, DT, EOT. */
export const X224_DATA_HEADER = Buffer.from([0x02, 0xf0, 0x80]);

const TYPE_CONNECTION_REQUEST = 0xe0;
const TYPE_CONNECTION_CONFIRM = 0xd0;
const NEG_REQ = 0x01;
const NEG_RSP = 0x02;
const NEG_FAILURE = 0x03;

/** The advice given when the server insists on NLA but `security=tls` asked for TLS only. */
export const NLA_ADVICE =
  'The RDP server requires Network Level Authentication (NLA), but security=tls allows TLS only. ' +
  'Set security to nla or any (the default) for this connection.';

/** Plain-words reasons for RDP_NEG_FAILURE codes. */
const FAILURES: Readonly<Record<number, string>> = {
  1: 'The RDP server requires TLS with a certificate it does not have (SSL_REQUIRED_BY_SERVER).',
  2:
    'The RDP server does not allow TLS and only offers Standard RDP Security, which the bundled ' +
    'proxy does not support. Set security_layer=tls (or negotiate) on the server, or use an ' +
    'external guacd (SSL_NOT_ALLOWED_BY_SERVER).',
  3: 'The RDP server has no TLS certificate (SSL_CERT_NOT_ON_SERVER).',
  4: 'The RDP server rejected the negotiation flags (INCONSISTENT_FLAGS).',
  5: `${NLA_ADVICE} (HYBRID_REQUIRED_BY_SERVER)`,
  6:
    'The RDP server requires TLS with user authentication (SSL_WITH_USER_AUTH_REQUIRED_BY_SERVER), ' +
    'which the bundled proxy does not support; use an external guacd.',
};

/**
 * The Connection Request TPKT with a routing cookie and RDP_NEG_REQ.
 * @param protocols the requested protocols (PROTOCOL_SSL …)
 * @param cookie the `mstshash` user name, or empty for none
 * @returns the TPKT packet
 */
export function connectionRequest(protocols: number, cookie = ''): Buffer {
  const safe = cookie.replace(/[^\x21-\x7e]/g, '').slice(0, 9);
  const cookieBytes = safe === '' ? Buffer.alloc(0) : Buffer.from(`Cookie: mstshash=${safe}\r\n`);
  const neg = Buffer.alloc(8);
  neg[0] = NEG_REQ;
  neg.writeUInt16LE(8, 2);
  neg.writeUInt32LE(protocols, 4);
  const body = Buffer.concat([cookieBytes, neg]);
  const head = Buffer.from([6 + body.length, TYPE_CONNECTION_REQUEST, 0, 0, 0, 0, 0]);
  return tpkt(Buffer.concat([head, body]));
}

/**
 * Parses the Connection Confirm TPKT.
 * @param frame the whole TPKT packet
 * @returns the protocol the server selected
 * @throws RdpNegotiationError when the server sent RDP_NEG_FAILURE
 */
export function parseConnectionConfirm(frame: Uint8Array): number {
  const reader = new ByteReader(frame, 4);
  const li = reader.u8();
  const tpdu = reader.sub(li, 'X.224 Connection Confirm');
  const code = tpdu.u8();
  if ((code & 0xf0) !== TYPE_CONNECTION_CONFIRM) {
    throw protocolError('RDP_BAD_X224', `expected X.224 Connection Confirm, got 0x${hex(code)}.`);
  }
  tpdu.skip(5);
  if (tpdu.remaining < 8) return PROTOCOL_RDP;
  const type = tpdu.u8();
  tpdu.skip(1);
  const length = tpdu.u16();
  const value = tpdu.u32();
  if (length !== 8) throw protocolError('RDP_BAD_X224', `negotiation length ${length}.`);
  if (type === NEG_RSP) return value;
  if (type === NEG_FAILURE) {
    const reason = FAILURES[value] ?? `The RDP server refused the negotiation (code ${value}).`;
    throw new RdpNegotiationError(reason, { code: `RDP_NEG_FAILURE_${value}` });
  }
  throw protocolError('RDP_BAD_X224', `unknown negotiation type 0x${hex(type)}.`);
}

/**
 * Checks the protocol the server selected against what was requested.
 * @param selected the selectedProtocol of RDP_NEG_RSP
 * @param requested the requestedProtocols sent
 * @returns `selected`
 * @throws RdpProtocolError for Standard RDP Security or a protocol that was not requested
 */
export function checkSelectedProtocol(selected: number, requested: number): number {
  if (selected === PROTOCOL_RDP) {
    throw protocolError(
      'RDP_NO_TLS',
      'the server selected Standard RDP Security, which the bundled proxy does not support.',
    );
  }
  if ((selected & ~requested) !== 0) {
    throw protocolError(
      'RDP_BAD_X224',
      `the server selected protocols 0x${selected.toString(16)}, which were not requested ` +
        `(0x${requested.toString(16)}).`,
    );
  }
  return selected;
}

/**
 * Strips the TPKT and X.224 Data headers.
 * @param frame the whole TPKT packet
 * @returns the payload (an MCS PDU)
 */
export function x224Payload(frame: Buffer): Buffer {
  const reader = new ByteReader(frame, 4);
  const li = reader.u8();
  const code = reader.u8();
  if ((code & 0xf0) !== 0xf0 || li !== 2) {
    throw protocolError('RDP_BAD_X224', `expected an X.224 Data TPDU, got 0x${hex(code)}.`);
  }
  reader.skip(1);
  return frame.subarray(reader.offset);
}

/**
 * Wraps an MCS PDU in X.224 Data and TPKT headers.
 * @param payload the MCS PDU
 * @returns the TPKT packet
 */
export function x224Data(payload: Uint8Array): Buffer {
  return tpkt(Buffer.concat([X224_DATA_HEADER, payload]));
}

function hex(n: number): string {
  return n.toString(16).padStart(2, '0');
}
