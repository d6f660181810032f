/**
 * @module Slow-path share PDUs (MS-RDPBCGR 2.2.8.1.1.1): the share control header, the share data header,
 * and the client's finalization PDUs (Synchronize, Control cooperate / request control, Font List).
 */
import { ByteReader, ByteWriter } from './bytes.js';
import { protocolError } from './errors.js';

export const PDUTYPE_DEMANDACTIVEPDU = 0x1;
export const PDUTYPE_CONFIRMACTIVEPDU = 0x3;
export const PDUTYPE_DEACTIVATEALLPDU = 0x6;
export const PDUTYPE_DATAPDU = 0x7;

export const PDUTYPE2_UPDATE = 2;
export const PDUTYPE2_CONTROL = 20;
export const PDUTYPE2_POINTER = 27;
export const PDUTYPE2_INPUT = 28;
export const PDUTYPE2_SYNCHRONIZE = 31;
export const PDUTYPE2_REFRESH_RECT = 33;
export const PDUTYPE2_SHUTDOWN_DENIED = 37;
export const PDUTYPE2_SAVE_SESSION_INFO = 38;
export const PDUTYPE2_FONTLIST = 39;
export const PDUTYPE2_FONTMAP = 40;
export const PDUTYPE2_SET_ERROR_INFO_PDU = 47;

const TS_PROTOCOL_VERSION = 0x10;
const STREAM_LOW = 1;
const CTRLACTION_REQUEST_CONTROL = 1;
const CTRLACTION_COOPERATE = 4;

/** One share control PDU from the server. */
export interface SharePdu {
  readonly type: number;
  readonly source: number;
  /** The body after the share control header. */
  readonly body: ByteReader;
}

/**
 * Splits a channel's data into share control PDUs (several may share one MCS PDU).
 * @param data the I/O channel data
 * @returns the PDUs; flow PDUs (length 0x8000) are skipped
 */
export function parseSharePdus(data: Uint8Array): SharePdu[] {
  const reader = new ByteReader(data);
  const pdus: SharePdu[] = [];
  while (reader.remaining > 0) {
    const total = reader.u16();
    if (total === 0x8000) {
      reader.skip(Math.min(reader.remaining, 6));
      continue;
    }
    if (total < 6) throw protocolError('RDP_BAD_SHARE', `share PDU length ${total}.`);
    const type = reader.u16() & 0x0f;
    const source = reader.u16();
    pdus.push({ type, source, body: reader.sub(total - 6, 'share PDU') });
  }
  return pdus;
}

/** A share data PDU's header and body. */
export interface ShareData {
  readonly type2: number;
  readonly body: ByteReader;
}

/**
 * Parses a share data header (the body of a PDUTYPE_DATAPDU).
 * @param body the share PDU body
 * @returns the data PDU type and its body
 */
export function parseShareData(body: ByteReader): ShareData {
  body.skip(4 + 1 + 1 + 2);
  const type2 = body.u8();
  const compressed = body.u8();
  body.skip(2);
  if ((compressed & 0x20) !== 0) {
    throw protocolError(
      'RDP_COMPRESSED',
      'the server sent bulk-compressed data, never advertised.',
    );
  }
  return { type2, body };
}

/**
 * A share control PDU.
 * @param type the PDU type
 * @param userId the MCS user ID (pduSource)
 * @param body the body
 * @returns the PDU
 */
export function shareControl(type: number, userId: number, body: Uint8Array): Buffer {
  return new ByteWriter()
    .u16(body.length + 6)
    .u16(type | TS_PROTOCOL_VERSION)
    .u16(userId)
    .bytes(body)
    .toBuffer();
}

/**
 * A share data PDU.
 * @param userId the MCS user ID
 * @param shareId the share ID from Demand Active
 * @param type2 the data PDU type
 * @param body the body
 * @returns the PDU
 */
export function shareData(
  userId: number,
  shareId: number,
  type2: number,
  body: Uint8Array,
): Buffer {
  const data = new ByteWriter()
    .u32(shareId)
    .u8(0)
    .u8(STREAM_LOW)
    .u16(body.length + 18)
    .u8(type2)
    .u8(0)
    .u16(0)
    .bytes(body)
    .toBuffer();
  return shareControl(PDUTYPE_DATAPDU, userId, data);
}

/**
 * The client's finalization PDUs, in order.
 * @param userId the MCS user ID
 * @param shareId the share ID
 * @param serverChannel the server's channel ID (targetUser of Synchronize)
 * @returns Synchronize, Control (cooperate), Control (request control), Font List
 */
export function finalizationPdus(userId: number, shareId: number, serverChannel: number): Buffer[] {
  const control = (action: number) => new ByteWriter().u16(action).u16(0).u32(0).toBuffer();
  return [
    shareData(
      userId,
      shareId,
      PDUTYPE2_SYNCHRONIZE,
      new ByteWriter().u16(1).u16(serverChannel).toBuffer(),
    ),
    shareData(userId, shareId, PDUTYPE2_CONTROL, control(CTRLACTION_COOPERATE)),
    shareData(userId, shareId, PDUTYPE2_CONTROL, control(CTRLACTION_REQUEST_CONTROL)),
    shareData(
      userId,
      shareId,
      PDUTYPE2_FONTLIST,
      new ByteWriter().u16(0).u16(0).u16(3).u16(0x32).toBuffer(),
    ),
  ];
}

/**
 * A Refresh Rect PDU body asking for one area to be redrawn.
 * @param width the desktop width
 * @param height the desktop height
 * @returns the body (one TS_RECTANGLE16 with inclusive bounds)
 */
export function refreshRectBody(width: number, height: number): Buffer {
  return new ByteWriter()
    .u8(1)
    .zeros(3)
    .u16(0)
    .u16(0)
    .u16(width - 1)
    .u16(height - 1)
    .toBuffer();
}
