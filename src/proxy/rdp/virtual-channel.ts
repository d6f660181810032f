/**
 * @module Static virtual channel framing (MS-RDPBCGR 2.2.6.1): each chunk carries a CHANNEL_PDU_HEADER
 * (total length, first/last flags); chunks of at most 1600 bytes out, reassembly in with a size limit.
 */
import { ByteReader, ByteWriter } from './bytes.js';
import { protocolError } from './errors.js';

const CHANNEL_FLAG_FIRST = 0x01;
const CHANNEL_FLAG_LAST = 0x02;
const CHANNEL_FLAG_SHOW_PROTOCOL = 0x10;
/** The chunk size the client advertises (CAPSTYPE_VIRTUALCHANNEL). */
export const CHANNEL_CHUNK_LENGTH = 1600;

/**
 * Splits a channel message into chunks with their headers.
 * @param message the whole message
 * @returns the chunks to send, in order
 */
export function channelChunks(message: Uint8Array): Buffer[] {
  const chunks: Buffer[] = [];
  for (let at = 0; at === 0 || at < message.length; at += CHANNEL_CHUNK_LENGTH) {
    const part = message.subarray(at, at + CHANNEL_CHUNK_LENGTH);
    let flags = CHANNEL_FLAG_SHOW_PROTOCOL;
    if (at === 0) flags |= CHANNEL_FLAG_FIRST;
    if (at + CHANNEL_CHUNK_LENGTH >= message.length) flags |= CHANNEL_FLAG_LAST;
    chunks.push(new ByteWriter().u32(message.length).u32(flags).bytes(part).toBuffer());
  }
  return chunks;
}

/** Reassembles one channel's chunks into messages. */
export class ChannelReassembler {
  readonly #limit: number;
  #parts: Buffer[] = [];
  #size = 0;
  #expected = 0;

  /** @param limit the largest message accepted, in bytes */
  constructor(limit: number) {
    this.#limit = limit;
  }

  /**
   * @param chunk one chunk with its CHANNEL_PDU_HEADER
   * @returns the completed message, or undefined while more chunks are due
   */
  push(chunk: Uint8Array): Buffer | undefined {
    const reader = new ByteReader(chunk);
    const length = reader.u32();
    const flags = reader.u32();
    if (length > this.#limit) {
      throw protocolError('RDP_CHANNEL_TOO_LARGE', `a ${length}-byte channel message.`);
    }
    if (flags & CHANNEL_FLAG_FIRST) {
      this.#parts = [];
      this.#size = 0;
      this.#expected = length;
    }
    const data = Buffer.from(reader.bytes(reader.remaining));
    this.#size += data.length;
    if (this.#size > this.#expected) {
      throw protocolError('RDP_CHANNEL_OVERRUN', 'channel chunks exceed their announced length.');
    }
    this.#parts.push(data);
    if ((flags & CHANNEL_FLAG_LAST) === 0) return undefined;
    const message = Buffer.concat(this.#parts);
    this.#parts = [];
    this.#size = 0;
    return message;
  }
}
