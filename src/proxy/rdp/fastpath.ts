/**
 * @module Fast-path (MS-RDPBCGR 2.2.9.1.2 and 2.2.8.1.2): splitting server output PDUs into updates with
 * fragment reassembly (bounded by the MultifragmentUpdate size), and encoding client input events
 * (scancode, unicode, mouse with buttons and wheel).
 */
import { ByteReader } from './bytes.js';
import { MAX_FRAGMENTED_UPDATE } from './capabilities.js';
import { protocolError } from './errors.js';

export const FASTPATH_UPDATETYPE_ORDERS = 0x0;
export const FASTPATH_UPDATETYPE_BITMAP = 0x1;
export const FASTPATH_UPDATETYPE_PALETTE = 0x2;
export const FASTPATH_UPDATETYPE_SYNCHRONIZE = 0x3;
export const FASTPATH_UPDATETYPE_SURFCMDS = 0x4;
export const FASTPATH_UPDATETYPE_PTR_NULL = 0x5;
export const FASTPATH_UPDATETYPE_PTR_DEFAULT = 0x6;
export const FASTPATH_UPDATETYPE_PTR_POSITION = 0x8;
export const FASTPATH_UPDATETYPE_COLOR = 0x9;
export const FASTPATH_UPDATETYPE_CACHED = 0xa;
export const FASTPATH_UPDATETYPE_POINTER = 0xb;
export const FASTPATH_UPDATETYPE_LARGE_POINTER = 0xc;

const FRAGMENT_SINGLE = 0;
const FRAGMENT_LAST = 1;
const FRAGMENT_FIRST = 2;
const COMPRESSION_USED = 0x2;
const OUTPUT_ENCRYPTED = 0x2;

/** One complete fast-path update. */
export interface FastPathUpdate {
  readonly code: number;
  readonly data: Uint8Array;
}

/** Splits fast-path output PDUs into updates, reassembling fragmented ones. */
export class FastPathReader {
  #fragments: Uint8Array[] = [];
  #fragmentBytes = 0;
  #fragmentCode = -1;

