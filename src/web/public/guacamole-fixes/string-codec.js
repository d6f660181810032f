/**
 * @module A Guacamole.StringWriter and Guacamole.StringReader that encode and decode real UTF-8. The npm
 * 1.5.0 build (and every release since: GUACAMOLE-1972) encodes each UTF-16 unit on its own, so a
 * surrogate pair becomes two 3-byte sequences (CESU-8, which guacd rejects as invalid UTF-8), and its
 * UTF8Parser truncates 4-byte sequences to 16 bits (U+1F600 arrives as U+F600). Clipboard text outside
 * the Basic Multilingual Plane is therefore corrupted in both directions, whatever the tunnel.
 */

/**
 * @typedef {object} GuacamoleStreams the parts of guacamole-common-js the codec uses
 * @property {new (stream: object) => { sendData(data: Uint8Array): void, sendEnd(): void, onack: ((status: object) => void) | null }} ArrayBufferWriter
 * @property {new (stream: object) => { ondata: ((buffer: ArrayBuffer) => void) | null, onend: (() => void) | null }} ArrayBufferReader
 */

/** A high surrogate, which must wait for the low one that the next sendText call may bring. */
const HIGH_SURROGATE_AT_END = /[\uD800-\uDBFF]$/;

/**
 * Builds the StringWriter class for one guacamole-common-js namespace.
 * @param {GuacamoleStreams} Guacamole the namespace whose ArrayBufferWriter it uses
 * @returns {new (stream: object) => object} a drop-in Guacamole.StringWriter
 */
export function createStringWriter(Guacamole) {
  const { ArrayBufferWriter } = Guacamole;

  /** Writes text to an output stream as UTF-8 blobs (same API as Guacamole.StringWriter). */
  class StringWriter {
    #writer;
    #encoder = new TextEncoder();
    /** A trailing high surrogate, kept for the low one that the next sendText call may bring. */
    #pending = '';

    /** @param {object} stream the Guacamole.OutputStream to write to */
    constructor(stream) {
      this.#writer = new ArrayBufferWriter(stream);
      /** @type {((status: object) => void) | null} */
      this.onack = null;
      this.#writer.onack = (status) => {
        if (this.onack) this.onack(status);
      };
    }

    /** @param {string} text more text; a pair split across two calls is still encoded whole */
    sendText(text) {
      let whole = this.#pending + text;
      this.#pending = '';
      if (HIGH_SURROGATE_AT_END.test(whole)) {
        this.#pending = whole.slice(-1);
        whole = whole.slice(0, -1);
      }
      if (whole.length) this.#writer.sendData(this.#encoder.encode(whole));
    }

    /** Ends the stream; a high surrogate left over is sent as U+FFFD, as TextEncoder does. */
    sendEnd() {
      if (this.#pending) this.#writer.sendData(this.#encoder.encode(this.#pending));
      this.#pending = '';
      this.#writer.sendEnd();
    }
  }

  return StringWriter;
}

/**
 * Builds the StringReader class for one guacamole-common-js namespace.
 * @param {GuacamoleStreams} Guacamole the namespace whose ArrayBufferReader it uses
 * @returns {new (stream: object) => object} a drop-in Guacamole.StringReader
 */
export function createStringReader(Guacamole) {
  const { ArrayBufferReader } = Guacamole;

  /** Reads UTF-8 text from an input stream (same API as Guacamole.StringReader). */
  class StringReader {
    /** @param {object} stream the Guacamole.InputStream to read from */
    constructor(stream) {
      const reader = new ArrayBufferReader(stream);
      // `stream: true` keeps a sequence split across blobs until its last byte arrives.
      const decoder = new TextDecoder('utf-8');
      /** @type {((text: string) => void) | null} */
      this.ontext = null;
      /** @type {(() => void) | null} */
      this.onend = null;
      reader.ondata = (buffer) => {
        this.#emit(decoder.decode(buffer, { stream: true }));
      };
      reader.onend = () => {
        this.#emit(decoder.decode());
        if (this.onend) this.onend();
      };
    }

    /** @param {string} text decoded text, passed on unless empty */
    #emit(text) {
      if (text && this.ontext) this.ontext(text);
    }
  }

  return StringReader;
}
