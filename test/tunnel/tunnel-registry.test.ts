/** @module TunnelRegistry: tokens, access times and the idle sweep, on an injected clock. */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import type { GuacdSocket } from '../../src/guacd/index.js';
import { Tunnel, TunnelRegistry } from '../../src/tunnel/index.js';

/** A GuacdSocket that only records being closed; the registry never reads or writes. */
function idleSocket(): GuacdSocket & { closed: boolean } {
  const listeners: ((error?: never) => void)[] = [];
  const socket = {
    closed: false,
    get isOpen() {
      return !socket.closed;
    },
    reader: {
      read: () => Promise.resolve(null),
      readInstruction: () => Promise.resolve(null),
      available: () => false,
    },
    writer: { write: () => Promise.resolve(), writeInstruction: () => Promise.resolve() },
    close() {
      socket.closed = true;
      for (const listener of listeners.splice(0)) listener();
    },
    onClose(listener: (error?: never) => void) {
      listeners.push(listener);
      return () => undefined;
    },
  };
  return socket;
}

describe('TunnelRegistry', () => {
  let now = 1_000_000;
  const registry = new TunnelRegistry({ timeoutMs: 15_000, now: () => now });
  after(() => {
    registry.shutdown();
  });

  it('issues 44-character base64 tokens that find their tunnel', () => {
    const tunnel = new Tunnel(idleSocket());
    const token = registry.register(tunnel);
    assert.match(token, /^[A-Za-z0-9+/]{44}$/);
    assert.equal(registry.get(token), tunnel);
    const last = token.endsWith('A') ? 'B' : 'A';
    assert.equal(registry.get(`${token.slice(0, 43)}${last}`), undefined);
  });

  it('does not expire a tunnel registered just before a sweep (Java would)', () => {
    const socket = idleSocket();
    const token = registry.register(new Tunnel(socket));
    now += 14_999;
    registry.sweep();
    assert.equal(socket.closed, false);
    assert.ok(registry.get(token));
  });

  it('closes and forgets a tunnel idle for the whole timeout', () => {
    const socket = idleSocket();
    const token = registry.register(new Tunnel(socket));
    now += 15_000;
    registry.sweep();
    assert.equal(socket.closed, true);
    assert.equal(registry.get(token), undefined);
  });

  it('counts every lookup as an access', () => {
    const socket = idleSocket();
    const token = registry.register(new Tunnel(socket));
    now += 10_000;
    registry.get(token);
    now += 10_000;
    registry.sweep();
    assert.equal(socket.closed, false);
  });
});
