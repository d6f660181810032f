/**
 * @module The FramebufferUpdate body (RFC 6143 §7.6.1): rect headers, each bounds-checked against the
 * framebuffer unless it is a pseudo-encoding, then handed to the encoding's decoder until it completes.
 * LastRect (-224) ends an update early.
 */
import { GuacamoleError } from '../../protocol/index.js';
import type { Decoder, DecoderContext, RectHeader } from './decoders/index.js';
import { Encoding, encodingName } from './encodings.js';
import { protocolError } from './errors.js';
import type { RfbStream } from './rfb-stream.js';

/** What one step did: made progress, needs more bytes, or finished the update. */
export type UpdateStep = 'progress' | 'need-more' | 'end';

/** Reads the rects of one FramebufferUpdate at a time. */
export class UpdateReader {
  readonly #decoders: ReadonlyMap<number, Decoder>;
  readonly #context: DecoderContext;
  #rectsLeft = 0;
  #rect: RectHeader | undefined;

  /**
   * @param decoders the connection's decoder registry
   * @param context stream, framebuffer and sink for the decoders
   */
  constructor(decoders: ReadonlyMap<number, Decoder>, context: DecoderContext) {
    this.#decoders = decoders;
    this.#context = context;
  }

  /** The encoding of the rect being decoded, for the `update` event. */
  get encoding(): number {
    return this.#rect?.encoding ?? Encoding.RAW;
  }

  /**
   * Starts an update.
   * @param rects the rect count from the message header (0xffff with LastRect means "until LastRect")
   */
  begin(rects: number): void {
    this.#rectsLeft = rects;
    this.#rect = undefined;
  }

  /**
   * Reads a rect header or continues a rect.
   * @param stream received bytes
   * @returns what happened
   */
  step(stream: RfbStream): UpdateStep {
    return this.#rect ? this.#body() : this.#header(stream);
  }

  #header(stream: RfbStream): UpdateStep {
    if (this.#rectsLeft === 0) return 'end';
    if (!stream.has(12)) return 'need-more';
    const rect = {
      x: stream.shift16(),
      y: stream.shift16(),
      width: stream.shift16(),
      height: stream.shift16(),
    };
    const encoding = stream.shiftS32();
    this.#rectsLeft--;
    if (encoding === Encoding.LAST_RECT) {
      this.#rectsLeft = 0;
      return 'end';
    }
    const decoder = this.#decoders.get(encoding);
    if (!decoder) {
      throw protocolError('RFB_UNKNOWN_ENCODING', `rect in unrequested encoding ${encoding}.`);
    }
    if (!decoder.pseudo) this.#context.framebuffer.checkRect(rect);
    this.#rect = { ...rect, encoding };
    return 'progress';
  }

  #body(): UpdateStep {
    const rect = this.#rect as RectHeader;
    const decoder = this.#decoders.get(rect.encoding) as Decoder;
    try {
      if (!decoder.decode(rect, this.#context)) return 'need-more';
    } catch (error) {
      if (error instanceof GuacamoleError) throw error;
      const what = `${encodingName(rect.encoding)} rect`;
      throw protocolError('RFB_BAD_RECT', `malformed ${what} (${String(error)}).`);
    }
    this.#rect = undefined;
    return 'progress';
  }
}
