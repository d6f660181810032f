/**
 * @module The WebSocket tunnel driven by the real guacamole-common-js 1.5.0 Guacamole.WebSocketTunnel (npm),
 * with `ws` standing in for the browser's WebSocket. 1.5.0 writes element lengths in UTF-16 code units,
 * so an astral character gives a wrong length prefix (CVE-2023-30575's class): the server must reject such
 * an instruction like any malformed input, forward nothing of it, and keep the tunnel usable.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { after, before, describe, it } from 'node:test';
import Guacamole from 'guacamole-common-js';
import WebSocket from 'ws';
import { FakeGuacd } from '../fakes/fake-guacd.js';
import { TunnelServer, afterHandshake } from './support.js';

/** The part of Guacamole.WebSocketTunnel used here (the package ships no types). */
interface ReferenceTunnel {
  state: number;
  uuid: string | null;
  connect(data?: string): void;
  disconnect(): void;
  sendMessage(...elements: unknown[]): void;
  onuuid: ((uuid: string) => void) | null;
  onerror: ((status: { code: number; message: string }) => void) | null;
  onstatechange: ((state: number) => void) | null;
  oninstruction: ((opcode: string, args: string[]) => void) | null;
}

const Reference = Guacamole as unknown as {
  WebSocketTunnel: new (url: string) => ReferenceTunnel;
};

/** The browser globals WebSocketTunnel.js uses, installed for this file only. */
const globals = globalThis as { window?: unknown; WebSocket?: unknown };
let saved: { window?: unknown; WebSocket?: unknown } = {};
/** Every socket the reference client opened, so the globals are restored only after they closed. */
const sockets: WebSocket[] = [];

class RecordedWebSocket extends WebSocket {
  constructor(url: string, protocols: string | string[]) {
    super(url, protocols);
    sockets.push(this);
  }
}

describe('WebSocket tunnel with guacamole-common-js 1.5.0', { timeout: 30_000 }, () => {
  let guacd: FakeGuacd;
  let server: TunnelServer;

  before(async () => {
    saved = { window: globals.window, WebSocket: globals.WebSocket };
    globals.window = globalThis;
    globals.WebSocket = RecordedWebSocket;
    guacd = await FakeGuacd.start({
      script: async (c) => {
        await c.sendInstruction('sync', '1');
        await c.waitFor('sync');
        await c.sendInstruction('sync', '2');
      },
    });
    server = await TunnelServer.start({ guacd });
  });

  after(async () => {
    await server.close();
    await guacd.idle();
    await guacd.close();
    await Promise.all(
      sockets.filter((s) => s.readyState !== WebSocket.CLOSED).map((s) => once(s, 'close')),
    );
    globals.window = saved.window;
    globals.WebSocket = saved.WebSocket;
  });

  it('rejects UTF-16 length prefixes like other bad input and stays usable', async () => {
    const tunnel = new Reference.WebSocketTunnel(`ws://127.0.0.1:${server.port}/websocket-tunnel`);
    const errors: { code: number; message: string }[] = [];
    tunnel.onerror = (status) => errors.push(status);
    const uuid = new Promise<string>((resolve) => (tunnel.onuuid = resolve));
    const syncs: string[] = [];
    let onSync: () => void = () => undefined;
    tunnel.oninstruction = (opcode, args) => {
      if (opcode === 'sync') syncs.push(args[0] ?? '');
      onSync();
    };
    const sync = async (n: string): Promise<void> => {
      while (!syncs.includes(n)) await new Promise<void>((resolve) => (onSync = resolve));
    };
    tunnel.connect('GUAC_ID=1');
    assert.equal(await uuid, server.tunnels[0]?.uuid);
    await sync('1');
    // 1.5.0 sends `9.clipboard,4.a😀b;` and `3.key,4.😀😀,1.1;`: the lengths count UTF-16 units.
    tunnel.sendMessage('clipboard', 'a😀b');
    tunnel.sendMessage('key', '😀😀', '1');
    tunnel.sendMessage('sync', '123');
    // guacd answers the sync: proof that it arrived and that the socket stayed open.
    await sync('2');
    const conn = await guacd.connection(0);
    assert.equal(afterHandshake(conn.received), '4.sync,3.123;');
    assert.equal(tunnel.state, 1, 'still OPEN');
    assert.deepEqual(errors, []);
    const closed = new Promise<void>((resolve) => {
      tunnel.onstatechange = (state) => {
        if (state === 2) resolve();
      };
    });
    tunnel.disconnect();
    await closed;
    await conn.closed;
  });
});
