/**
 * @module Tests of StreamGuacdSocket over an in-memory duplex (as the bundled proxy will use): reading and
 * writing, the read timeout without net.Socket, malformed data, I/O error mapping and close semantics.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { describe, it } from 'node:test';
import { StreamGuacdSocket } from '../../src/guacd/index.js';
import {
  ConnectionClosedError,
  ServerError,
  UnsupportedError,
  UpstreamTimeoutError,
} from '../../src/protocol/index.js';
import { duplexPair } from '../fakes/duplex-pair.js';
import { closedOf, rejection } from './helpers.js';

function ioError(code: string): Error {
  return Object.assign(new Error(`simulated ${code}`), { code });
}

describe('StreamGuacdSocket', () => {
  it('reads what guacd writes and writes to guacd', async () => {
    const [ours, guacd] = duplexPair();
    const socket = new StreamGuacdSocket(ours);
    guacd.write('4.sync,1.0;');
    assert.equal((await socket.reader.readInstruction())?.toString(), '4.sync,1.0;');
    const data = once(guacd, 'data');
    await socket.writer.write('3.nop;');
    assert.equal(String((await data)[0]), '3.nop;');
    socket.close();
  });

  it('times out a waiting read on a plain Duplex and ends the stream for the peer', async () => {
    const [ours, guacd] = duplexPair();
    const socket = new StreamGuacdSocket(ours, { readTimeoutMs: 20 });
    const closed = closedOf(socket);
    const ended = once(guacd, 'end');
    guacd.resume();
    const error = await rejection(socket.reader.readInstruction());
    assert.ok(error instanceof UpstreamTimeoutError);
    assert.equal(error.message, 'Connection to guacd timed out.');
    assert.equal(await closed, error);
    await ended;
  });

  it('never times out with readTimeoutMs 0', async () => {
    const [oursA, guacdA] = duplexPair();
    const [oursB] = duplexPair();
    const a = new StreamGuacdSocket(oursA, { readTimeoutMs: 0 });
    const b = new StreamGuacdSocket(oursB, { readTimeoutMs: 20 });
    const pendingA = a.reader.readInstruction();
    // b's timeout is the clock: once it fired, a has waited longer than 20 ms as well.
    assert.ok((await rejection(b.reader.readInstruction())) instanceof UpstreamTimeoutError);
    assert.equal(a.isOpen, true);
    guacdA.write('4.sync,1.0;');
    assert.equal((await pendingA)?.opcode, 'sync');
    a.close();
  });

  it('reports malformed data as ServerError, closes, and tells close listeners', async () => {
    const [ours, guacd] = duplexPair();
    const socket = new StreamGuacdSocket(ours);
    const closed = closedOf(socket);
    guacd.write('4.sync,1.0;4.sync,x.0;');
    assert.equal((await socket.reader.readInstruction())?.opcode, 'sync');
    const error = await rejection(socket.reader.readInstruction());
    assert.ok(error instanceof ServerError);
    assert.match(error.message, /^guacd sent malformed data: Non-numeric character/);
    assert.equal(socket.isOpen, false);
    assert.equal(await closed, error);
    const again = await rejection(socket.reader.readInstruction());
    assert.equal(again, error, 'the failure is sticky');
  });

  it('reports an instruction larger than highWaterMark as malformed data', async () => {
    const [ours, guacd] = duplexPair();
    const socket = new StreamGuacdSocket(ours, { highWaterMark: 64 });
    guacd.write(`4.blob,200.${'x'.repeat(100)}`);
    const error = await rejection(socket.reader.readInstruction());
    assert.ok(error instanceof ServerError);
    assert.match(error.message, /^guacd sent malformed data: An instruction larger than 64 bytes/);
  });

  it('maps resets and broken pipes to ConnectionClosedError', async () => {
    for (const code of ['ECONNRESET', 'EPIPE']) {
      const [ours] = duplexPair();
      const socket = new StreamGuacdSocket(ours);
      const closed = closedOf(socket);
      const pending = socket.reader.readInstruction();
      ours.destroy(ioError(code));
      const error = await rejection(pending);
      assert.ok(error instanceof ConnectionClosedError, code);
      assert.equal(error.message, 'Connection to guacd is closed.');
      assert.equal(await closed, error);
    }
  });

  it('maps other I/O errors to ServerError, or through the mapError option', async () => {
    const [ours] = duplexPair();
    const socket = new StreamGuacdSocket(ours);
    const pending = socket.reader.readInstruction();
    ours.destroy(ioError('EACCES'));
    const error = await rejection(pending);
    assert.ok(error instanceof ServerError && !(error instanceof ConnectionClosedError));
    assert.equal(error.message, 'I/O error on the connection to guacd: simulated EACCES');

    const [custom] = duplexPair();
    const mapped = new StreamGuacdSocket(custom, {
      mapError: (cause) => new UnsupportedError('custom', { cause }),
    });
    const pendingCustom = mapped.reader.readInstruction();
    custom.destroy(ioError('EACCES'));
    assert.ok((await rejection(pendingCustom)) instanceof UnsupportedError);
  });

  it('reads end of stream as null when the peer ends', async () => {
    const [ours, guacd] = duplexPair();
    const socket = new StreamGuacdSocket(ours);
    guacd.end('4.sync,1.0;');
    assert.equal((await socket.reader.readInstruction())?.opcode, 'sync');
    assert.equal(await socket.reader.readInstruction(), null);
    socket.close();
  });

  it('reports a socket over an already destroyed duplex as closed', async () => {
    const [ours] = duplexPair();
    ours.destroy();
    const socket = new StreamGuacdSocket(ours);
    assert.equal(socket.isOpen, false);
    assert.equal(await closedOf(socket), undefined);
    const error = await rejection(socket.writer.write('3.nop;'));
    assert.ok(error instanceof ConnectionClosedError);
    assert.equal(error.message, 'Connection to guacd is closed.');
  });
});
