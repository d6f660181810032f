/**
 * @module StreamInterceptor (Java's StreamInterceptingTunnel with its Output- and
 * InputStreamInterceptingFilter): lets the server itself consume a stream guacd sends (a file download
 * over REST) or produce a stream guacd receives (an upload), while the client's tunnel keeps running.
 *
 * It sits in the tunnel's read path: every burst read from guacd passes through {@link filter}, which is
 * free while nothing is intercepted. While a download runs, its `blob`s are decoded into the sink
 * instead of reaching the client and acknowledged with `ack <index> OK 0` once the sink took them (so
 * guacd's pace follows the HTTP client's); after a `sync`, one blob goes to the client as an empty
 * `blob` instead, so the client's own `ack` proves it keeps up with the display. `end` closes the
 * download and still reaches the client. While an upload runs, each `ack` guacd sends for its stream
 * pulls the next chunk (6048 bytes) as a `blob`; a non-zero status fails it with a StreamError. At the
 * end of the data the upload just stops: the client sends `end` itself, as the official frontend does
 * after its last chunk. Instructions injected towards guacd take the tunnel's writer lock in order.
 */
import { decodeInstruction, encodeInstruction, splitInstructions } from '../protocol/index.js';
import { ResourceClosedError } from '../protocol/index.js';
import type { Release } from './lock.js';
import { StreamError } from './stream-error.js';

/** The bytes of one blob of an upload, as Java reads them. */
export const UPLOAD_BLOB_BYTES = 6048;

/** Where a download's bytes go; `write` resolves once the sink can take more. */
export interface StreamSink {
  write(bytes: Buffer): Promise<void>;
}

/** What the interceptor needs of its tunnel. */
export interface InterceptedTunnel {
  isOpen(): boolean;
  acquireWriter(): Promise<Release>;
  readonly socket: { readonly writer: { write(data: string): Promise<void> } };
}

interface Intercepted {
  readonly index: string;
  /** Settles the interception: undefined for a normal end, or the error it failed with. */
  readonly settle: (error?: Error) => void;
}

interface Download extends Intercepted {
  readonly sink: StreamSink;
}

interface Upload extends Intercepted {
  readonly source: AsyncIterator<Buffer>;
  /** Bytes read from the source but not sent yet. */
  pending: Buffer;
}

/** The tunnel's interception of streams; see the module comment. */
export class StreamInterceptor {
  readonly #tunnel: InterceptedTunnel;
  readonly #downloads = new Map<string, Download>();
  readonly #uploads = new Map<string, Upload>();
  #sendQueue: Promise<void> = Promise.resolve();
  /** False after a `sync`: the next intercepted blob is left for the client to acknowledge. */
  #acknowledgeBlobs = true;

  /** @param tunnel the tunnel whose streams are intercepted */
  constructor(tunnel: InterceptedTunnel) {
    this.#tunnel = tunnel;
  }

  /** True while any stream is intercepted (the read path filters only then). */
  get active(): boolean {
    return this.#downloads.size > 0 || this.#uploads.size > 0;
  }

