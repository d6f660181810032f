/**
 * @module Turns update PDUs — fast-path updates and slow-path Update / Pointer data PDUs alike — into
 * drawing calls on an UpdateSink: decoded bitmaps, palette changes and cursors (with the pointer cache).
 */
import { parseBitmapUpdate, type DecodedBitmap } from './bitmap.js';
import { ByteReader } from './bytes.js';
import { protocolError } from './errors.js';
import {
  FASTPATH_UPDATETYPE_BITMAP,
  FASTPATH_UPDATETYPE_CACHED,
  FASTPATH_UPDATETYPE_COLOR,
  FASTPATH_UPDATETYPE_LARGE_POINTER,
  FASTPATH_UPDATETYPE_PALETTE,
  FASTPATH_UPDATETYPE_POINTER,
  FASTPATH_UPDATETYPE_PTR_NULL,
} from './fastpath.js';
import { HIDDEN_CURSOR, POINTER_CACHE_SIZE, parsePointer, type RdpCursor } from './pointer.js';

/** Where decoded updates go. */
export interface UpdateSink {
  bitmap(bitmap: DecodedBitmap): void;
  cursor(cursor: RdpCursor): void;
}

const UPDATETYPE_ORDERS = 0;
const UPDATETYPE_BITMAP = 1;
const UPDATETYPE_PALETTE = 2;
const TS_PTRMSGTYPE_SYSTEM = 1;
const TS_PTRMSGTYPE_COLOR = 6;
const TS_PTRMSGTYPE_CACHED = 7;
const TS_PTRMSGTYPE_POINTER = 8;
const TS_PTRMSGTYPE_LARGE = 9;
const SYSPTR_NULL = 0;

/** Decodes updates against the current desktop, palette and pointer cache. */
export class UpdateDecoder {
  readonly #sink: UpdateSink;
  readonly #palette = new Uint32Array(256);
  readonly #pointers: (RdpCursor | undefined)[] = [];
  /** The desktop every bitmap is checked against. */
  desktop = { width: 0, height: 0 };

  /** @param sink receives the decoded updates */
  constructor(sink: UpdateSink) {
    this.#sink = sink;
  }

  /**
   * Handles one fast-path update.
   * @param code the fast-path update code
   * @param data its bytes
   */
  fastPath(code: number, data: Uint8Array): void {
    const reader = new ByteReader(data);
    switch (code) {
      case FASTPATH_UPDATETYPE_BITMAP:
        this.#bitmaps(reader);
        break;
      case FASTPATH_UPDATETYPE_PALETTE:
        this.#palette8(reader);
        break;
      case FASTPATH_UPDATETYPE_PTR_NULL:
        this.#sink.cursor(HIDDEN_CURSOR);
        break;
      case FASTPATH_UPDATETYPE_COLOR:
        this.#pointer(reader, 24);
        break;
      case FASTPATH_UPDATETYPE_POINTER:
      case FASTPATH_UPDATETYPE_LARGE_POINTER:
        this.#pointer(reader, reader.u16());
        break;
      case FASTPATH_UPDATETYPE_CACHED:
        this.#cached(reader.u16());
        break;
      default:
        // Orders, surface commands, default pointer, position and synchronize: nothing to draw.
        break;
    }
  }

  /**
   * Handles the body of a slow-path Update data PDU.
   * @param reader positioned at updateType
   */
  slowPathUpdate(reader: ByteReader): void {
    const type = reader.peek16();
    if (type === UPDATETYPE_BITMAP) this.#bitmaps(reader);
    else if (type === UPDATETYPE_PALETTE) this.#palette8(reader);
    else if (type === UPDATETYPE_ORDERS) {
      throw protocolError('RDP_UNEXPECTED_ORDERS', 'drawing orders were never advertised.');
    }
  }

  /**
   * Handles the body of a slow-path Pointer data PDU.
   * @param reader positioned at messageType
   */
  slowPathPointer(reader: ByteReader): void {
    const type = reader.u16();
    reader.skip(2);
    if (type === TS_PTRMSGTYPE_SYSTEM) {
      if (reader.u32() === SYSPTR_NULL) this.#sink.cursor(HIDDEN_CURSOR);
    } else if (type === TS_PTRMSGTYPE_COLOR) this.#pointer(reader, 24);
    else if (type === TS_PTRMSGTYPE_POINTER || type === TS_PTRMSGTYPE_LARGE) {
      this.#pointer(reader, reader.u16());
    } else if (type === TS_PTRMSGTYPE_CACHED) this.#cached(reader.u16());
  }

  #bitmaps(reader: ByteReader): void {
    for (const bitmap of parseBitmapUpdate(reader, this.desktop, this.#palette)) {
      this.#sink.bitmap(bitmap);
    }
  }

  #palette8(reader: ByteReader): void {
    reader.skip(4);
    const count = reader.u32();
    if (count > 256) throw protocolError('RDP_BAD_PALETTE', `palette of ${count} colours.`);
    for (let i = 0; i < count; i++) {
      this.#palette[i] = (reader.u8() << 16) | (reader.u8() << 8) | reader.u8();
    }
  }

  #pointer(reader: ByteReader, xorBpp: number): void {
    const { cacheIndex, cursor } = parsePointer(reader, xorBpp);
    if (cacheIndex >= POINTER_CACHE_SIZE) {
      throw protocolError('RDP_BAD_POINTER', `pointer cache index ${cacheIndex}.`);
    }
    this.#pointers[cacheIndex] = cursor;
    this.#sink.cursor(cursor);
  }

  #cached(index: number): void {
    const cursor = this.#pointers[index];
    if (cursor === undefined) {
      throw protocolError('RDP_BAD_POINTER', `cached pointer ${index} was never sent.`);
    }
    this.#sink.cursor(cursor);
  }
}
