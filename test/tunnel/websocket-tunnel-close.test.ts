/**
 * @module What the browser sends just before closing its WebSocket still reaches guacd, and a guacd that
 * has stopped reading cannot keep the tunnel open after the browser has gone.
 */
import assert from 'node:assert/strict';
import { after, describe, it } from 'node:test';
import { FakeGuacd } from '../fakes/fake-guacd.js';
import { StallingGuacd } from './stalling-guacd.js';
import { TunnelServer } from './support.js';
import { WsTunnelClient } from './ws-client.js';

describe('WebSocket tunnel close', { timeout: 30_000 }, () => {
  const cleanups: (() => Promise<void>)[] = [];
  after(async () => {
    for (const cleanup of cleanups.reverse()) await cleanup();
  });

  it('forwards the last message (disconnect) to guacd before closing its connection', async () => {
    const guacd = await FakeGuacd.start();
    const server = await TunnelServer.start({ guacd });
    cleanups.push(
      () => guacd.close(),
      () => server.close(),
    );
    const { client } = await WsTunnelClient.connect(server.port);
    // One message larger than the socket's write buffer, so its write to guacd waits for 'drain', and the
    // disconnect and the close frame sent right behind it (in the same TCP read) are handled meanwhile.
    const element = `8000.${'A'.repeat(8000)}`;
    client.ws.send(`4.blob,${element},${element},${element};`);
    client.ws.send('10.disconnect;');
    client.ws.close();
    const connection = await guacd.connection(0);
    await connection.closed;
    assert.ok(
      connection.received.some((instruction) => instruction.opcode === 'disconnect'),
      'guacd must receive the disconnect sent just before the close',
    );
  });

  it('closes the guacd connection even when guacd no longer reads', async () => {
    const guacd = await StallingGuacd.start();
    const server = await TunnelServer.start({ guacd });
    cleanups.push(
      () => guacd.close(),
      () => server.close(),
    );
    const { client } = await WsTunnelClient.connect(server.port);
    const connection = await guacd.connection(0);
    connection.pause();
    // Far more than the socket buffers hold, so a write to guacd is left waiting for 'drain'.
    const big = `4.blob,1.1,8000.${'A'.repeat(8000)};`;
    for (let i = 0; i < 2000; i++) client.ws.send(big);
    // The server no longer reads the browser either, so a close handshake cannot complete: drop the TCP
    // connection as a browser tab being closed would.
    client.ws.terminate();
    await client.closed;
    const tunnel = server.tunnels[0];
    assert.ok(tunnel);
    if (tunnel.isOpen())
      await new Promise<void>((resolve) =>
        tunnel.onClose(() => {
          resolve();
        }),
      );
    // A paused socket cannot see its peer close; reading again lets guacd's side observe it.
    connection.resume();
    await connection.closed;
    assert.equal(tunnel.isOpen(), false);
  });
});
