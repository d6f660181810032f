/**
 * @module Tests of connectGuacd over plain TCP: TCP_NODELAY, refused and timed-out connects, aborts, the
 * read timeout (and that backpressure never trips it), closes and resets, and that no handle leaks.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { describe, it, mock } from 'node:test';
import { StreamGuacdSocket, connectGuacd } from '../../src/guacd/index.js';
import {
  ConnectionClosedError,
  ServerError,
  UpstreamTimeoutError,
} from '../../src/protocol/index.js';
import { FakeGuacd } from '../fakes/fake-guacd.js';
import {
  closedOf,
  connectTo,
  fullBacklog,
  handshakeWith,
  liveResources,
  rejection,
} from './helpers.js';

/** A port on which nothing listens: listen on port 0, note the port, close. */
async function closedPort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  server.close();
  await once(server, 'close');
  return port;
}

describe('connectGuacd over TCP', () => {
  it('sets TCP_NODELAY on the connection', async () => {
    const guacd = await FakeGuacd.start();
    const spy = mock.method(net.Socket.prototype, 'setNoDelay');
    try {
      const socket = await connectTo(guacd);
      assert.ok(spy.mock.calls.some((call) => call.arguments[0] === true));
      const closed = closedOf(socket);
      socket.close();
      await closed;
    } finally {
      spy.mock.restore();
      await guacd.close();
    }
  });

  it('maps a refused connection to ServerError naming host:port and the OS error', async () => {
    const port = await closedPort();
    const before = await liveResources();
    const error = await rejection(connectGuacd({ hostname: '127.0.0.1', port }));
    assert.ok(error instanceof ServerError);
    assert.equal(error.status.guac, 512);
    assert.match(error.message, new RegExp(`127\\.0\\.0\\.1:${port}`));
    assert.match(error.message, /ECONNREFUSED/);
    assert.deepEqual(await liveResources(), before, 'no socket or timer outlives the failure');
  });

  it('maps an invalid port to ServerError instead of throwing a RangeError', async () => {
    const error = await rejection(connectGuacd({ hostname: '127.0.0.1', port: 70000 }));
    assert.ok(error instanceof ServerError, String(error));
    assert.match(error.message, /^Unable to connect to guacd at 127\.0\.0\.1:70000: /);
  });

  it('maps a connect timeout to UpstreamTimeoutError "Connection timed out." (514)', async () => {
    const backlog = await fullBacklog();
    try {
      const before = await liveResources();
      const error = await rejection(
        connectGuacd({ hostname: '127.0.0.1', port: backlog.port, connectTimeoutMs: 100 }),
      );
      assert.ok(error instanceof UpstreamTimeoutError, String(error));
      assert.equal(error.message, 'Connection timed out.');
      assert.equal(error.status.guac, 514);
      assert.deepEqual(await liveResources(), before, 'no socket or timer outlives the timeout');
    } finally {
      await backlog.close();
    }
  });

  it('abandons a pending connect when the signal aborts, leaking nothing', async () => {
    const backlog = await fullBacklog();
    try {
      const before = await liveResources();
      const controller = new AbortController();
      const pending = connectGuacd({
        hostname: '127.0.0.1',
        port: backlog.port,
        signal: controller.signal,
      });
      controller.abort();
      const error = await rejection(pending);
      assert.ok(error instanceof ConnectionClosedError, String(error));
      assert.deepEqual(await liveResources(), before);
      const already = await rejection(
        connectGuacd({ hostname: '127.0.0.1', port: backlog.port, signal: controller.signal }),
      );
      assert.ok(already instanceof ConnectionClosedError);
    } finally {
      await backlog.close();
    }
  });

  it('leaks nothing after a full handshake and close', async () => {
    const guacd = await FakeGuacd.start();
    try {
      const before = await liveResources();
      const socket = await handshakeWith(guacd);
      const closed = closedOf(socket);
      socket.close();
      assert.equal(await closed, undefined);
      await guacd.idle();
      assert.deepEqual(await liveResources(), before);
    } finally {
      await guacd.close();
    }
  });
});