  /**
   * Consumes guacd's stream `index` into `sink` until guacd ends it (Java's interceptStream with an
   * OutputStream). A previous interception of the same index is ended. Nothing happens on a closed
   * tunnel.
   * @param index the stream index
   * @param sink receives the decoded bytes
   * @param signal aborts the download (its receiver went away): guacd is told with a failing `ack`
   * @returns resolves when the stream ended; rejects with ResourceClosedError when the tunnel closes
   *     first, with the sink's error, or with the signal's reason
   */
  async download(index: number, sink: StreamSink, signal?: AbortSignal): Promise<void> {
    if (!this.#tunnel.isOpen()) return;
    const key = String(index);
    let download: Download | undefined;
    const done = new Promise<void>((resolve, reject) => {
      const settle = (error?: Error): void => {
        if (this.#downloads.get(key) !== download) return;
        this.#downloads.delete(key);
        if (error) reject(error);
        else resolve();
      };
      download = { index: key, sink, settle };
      this.#downloads.get(key)?.settle();
      this.#downloads.set(key, download);
    });
    const onAbort = (): void => {
      if (download === undefined || this.#downloads.get(key) !== download) return;
      this.#send(encodeInstruction('ack', key, 'FAIL', '512'));
      download.settle(new Error('The download was aborted.', { cause: signal?.reason }));
    };
    signal?.addEventListener('abort', onAbort, { once: true });
    // Ready to receive: guacd starts sending blobs.
    this.#send(encodeInstruction('ack', key, 'OK', '0'));
    try {
      if (signal?.aborted) onAbort();
      await done;
    } finally {
      signal?.removeEventListener('abort', onAbort);
    }
  }

  /**
   * Sends `source` to guacd's input stream `index` as blobs, each after guacd acknowledged the last
   * (Java's interceptStream with an InputStream). Nothing happens on a closed tunnel.
   * @param index the stream index
   * @param source the bytes to send, in chunks of any size
   * @returns resolves when every byte was acknowledged; rejects with StreamError when guacd refuses a
   *     blob, or ResourceClosedError when the tunnel closes first
   */
  async upload(index: number, source: AsyncIterable<Buffer>): Promise<void> {
    if (!this.#tunnel.isOpen()) return;
    const key = String(index);
    const done = new Promise<void>((resolve, reject) => {
      const settle = (error?: Error): void => {
        if (this.#uploads.get(key) !== upload) return;
        this.#uploads.delete(key);
        if (error) reject(error);
        else resolve();
      };
      const upload: Upload = {
        index: key,
        source: source[Symbol.asyncIterator](),
        pending: Buffer.alloc(0),
        settle,
      };
      this.#uploads.get(key)?.settle();
      this.#uploads.set(key, upload);
      this.#sendNextBlob(upload);
    });
    await done;
  }

  /**
   * Passes a burst read from guacd through the interception: returns it untouched while nothing is
   * intercepted, else without the intercepted blobs (possibly empty).
   * @param burst whole instructions
   * @returns what the client must receive
   */
  filter(burst: Buffer): Buffer {
    if (!this.active) return burst;
    const kept: Buffer[] = [];
    let changed = false;
    for (const raw of splitInstructions(burst)) {
      const result = this.#filterOne(raw);
      if (result !== raw) changed = true;
      if (result !== null) kept.push(result);
    }
    return changed ? Buffer.concat(kept) : burst;
  }

  /** Ends every interception because the tunnel closed (Java's closeAllInterceptedStreams). */
  closeAll(): void {
    const closed = new ResourceClosedError('The tunnel closed before the stream ended.');
    for (const stream of [...this.#downloads.values(), ...this.#uploads.values()]) {
      stream.settle(closed);
    }
  }

  /**
   * @param raw one instruction from guacd
   * @returns the instruction to forward (itself, a replacement) or null to drop it
   */
  #filterOne(raw: Buffer): Buffer | null {
    // Only these opcodes matter; decoding the others (image data) would be wasted work.
    const opcode = raw.subarray(0, 8).toString('latin1');
    if (opcode.startsWith('4.sync,') || opcode.startsWith('4.sync;')) {
      this.#acknowledgeBlobs = false;
      return raw;
    }
    if (!/^(4\.blob|3\.end|3\.ack)[,;]/.test(opcode)) return raw;
    const instruction = decodeInstruction(raw);
    const [index = '', second, third] = instruction.args;
    switch (instruction.opcode) {
      case 'blob': {
        const download = this.#downloads.get(index);
        if (download === undefined || second === undefined) return raw;
        return this.#receiveBlob(download, Buffer.from(second, 'base64'));
      }
      case 'end':
        this.#downloads.get(index)?.settle();
        return raw;
      default: {
        const upload = this.#uploads.get(index);
        if (upload === undefined || third === undefined) return raw;
        if (third !== '0') upload.settle(StreamError.fromWireCode(third, second ?? ''));
        else this.#sendNextBlob(upload);
        return raw;
      }
    }
  }

  /** Writes a blob into the download; acknowledges it once the sink took it, or leaves that to the client. */
  #receiveBlob(download: Download, bytes: Buffer): Buffer | null {
    const leaveToClient = !this.#acknowledgeBlobs;
    this.#acknowledgeBlobs = true;
    download.sink.write(bytes).then(
      () => {
        if (!leaveToClient && this.#downloads.get(download.index) === download) {
          this.#send(encodeInstruction('ack', download.index, 'OK', '0'));
        }
      },
      (error: unknown) => {
        // Java's write failure: a failing `ack` ends guacd's stream, and the interception.
        this.#send(encodeInstruction('ack', download.index, 'FAIL', '512'));
        download.settle(error instanceof Error ? error : new Error(String(error)));
      },
    );
    return leaveToClient ? Buffer.from(encodeInstruction('blob', download.index, '')) : null;
  }

  /** Sends the upload's next blob, or ends it when the source is exhausted. */
  #sendNextBlob(upload: Upload): void {
    this.#nextChunk(upload).then(
      (chunk) => {
        if (this.#uploads.get(upload.index) !== upload) return;
        if (chunk === null) upload.settle();
        else this.#send(encodeInstruction('blob', upload.index, chunk.toString('base64')));
      },
      (error: unknown) => {
        // An unreadable source ends the stream for guacd too.
        if (this.#uploads.get(upload.index) === upload) {
          this.#send(encodeInstruction('end', upload.index));
        }
        upload.settle(error instanceof Error ? error : new Error(String(error)));
      },
    );
  }

  /** @returns the next (at most 6048) bytes of the upload, or null at the end of its source */
  async #nextChunk(upload: Upload): Promise<Buffer | null> {
    while (upload.pending.length < UPLOAD_BLOB_BYTES) {
      const next = await upload.source.next();
      if (next.done === true) break;
      upload.pending =
        upload.pending.length === 0 ? next.value : Buffer.concat([upload.pending, next.value]);
    }
    if (upload.pending.length === 0) return null;
    const chunk = upload.pending.subarray(0, UPLOAD_BLOB_BYTES);
    upload.pending = upload.pending.subarray(chunk.length);
    return chunk;
  }

  /** Queues an instruction for guacd behind the tunnel's writer lock; failures only end the attempt. */
  #send(instruction: string): void {
    this.#sendQueue = this.#sendQueue.then(async () => {
      if (!this.#tunnel.isOpen()) return;
      const release = await this.#tunnel.acquireWriter();
      try {
        await this.#tunnel.socket.writer.write(instruction);
      } catch {
        // The tunnel is failing; its own reader reports why.
      } finally {
        release();
      }
    });
  }
}
