/**
 * @module StreamInterceptor on its own, over a recording fake tunnel: the free pass-through while nothing
 * is intercepted, blob and ack handling, what is injected towards guacd, replacement of an index,
 * closed tunnels, an unreadable upload source, and StreamError's status mapping.
 */
import assert from 'node:assert/strict';
import { Readable } from 'node:stream';
import { describe, it } from 'node:test';
import { encodeInstruction, ResourceClosedError } from '../../src/protocol/index.js';
import { StreamError, StreamInterceptor, type InterceptedTunnel } from '../../src/tunnel/index.js';

/** A tunnel that records what the interceptor writes to guacd. */
class RecordingTunnel implements InterceptedTunnel {
  open = true;
  readonly sent: string[] = [];
  #waiters: (() => void)[] = [];
  readonly socket = {
    writer: {
      write: (data: string): Promise<void> => {
        this.sent.push(data);
        for (const wake of this.#waiters.splice(0)) wake();
        return Promise.resolve();
      },
    },
  };
  isOpen(): boolean {
    return this.open;
  }
  acquireWriter(): Promise<() => void> {
    return Promise.resolve(() => undefined);
  }
  /** Resolves once `count` instructions were sent. */
  async sentCount(count: number): Promise<void> {
    while (this.sent.length < count) await new Promise<void>((wake) => this.#waiters.push(wake));
  }
}

const bytes = (text: string) => Buffer.from(text);
const collect = () => {
  const chunks: Buffer[] = [];
  return { chunks, sink: { write: (b: Buffer) => (chunks.push(b), Promise.resolve()) } };
};

describe('StreamInterceptor', () => {
  it('returns the very same burst while nothing is intercepted', () => {
    const interceptor = new StreamInterceptor(new RecordingTunnel());
    const burst = bytes(encodeInstruction('blob', '1', 'AAAA') + encodeInstruction('sync', '5'));
    assert.equal(interceptor.active, false);
    assert.equal(interceptor.filter(burst), burst);
  });

  it('takes the blobs of an intercepted stream, acks them, and forwards the rest', async () => {
    const tunnel = new RecordingTunnel();
    const interceptor = new StreamInterceptor(tunnel);
    const { chunks, sink } = collect();
    const done = interceptor.download(4, sink);
    await tunnel.sentCount(1);
    assert.deepEqual(tunnel.sent, [encodeInstruction('ack', '4', 'OK', '0')]);
    const other = encodeInstruction('blob', '3', 'eA==');
    const burst = bytes(other + encodeInstruction('blob', '4', 'aGk=') + encodeInstruction('nop'));
    assert.equal(interceptor.filter(burst).toString(), other + encodeInstruction('nop'));
    await tunnel.sentCount(2);
    assert.equal(tunnel.sent[1], encodeInstruction('ack', '4', 'OK', '0'));
    // After a sync, one blob is left for the client to acknowledge.
    const synced = interceptor.filter(
      bytes(encodeInstruction('sync', '1') + encodeInstruction('blob', '4', 'IQ==')),
    );
    assert.equal(synced.toString(), encodeInstruction('sync', '1') + '4.blob,1.4,0.;');
    const end = encodeInstruction('end', '4');
    assert.equal(interceptor.filter(bytes(end)).toString(), end);
    await done;
    assert.equal(Buffer.concat(chunks).toString(), 'hi!');
    assert.equal(interceptor.active, false);
    assert.equal(tunnel.sent.length, 2, 'no ack for the blob the client acknowledges');
  });

  it('ends an earlier interception of the same index normally', async () => {
    const tunnel = new RecordingTunnel();
    const interceptor = new StreamInterceptor(tunnel);
    const first = interceptor.download(1, collect().sink);
    const second = interceptor.download(1, collect().sink);
    await first;
    interceptor.closeAll();
    await assert.rejects(second, ResourceClosedError);
  });

  it('does nothing on a closed tunnel', async () => {
    const tunnel = new RecordingTunnel();
    tunnel.open = false;
    const interceptor = new StreamInterceptor(tunnel);
    await interceptor.download(1, collect().sink);
    await interceptor.upload(1, Readable.from([bytes('x')]));
    assert.deepEqual(tunnel.sent, []);
  });

  it('sends upload blobs on each successful ack and fails on an error ack', async () => {
    const tunnel = new RecordingTunnel();
    const interceptor = new StreamInterceptor(tunnel);
    const done = interceptor.upload(2, Readable.from([bytes('ab'), bytes('cd')]));
    await tunnel.sentCount(1);
    assert.equal(tunnel.sent[0], encodeInstruction('blob', '2', 'YWJjZA=='));
    const refusal = encodeInstruction('ack', '2', 'Out of space', '519');
    assert.equal(interceptor.filter(bytes(refusal)).toString(), refusal, 'acks reach the client');
    const error = await done.then(
      () => assert.fail('resolved'),
      (failure: unknown) => failure,
    );
    assert.ok(error instanceof StreamError);
    assert.deepEqual(
      [error.message, error.status.name, error.status.http],
      ['Out of space', 'UPSTREAM_NOT_FOUND', 502],
    );
  });

  it('ends the stream towards guacd when the upload source fails', async () => {
    const tunnel = new RecordingTunnel();
    const interceptor = new StreamInterceptor(tunnel);
    const failing = new Readable({
      read() {
        this.destroy(new Error('The client went away.'));
      },
    });
    await assert.rejects(interceptor.upload(6, failing), /went away/);
    await tunnel.sentCount(1);
    assert.deepEqual(tunnel.sent, [encodeInstruction('end', '6')]);
  });

  it('maps unknown or non-numeric ack codes to SERVER_ERROR', () => {
    assert.equal(StreamError.fromWireCode('banana', 'x').status.name, 'SERVER_ERROR');
    assert.equal(StreamError.fromWireCode('0', 'x').status.name, 'SERVER_ERROR');
    assert.equal(StreamError.fromWireCode('99999', 'x').status.name, 'SERVER_ERROR');
    assert.equal(StreamError.fromWireCode('768', 'x').status.http, 400);
  });
});
