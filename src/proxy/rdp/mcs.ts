/**
 * @module T.125 MCS as RDP uses it: Connect Initial/Response (BER), and the PER-encoded domain PDUs
 * Erect Domain, Attach User Request/Confirm, Channel Join Request/Confirm, Send Data Request/Indication
 * and Disconnect Provider Ultimatum (MS-RDPBCGR 2.2.1.3 – 2.2.1.9).
 */
import {
  BER_BOOLEAN,
  BER_ENUMERATED,
  BER_INTEGER,
  BER_OCTET_STRING,
  BER_SEQUENCE,
  applicationTag,
  berInteger,
  berTlv,
  readBerInteger,
  readBerTlv,
} from './ber.js';
import { ByteReader } from './bytes.js';
import { protocolError } from './errors.js';
import { perLength, readPerLength } from './per.js';

/** MCS user IDs are sent as offsets from this base. */
export const MCS_USER_BASE = 1001;

/** Domain PDU choices (the top six bits of the first byte). */
export const MCS_ERECT_DOMAIN = 1;
export const MCS_DISCONNECT_ULTIMATUM = 8;
export const MCS_ATTACH_USER_REQUEST = 10;
export const MCS_ATTACH_USER_CONFIRM = 11;
export const MCS_CHANNEL_JOIN_REQUEST = 14;
export const MCS_CHANNEL_JOIN_CONFIRM = 15;
export const MCS_SEND_DATA_REQUEST = 25;
export const MCS_SEND_DATA_INDICATION = 26;

function domainParameters(values: readonly number[]): Buffer {
  return berTlv(BER_SEQUENCE, Buffer.concat(values.map(berInteger)));
}

/**
 * The MCS Connect Initial PDU.
 * @param userData the GCC Conference Create Request
 * @returns the BER encoding
 */
export function connectInitial(userData: Buffer): Buffer {
  const body = Buffer.concat([
    berTlv(BER_OCTET_STRING, Buffer.from([1])),
    berTlv(BER_OCTET_STRING, Buffer.from([1])),
    berTlv(BER_BOOLEAN, Buffer.from([0xff])),
    domainParameters([34, 2, 0, 1, 0, 1, 0xffff, 2]),
    domainParameters([1, 1, 1, 1, 0, 1, 0x420, 2]),
    domainParameters([0xffff, 0xfc17, 0xffff, 1, 0, 1, 0xffff, 2]),
    berTlv(BER_OCTET_STRING, userData),
  ]);
  return berTlv(applicationTag(101), body);
}

/**
 * Parses the MCS Connect Response PDU.
 * @param data the X.224 payload
 * @returns the GCC user data
 */
export function parseConnectResponse(data: Uint8Array): Uint8Array {
  const outer = new ByteReader(data);
  const body = readBerTlv(outer, applicationTag(102), 'MCS Connect Response');
  const result = readBerInteger(body, BER_ENUMERATED, 'MCS result');
  if (result !== 0) {
    throw protocolError('RDP_MCS_REFUSED', `the server refused MCS Connect (result ${result}).`);
  }
  readBerInteger(body, BER_INTEGER, 'calledConnectId');
  readBerTlv(body, BER_SEQUENCE, 'domainParameters');
  const userData = readBerTlv(body, BER_OCTET_STRING, 'userData');
  return userData.bytes(userData.remaining);
}

/** @returns the Erect Domain Request PDU (subHeight 0, subInterval 0) */
export function erectDomainRequest(): Buffer {
  return Buffer.from([MCS_ERECT_DOMAIN << 2, 0x01, 0x00, 0x01, 0x00]);
}

/** @returns the Attach User Request PDU */
export function attachUserRequest(): Buffer {
  return Buffer.from([MCS_ATTACH_USER_REQUEST << 2]);
}

/**
 * The Channel Join Request PDU.
 * @param userId the MCS user ID
 * @param channelId the channel to join
 * @returns the PDU
 */
export function channelJoinRequest(userId: number, channelId: number): Buffer {
  const out = Buffer.alloc(5);
  out[0] = MCS_CHANNEL_JOIN_REQUEST << 2;
  out.writeUInt16BE(userId - MCS_USER_BASE, 1);
  out.writeUInt16BE(channelId, 3);
  return out;
}

/**
 * The Send Data Request PDU around a payload.
 * @param userId the MCS user ID
 * @param channelId the channel
 * @param payload the data
 * @returns the PDU
 */
export function sendDataRequest(userId: number, channelId: number, payload: Uint8Array): Buffer {
  const head = Buffer.alloc(6);
  head[0] = MCS_SEND_DATA_REQUEST << 2;
  head.writeUInt16BE(userId - MCS_USER_BASE, 1);
  head.writeUInt16BE(channelId, 3);
  head[5] = 0x70;
  return Buffer.concat([head, perLength(payload.length), payload]);
}

/** A parsed domain PDU from the server. */
export type DomainPdu =
  | { readonly type: 'attachUserConfirm'; readonly result: number; readonly userId: number }
  | { readonly type: 'channelJoinConfirm'; readonly result: number; readonly channelId: number }
  | { readonly type: 'data'; readonly channelId: number; readonly data: Uint8Array }
  | { readonly type: 'disconnect'; readonly reason: number };

/**
 * Parses a domain PDU sent by the server.
 * @param data the X.224 payload
 * @returns the PDU
 */
export function parseDomainPdu(data: Uint8Array): DomainPdu {
  const reader = new ByteReader(data);
  const first = reader.u8();
  const choice = first >> 2;
  switch (choice) {
    case MCS_ATTACH_USER_CONFIRM: {
      const result = reader.u8();
      const userId = (first & 0x02) !== 0 ? reader.u16be() + MCS_USER_BASE : 0;
      return { type: 'attachUserConfirm', result, userId };
    }
    case MCS_CHANNEL_JOIN_CONFIRM: {
      const result = reader.u8();
      reader.skip(2);
      const requested = reader.u16be();
      const channelId = (first & 0x02) !== 0 ? reader.u16be() : requested;
      return { type: 'channelJoinConfirm', result, channelId };
    }
    case MCS_SEND_DATA_INDICATION: {
      reader.skip(2);
      const channelId = reader.u16be();
      reader.skip(1);
      const length = readPerLength(reader);
      return { type: 'data', channelId, data: reader.bytes(length, 'MCS data') };
    }
    case MCS_DISCONNECT_ULTIMATUM: {
      const reason = ((first & 0x01) << 1) | ((data[1] ?? 0) >> 7);
      return { type: 'disconnect', reason };
    }
    default:
      throw protocolError('RDP_BAD_MCS', `unexpected MCS domain PDU ${choice}.`);
  }
}
