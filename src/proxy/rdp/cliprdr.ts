/**
 * @module The clipboard virtual channel (MS-RDPECLIP) for Unicode text: capabilities and an empty format
 * list after Monitor Ready; a server format list offering CF_UNICODETEXT is answered and its data
 * requested, the response becomes `text`; local text is announced with a format list and sent when the
 * server requests it. Short format names are used (long names are not advertised).
 */
import { ByteReader, ByteWriter } from './bytes.js';
import { protocolError } from './errors.js';
import { ChannelReassembler, channelChunks } from './virtual-channel.js';

/** The channel's name in the client network data. */
export const CLIPRDR_CHANNEL = 'cliprdr';

const CB_MONITOR_READY = 0x0001;
const CB_FORMAT_LIST = 0x0002;
const CB_FORMAT_LIST_RESPONSE = 0x0003;
const CB_FORMAT_DATA_REQUEST = 0x0004;
const CB_FORMAT_DATA_RESPONSE = 0x0005;
const CB_CLIP_CAPS = 0x0007;
const CB_RESPONSE_OK = 0x0001;
const CF_UNICODETEXT = 13;

function pdu(type: number, flags: number, body: Uint8Array = Buffer.alloc(0)): Buffer {
  return new ByteWriter().u16(type).u16(flags).u32(body.length).bytes(body).toBuffer();
}

/** The client side of the clipboard channel. */
export class ClipboardChannel {
  readonly #sendChunk: (chunk: Buffer) => void;
  readonly #chunks: ChannelReassembler;
  readonly #onText: (text: string) => void;
  readonly #maxBytes: number;
  #local: string | undefined;
  #ready = false;

  /**
   * @param sendChunk sends one channel chunk (header included) on the channel
   * @param onText receives the server's clipboard text
   * @param maxBytes the longest text accepted or sent, in UTF-16 bytes
   */
  constructor(
    sendChunk: (chunk: Buffer) => void,
    onText: (text: string) => void,
    maxBytes: number,
  ) {
    this.#sendChunk = sendChunk;
    this.#chunks = new ChannelReassembler(maxBytes + 64);
    this.#onText = onText;
    this.#maxBytes = maxBytes;
  }

  /**
   * Offers local text to the server (sent once the server asks for it).
   * @param text the clipboard text
   */
  setText(text: string): void {
    this.#local = text;
    if (this.#ready) this.#announce();
  }

  /**
   * Handles one chunk received on the channel.
   * @param chunk the chunk with its CHANNEL_PDU_HEADER
   */
  receiveChunk(chunk: Uint8Array): void {
    const message = this.#chunks.push(chunk);
    if (message !== undefined) this.receive(message);
  }

  #send(message: Buffer): void {
    for (const chunk of channelChunks(message)) this.#sendChunk(chunk);
  }

  /**
   * Handles one reassembled cliprdr message.
   * @param message the message
   */
  receive(message: Uint8Array): void {
    const reader = new ByteReader(message);
    const type = reader.u16();
    const flags = reader.u16();
    const body = reader.sub(reader.u32(), 'cliprdr PDU');
    switch (type) {
      case CB_MONITOR_READY: {
        const general = new ByteWriter().u16(1).u16(12).u32(2).u32(0).toBuffer();
        this.#send(pdu(CB_CLIP_CAPS, 0, new ByteWriter().u16(1).u16(0).bytes(general).toBuffer()));
        this.#ready = true;
        this.#announce();
        break;
      }
      case CB_FORMAT_LIST: {
        this.#send(pdu(CB_FORMAT_LIST_RESPONSE, CB_RESPONSE_OK));
        let unicode = false;
        while (body.remaining >= 36) {
          if (body.u32() === CF_UNICODETEXT) unicode = true;
          body.skip(32);
        }
        if (unicode) {
          this.#send(
            pdu(CB_FORMAT_DATA_REQUEST, 0, new ByteWriter().u32(CF_UNICODETEXT).toBuffer()),
          );
        }
        break;
      }
      case CB_FORMAT_DATA_REQUEST: {
        const text = Buffer.from(`${this.#local ?? ''}\0`, 'utf16le');
        const data = text.subarray(0, Math.min(text.length, this.#maxBytes + 2) & ~1);
        this.#send(pdu(CB_FORMAT_DATA_RESPONSE, CB_RESPONSE_OK, data));
        break;
      }
      case CB_FORMAT_DATA_RESPONSE: {
        if ((flags & CB_RESPONSE_OK) === 0) break;
        if (body.remaining > this.#maxBytes + 2) {
          throw protocolError('RDP_CLIPBOARD_TOO_LARGE', `${body.remaining} bytes of clipboard.`);
        }
        const text = Buffer.from(body.bytes(body.remaining & ~1)).toString('utf16le');
        this.#onText(text.replace(/\0[\s\S]*$/, ''));
        break;
      }
      default:
        break;
    }
  }

  #announce(): void {
    const list = new ByteWriter();
    if (this.#local !== undefined) list.u32(CF_UNICODETEXT).zeros(32);
    this.#send(pdu(CB_FORMAT_LIST, 0, list.toBuffer()));
  }
}