  /**
   * @param frame one whole fast-path output PDU
   * @returns the complete updates it finishes
   */
  read(frame: Uint8Array): FastPathUpdate[] {
    const reader = new ByteReader(frame);
    const header = reader.u8();
    if (((header >> 6) & OUTPUT_ENCRYPTED) !== 0) {
      throw protocolError('RDP_ENCRYPTED', 'encrypted fast-path output without RDP encryption.');
    }
    const first = reader.u8();
    if (first & 0x80) reader.skip(1);
    const updates: FastPathUpdate[] = [];
    while (reader.remaining > 0) {
      const updateHeader = reader.u8();
      const code = updateHeader & 0x0f;
      const fragmentation = (updateHeader >> 4) & 0x03;
      if (((updateHeader >> 6) & COMPRESSION_USED) !== 0) {
        throw protocolError('RDP_COMPRESSED', 'bulk-compressed update, never advertised.');
      }
      const size = reader.u16();
      const data = reader.bytes(size, 'fast-path update');
      if (fragmentation === FRAGMENT_SINGLE) {
        updates.push({ code, data });
        continue;
      }
      if (fragmentation === FRAGMENT_FIRST) {
        this.#fragments = [];
        this.#fragmentBytes = 0;
        this.#fragmentCode = code;
      } else if (this.#fragmentCode !== code) {
        throw protocolError('RDP_BAD_FRAGMENT', 'a fast-path fragment without its first part.');
      }
      this.#fragmentBytes += data.length;
      if (this.#fragmentBytes > MAX_FRAGMENTED_UPDATE) {
        throw protocolError('RDP_BAD_FRAGMENT', 'a fragmented update exceeds the advertised size.');
      }
      this.#fragments.push(Buffer.from(data));
      if (fragmentation === FRAGMENT_LAST) {
        updates.push({ code, data: Buffer.concat(this.#fragments) });
        this.#fragments = [];
        this.#fragmentBytes = 0;
        this.#fragmentCode = -1;
      }
    }
    return updates;
  }
}

const EVENT_SCANCODE = 0;
const EVENT_MOUSE = 1;
const EVENT_UNICODE = 4;
const KBDFLAGS_RELEASE = 0x01;
const KBDFLAGS_EXTENDED = 0x02;

export const PTRFLAGS_WHEEL = 0x0200;
export const PTRFLAGS_WHEEL_NEGATIVE = 0x0100;
export const PTRFLAGS_MOVE = 0x0800;
export const PTRFLAGS_DOWN = 0x8000;
export const PTRFLAGS_BUTTON1 = 0x1000;
export const PTRFLAGS_BUTTON2 = 0x2000;
export const PTRFLAGS_BUTTON3 = 0x4000;

/**
 * A fast-path input PDU around events.
 * @param events encoded events (at most 15)
 * @returns the PDU
 */
export function fastPathInput(events: readonly Uint8Array[]): Buffer {
  const body = Buffer.concat(events);
  const length = body.length + 3;
  const head = Buffer.from([(events.length & 0x0f) << 2, 0x80 | (length >> 8), length & 0xff]);
  return Buffer.concat([head, body]);
}

/**
 * A scancode event.
 * @param scancode the set-1 scancode
 * @param extended whether it carries the E0 prefix
 * @param pressed false for a release
 * @returns the event
 */
export function scancodeEvent(scancode: number, extended: boolean, pressed: boolean): Buffer {
  const flags = (pressed ? 0 : KBDFLAGS_RELEASE) | (extended ? KBDFLAGS_EXTENDED : 0);
  return Buffer.from([(EVENT_SCANCODE << 5) | flags, scancode & 0xff]);
}

/**
 * A unicode keyboard event.
 * @param code a UTF-16 code unit
 * @param pressed false for a release
 * @returns the event
 */
export function unicodeEvent(code: number, pressed: boolean): Buffer {
  const out = Buffer.alloc(3);
  out[0] = (EVENT_UNICODE << 5) | (pressed ? 0 : KBDFLAGS_RELEASE);
  out.writeUInt16LE(code & 0xffff, 1);
  return out;
}

/**
 * A mouse event.
 * @param flags PTRFLAGS_*
 * @param x the column
 * @param y the row
 * @returns the event
 */
export function mouseEvent(flags: number, x: number, y: number): Buffer {
  const out = Buffer.alloc(7);
  out[0] = EVENT_MOUSE << 5;
  out.writeUInt16LE(flags & 0xffff, 1);
  out.writeUInt16LE(x & 0xffff, 3);
  out.writeUInt16LE(y & 0xffff, 5);
  return out;
}

/**
 * The mouse events for a change of Guacamole's button mask.
 * @param previous the previous mask (bit 0 left, 1 middle, 2 right, 3 wheel up, 4 wheel down)
 * @param mask the new mask
 * @param x the column
 * @param y the row
 * @returns the events: a move, then one per changed button, then wheel steps
 */
export function mouseEvents(previous: number, mask: number, x: number, y: number): Buffer[] {
  const events = [mouseEvent(PTRFLAGS_MOVE, x, y)];
  const buttons: [number, number][] = [
    [0x01, PTRFLAGS_BUTTON1],
    [0x02, PTRFLAGS_BUTTON3],
    [0x04, PTRFLAGS_BUTTON2],
  ];
  for (const [bit, flag] of buttons) {
    if ((previous & bit) === (mask & bit)) continue;
    events.push(mouseEvent(flag | ((mask & bit) !== 0 ? PTRFLAGS_DOWN : 0), x, y));
  }
  if ((mask & 0x08) !== 0 && (previous & 0x08) === 0) {
    events.push(mouseEvent(PTRFLAGS_WHEEL | 0x78, x, y));
  }
  if ((mask & 0x10) !== 0 && (previous & 0x10) === 0) {
    events.push(mouseEvent(PTRFLAGS_WHEEL | PTRFLAGS_WHEEL_NEGATIVE | 0x88, x, y));
  }
  return events;
}