describe('GuacdSocket over TCP after the handshake', () => {
  it('times out a read waiting longer than readTimeoutMs, closing the socket', async () => {
    // Silent from the start, so a slow machine cannot turn the handshake itself into the timeout.
    const guacd = await FakeGuacd.start({ misbehave: { at: 'accept', action: 'silent' } });
    try {
      const before = await liveResources();
      const socket = await connectTo(guacd, { readTimeoutMs: 50 });
      const closed = closedOf(socket);
      const error = await rejection(socket.reader.readInstruction());
      assert.ok(error instanceof UpstreamTimeoutError);
      assert.equal(error.message, 'Connection to guacd timed out.');
      assert.equal(error.status.guac, 514);
      assert.equal(socket.isOpen, false);
      assert.equal(await closed, error, 'close listeners receive the timeout');
      await (
        await guacd.connection(0)
      ).closed;
      await guacd.idle();
      assert.deepEqual(await liveResources(), before, 'neither the socket nor its timer leaks');
    } finally {
      await guacd.close();
    }
  });

  it('never times out while paused by backpressure with no read pending', async () => {
    const burst = '4.sync,13.1723456789012;'.repeat(2000);
    const guacd = await FakeGuacd.start({
      misbehave: (i) =>
        i === 0
          ? { at: 'accept', action: 'send', data: burst }
          : { at: 'accept', action: 'silent' },
    });
    try {
      const tcp = net.connect(guacd.port, guacd.host);
      await once(tcp, 'connect');
      const paused = once(tcp, 'pause');
      const socket = new StreamGuacdSocket(tcp, { readTimeoutMs: 100, highWaterMark: 4096 });
      let closeReported = false;
      socket.onClose(() => (closeReported = true));
      await paused;
      // A second connection with the same timeout and a pending read: once it has timed out, more
      // than readTimeoutMs have passed for the paused one too, measured by an event, not a sleep.
      const control = await connectTo(guacd, { readTimeoutMs: 100 });
      assert.ok((await rejection(control.reader.read())) instanceof UpstreamTimeoutError);
      assert.equal(socket.isOpen, true);
      assert.equal(closeReported, false);
      assert.equal(tcp.isPaused(), true);
      let received = '';
      while (received.length < burst.length) {
        const chunk = await socket.reader.read();
        assert.ok(chunk !== null);
        received += chunk.toString();
      }
      assert.equal(received, burst);
      socket.close();
    } finally {
      await guacd.close();
    }
  });

  it('maps a reset by guacd to ConnectionClosedError "Connection to guacd is closed."', async () => {
    const guacd = await FakeGuacd.start({
      script: async (conn) => {
        await conn.waitFor('nop');
        conn.reset();
      },
    });
    try {
      const socket = await handshakeWith(guacd);
      const closed = closedOf(socket);
      await socket.writer.write('3.nop;');
      const error = await rejection(socket.reader.readInstruction());
      assert.ok(error instanceof ConnectionClosedError, String(error));
      assert.equal(error.message, 'Connection to guacd is closed.');
      assert.equal(await closed, error);
    } finally {
      await guacd.close();
    }
  });

  it('reads end of stream as null when guacd closes normally', async () => {
    const guacd = await FakeGuacd.start({
      script: async (conn) => {
        await conn.sendInstruction('sync', '1');
        await conn.close();
      },
    });
    try {
      const socket = await handshakeWith(guacd);
      const closed = closedOf(socket);
      assert.equal((await socket.reader.readInstruction())?.toString(), '4.sync,1.1;');
      assert.equal(await socket.reader.readInstruction(), null);
      assert.equal(await closed, undefined);
      assert.equal(socket.isOpen, false);
    } finally {
      await guacd.close();
    }
  });

  it('closes idempotently; later reads and writes fail as closed; listeners run once', async () => {
    const guacd = await FakeGuacd.start();
    try {
      const socket = await handshakeWith(guacd);
      let calls = 0;
      let disposedCalls = 0;
      socket.onClose(() => calls++);
      const dispose = socket.onClose(() => disposedCalls++);
      dispose();
      const closed = closedOf(socket);
      socket.close();
      socket.close();
      assert.equal(socket.isOpen, false);
      await closed;
      const late = await closedOf(socket);
      assert.equal(late, undefined, 'a listener added after close still runs');
      assert.deepEqual([calls, disposedCalls], [1, 0]);
      const readError = await rejection(socket.reader.readInstruction());
      assert.ok(readError instanceof ConnectionClosedError);
      assert.equal(readError.message, 'Connection to guacd is closed.');
      const writeError = await rejection(socket.writer.write('3.nop;'));
      assert.ok(writeError instanceof ConnectionClosedError);
      assert.equal(writeError.message, 'Connection to guacd is closed.');
      await (
        await guacd.connection(0)
      ).closed;
    } finally {
      await guacd.close();
    }
  });
});
