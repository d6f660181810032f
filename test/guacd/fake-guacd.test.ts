/**
 * @module Tests of the fake guacd itself, since the tunnel, web app and browser suites depend on it:
 * byte splitting, waitFor's cursor, keep-alive, guacd's hang-up rules, script failures and close().
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { describe, it } from 'node:test';
import { FakeGuacd } from '../fakes/fake-guacd.js';
import { cut, seededRandom } from '../fakes/split-writes.js';
import { closedOf, handshakeWith, rejection } from './helpers.js';

describe('FakeGuacd', () => {
  it('cuts data reproducibly, inside multi-byte characters too', () => {
    const bytes = Buffer.from('ü😀中'.repeat(20));
    const a = cut(bytes, seededRandom(5), 3);
    const b = cut(bytes, seededRandom(5), 3);
    assert.deepEqual(a, b);
    assert.deepEqual(Buffer.concat(a), bytes);
    assert.ok(a.every((piece) => piece.length >= 1 && piece.length <= 3));
    const broken = a.filter((piece) => Buffer.from(piece).toString('utf8').includes('\uFFFD'));
    assert.ok(broken.length > 0, 'some piece ends or starts inside a character');
  });

  it('returns successive matches from waitFor and rejects once the connection is gone', async () => {
    const guacd = await FakeGuacd.start();
    try {
      const socket = await handshakeWith(guacd);
      const conn = await guacd.connection(0);
      await socket.writer.write('5.mouse,1.1,1.1;3.key,1.0,1.1;5.mouse,1.2,1.2;');
      assert.equal((await conn.waitFor('mouse')).args[0], '1');
      assert.equal((await conn.waitFor('mouse')).args[0], '2');
      assert.equal((await conn.waitFor('select')).args[0], 'rdp', 'earlier instructions count');
      assert.equal(conn.handshake?.instructions.get('size')?.join(','), '1024,768,96');
      const pending = conn.waitFor('mouse');
      socket.close();
      assert.ok((await rejection(pending)) instanceof Error);
    } finally {
      await guacd.close();
    }
  });

  it('sends nop keep-alives after the handshake when asked to', async () => {
    const guacd = await FakeGuacd.start({ keepAliveMs: 10 });
    try {
      const socket = await handshakeWith(guacd);
      assert.equal((await socket.reader.readInstruction())?.toString(), '3.nop;');
      socket.close();
    } finally {
      await guacd.close();
    }
  });

  it('hangs up when the first instruction is not select, like guacd', async () => {
    const guacd = await FakeGuacd.start();
    try {
      const tcp = net.connect(guacd.port, guacd.host);
      tcp.end('4.size,1.1,1.1,1.1;');
      tcp.resume();
      await once(tcp, 'close');
      const conn = await guacd.connection(0);
      await conn.closed;
      assert.equal(conn.received[0]?.opcode, 'size');
    } finally {
      await guacd.close();
    }
  });

  it('records a failing script and resets its connection', async () => {
    const guacd = await FakeGuacd.start({
      script: () => {
        throw new Error('script failed');
      },
    });
    try {
      const socket = await handshakeWith(guacd);
      await closedOf(socket);
      assert.equal(guacd.errors.length, 1);
    } finally {
      await guacd.close();
    }
  });

  it('destroys every connection on close and tracks them until gone', async () => {
    const guacd = await FakeGuacd.start();
    const socket = await handshakeWith(guacd);
    assert.equal(guacd.openSockets, 1);
    const closed = closedOf(socket);
    await guacd.close();
    assert.equal(guacd.openSockets, 0);
    await closed;
    assert.equal(socket.isOpen, false);
  });
});
