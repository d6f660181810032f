/**
 * @module Capability sets (MS-RDPBCGR 2.2.7): reading the server's Demand Active (share ID, desktop size,
 * colour depth) and building the client's Confirm Active. The client asks for bitmap updates only (no
 * drawing orders, no caches), fast-path output, colour/new pointers and fast-path input.
 */
import { ByteWriter, type ByteReader } from './bytes.js';
import { protocolError } from './errors.js';
import { PDUTYPE_CONFIRMACTIVEPDU, shareControl } from './share.js';

const CAPSTYPE_GENERAL = 0x01;
const CAPSTYPE_BITMAP = 0x02;
const CAPSTYPE_ORDER = 0x03;
const CAPSTYPE_BITMAPCACHE = 0x04;
const CAPSTYPE_CONTROL = 0x05;
const CAPSTYPE_ACTIVATION = 0x07;
const CAPSTYPE_POINTER = 0x08;
const CAPSTYPE_SHARE = 0x09;
const CAPSTYPE_COLORCACHE = 0x0a;
const CAPSTYPE_SOUND = 0x0c;
const CAPSTYPE_INPUT = 0x0d;
const CAPSTYPE_FONT = 0x0e;
const CAPSTYPE_BRUSH = 0x0f;
const CAPSTYPE_GLYPHCACHE = 0x10;
const CAPSTYPE_OFFSCREENCACHE = 0x11;
const CAPSTYPE_VIRTUALCHANNEL = 0x14;
const CAPSTYPE_MULTIFRAGMENTUPDATE = 0x1a;

/** The largest reassembled fast-path update the client accepts (MultifragmentUpdate). */
export const MAX_FRAGMENTED_UPDATE = 8 * 1024 * 1024;

/** What the Demand Active PDU says. */
export interface DemandActive {
  readonly shareId: number;
  readonly width: number;
  readonly height: number;
  readonly bitsPerPixel: number;
}

/**
 * Parses the body of a Demand Active PDU.
 * @param body the share PDU body
 * @returns the share ID and the desktop from the bitmap capability set
 */
export function parseDemandActive(body: ByteReader): DemandActive {
  const shareId = body.u32();
  const sourceLength = body.u16();
  const capsLength = body.u16();
  body.skip(sourceLength);
  const caps = body.sub(capsLength, 'capability sets');
  const count = caps.u16();
  caps.skip(2);
  let bitmap: { width: number; height: number; bitsPerPixel: number } | undefined;
  for (let i = 0; i < count && caps.remaining >= 4; i++) {
    const type = caps.u16();
    const length = caps.u16();
    if (length < 4) throw protocolError('RDP_BAD_CAPS', `capability set length ${length}.`);
    const set = caps.sub(length - 4, 'capability set');
    if (type === CAPSTYPE_BITMAP) {
      const bitsPerPixel = set.u16();
      set.skip(6);
      bitmap = { width: set.u16(), height: set.u16(), bitsPerPixel };
    }
  }
  if (bitmap === undefined) throw protocolError('RDP_BAD_CAPS', 'no bitmap capability set.');
  return { shareId, ...bitmap };
}

/** The client's choices for Confirm Active. */
export interface ConfirmOptions {
  readonly width: number;
  readonly height: number;
  readonly bitsPerPixel: number;
  readonly keyboardLayout: number;
}

function set(type: number, body: ByteWriter): Buffer {
  const data = body.toBuffer();
  return new ByteWriter()
    .u16(type)
    .u16(data.length + 4)
    .bytes(data)
    .toBuffer();
}

/**
 * The client capability sets.
 * @param options size, depth and keyboard
 * @returns the sets
 */
export function clientCapabilities(options: ConfirmOptions): Buffer[] {
  const w = () => new ByteWriter();
  // FASTPATH_OUTPUT_SUPPORTED | LONG_CREDENTIALS_SUPPORTED | NO_BITMAP_COMPRESSION_HDR
  const general = w().u16(1).u16(3).u16(0x200).u16(0).u16(0).u16(0x0405).u16(0).u16(0).u16(0);
  general.u8(1).u8(1);
  const bitmap = w().u16(options.bitsPerPixel).u16(1).u16(1).u16(1);
  bitmap.u16(options.width).u16(options.height).u16(0).u16(1).u16(1).u8(0).u8(0).u16(1).u16(0);
  const order = w().zeros(16).u32(0).u16(1).u16(20).u16(0).u16(1).u16(0).u16(0x2a).zeros(32);
  order.u16(0).u16(0).u32(0).u32(0).u16(0).u16(0).u16(0).u16(0);
  // INPUT_FLAG_SCANCODES | MOUSEX | FASTPATH_INPUT | UNICODE | FASTPATH_INPUT2
  const input = w().u16(0x003d).u16(0).u32(options.keyboardLayout).u32(4).u32(0).u32(12).zeros(64);
  return [
    set(CAPSTYPE_GENERAL, general),
    set(CAPSTYPE_BITMAP, bitmap),
    set(CAPSTYPE_ORDER, order),
    set(CAPSTYPE_BITMAPCACHE, w().zeros(36)),
    set(CAPSTYPE_COLORCACHE, w().u16(6).u16(0)),
    set(CAPSTYPE_ACTIVATION, w().zeros(8)),
    set(CAPSTYPE_CONTROL, w().u16(0).u16(0).u16(2).u16(2)),
    set(CAPSTYPE_POINTER, w().u16(1).u16(25).u16(25)),
    set(CAPSTYPE_SHARE, w().u16(0).u16(0)),
    set(CAPSTYPE_INPUT, input),
    set(CAPSTYPE_SOUND, w().u16(0).u16(0)),
    set(CAPSTYPE_FONT, w().u16(1).u16(0)),
    set(CAPSTYPE_BRUSH, w().u32(0)),
    set(CAPSTYPE_GLYPHCACHE, w().zeros(44).u16(0).u16(0)),
    set(CAPSTYPE_OFFSCREENCACHE, w().zeros(8)),
    set(CAPSTYPE_VIRTUALCHANNEL, w().u32(0).u32(1600)),
    set(CAPSTYPE_MULTIFRAGMENTUPDATE, w().u32(MAX_FRAGMENTED_UPDATE)),
  ];
}

/**
 * The Confirm Active PDU.
 * @param userId the MCS user ID
 * @param shareId the share ID from Demand Active
 * @param options size, depth and keyboard
 * @returns the share control PDU
 */
export function confirmActive(userId: number, shareId: number, options: ConfirmOptions): Buffer {
  const sets = clientCapabilities(options);
  const caps = Buffer.concat(sets);
  const source = Buffer.from('MSTSC\0', 'latin1');
  const body = new ByteWriter()
    .u32(shareId)
    .u16(0x03ea)
    .u16(source.length)
    .u16(caps.length + 4)
    .bytes(source)
    .u16(sets.length)
    .u16(0)
    .bytes(caps)
    .toBuffer();
  return shareControl(PDUTYPE_CONFIRMACTIVEPDU, userId, body);
}
