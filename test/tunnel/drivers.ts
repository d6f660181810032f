/**
 * @module The two drivers of the tunnel contract: the HTTP tunnel as Guacamole.HTTPTunnel uses it (connect,
 * a read loop with the next read always in flight, one write at a time) and the WebSocket tunnel as
 * Guacamole.WebSocketTunnel uses it. Each asserts its transport's exact connect format on every open.
 */
import assert from 'node:assert/strict';
import { isClientError, type GuacamoleError } from '../../src/protocol/index.js';
import { TunnelRegistry } from '../../src/tunnel/index.js';
import type {
  ClosedStatus,
  ConnectFailure,
  ContractSession,
  TunnelDriver,
} from '../contract/tunnel.contract.js';
import { HttpTunnelClient, fetchTunnel } from './http-client.js';
import { ReadLoop } from './http-read-loop.js';
import type { TunnelServer } from './support.js';
import { WsTunnelClient, type CloseInfo } from './ws-client.js';

const UUID = '[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}';
const TOKEN = /^[A-Za-z0-9+/]{44}$/;

/** A queue of received text that `receive()` drains. */
class TextQueue {
  readonly #items: string[] = [];
  #waiters: (() => void)[] = [];
  #ended = false;

  push(text: string): void {
    this.#items.push(text);
    this.#wake();
  }

  end(): void {
    this.#ended = true;
    this.#wake();
  }

  async take(): Promise<string> {
    for (;;) {
      const item = this.#items.shift();
      if (item !== undefined) return item;
      if (this.#ended) throw new Error('The tunnel closed while data was awaited.');
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  #wake(): void {
    const waiters = this.#waiters;
    this.#waiters = [];
    for (const resolve of waiters) resolve();
  }
}

/** guacamole-common-js's view of a close: `parseInt(event.reason)`, `0` being success. */
function wsClosed(info: CloseInfo): ClosedStatus {
  return { guac: Number.parseInt(info.reason, 10), wire: `${info.code} "${info.reason}"` };
}

/** The WebSocket driver. */
export const webSocketDriver: TunnelDriver = {
  name: 'WebSocket',
  async open(server: TunnelServer, data = ''): Promise<ContractSession> {
    const client = WsTunnelClient.open(server.port, data);
    assert.equal((await client.upgrade).statusCode, 101);
    const first = await client.next();
    const match = new RegExp(`^0\\.,36\\.(${UUID});$`).exec(first);
    assert.ok(match, `first message ${first}`);
    return {
      uuid: match[1] as string,
      receive: () => client.next(),
      send: (text) => client.send(text),
      close: async () => {
        await client.close();
      },
      closed: client.closed.then(wsClosed),
    };
  },
  async openFailing(server: TunnelServer, data = ''): Promise<ConnectFailure> {
    const client = WsTunnelClient.open(server.port, data);
    assert.equal((await client.upgrade).statusCode, 101, 'errors come after the upgrade');
    const { code, reason } = await client.closed;
    assert.deepEqual(client.messages, [], 'no UUID before a failure');
    return { guac: Number.parseInt(reason, 10), transportCode: code, message: reason };
  },
  transportCode: (status) => status.ws,
  failureMessage: (error) => String(error.status.guac),
  normalClose: { guac: 0, wire: '1000 "0"' },
  idle: () => ({
    options: { readTimeoutMs: 200 },
    expire: () => undefined,
    closed: { guac: 514, wire: '1011 "514"' },
  }),
};

/** The HTTP driver. */
export const httpDriver: TunnelDriver = {
  name: 'HTTP',
  async open(server: TunnelServer, data = ''): Promise<ContractSession> {
    const client = await HttpTunnelClient.connect(server.port, data);
    const { status, headers, body } = client.connectResult;
    assert.equal(status, 200);
    assert.match(body.toString('latin1'), new RegExp(`^${UUID}$`));
    assert.equal(body.length, 36);
    assert.match(client.token, TOKEN);
    assert.equal(headers['cache-control'], 'no-cache');
    const queue = new TextQueue();
    const loop = new ReadLoop(client, (text) => {
      queue.push(text);
    });
    const closed = loop.done.then((end): ClosedStatus => {
      queue.end();
      const marker = loop.bodies.at(-1)?.endsWith('0.;') === true ? '0.; then ' : '';
      const wire = `${marker}${end.status} ${end.code ?? ''} "${end.message ?? ''}"`;
      // After connect, 404/516 is a silent, normal close for Guacamole.HTTPTunnel (§7.2).
      return { guac: end.code === '516' ? 0 : Number(end.code), wire };
    });
    closed.catch(() => undefined);
    let writes = Promise.resolve();
    return {
      uuid: client.uuid,
      receive: () => queue.take(),
      send: async (text) => {
        // One write in flight at a time, as the JS client does.
        writes = writes.then(async () => {
          const result = await client.write(text);
          assert.equal(result.status, 200);
        });
        await writes;
      },
      close: () => {
        loop.abort();
        return Promise.resolve();
      },
      closed,
    };
  },
  async openFailing(server: TunnelServer, data = ''): Promise<ConnectFailure> {
    const result = await fetchTunnel(server.port, {
      method: 'POST',
      query: 'connect',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
      body: data,
    });
    assert.equal(result.headers['guacamole-tunnel-token'], undefined);
    return {
      guac: Number(result.headers['guacamole-status-code']),
      transportCode: result.status,
      message: String(result.headers['guacamole-error-message']),
    };
  },
  transportCode: (status) => status.http,
  failureMessage: (error: GuacamoleError) =>
    isClientError(error) ? error.message : 'Internal server error.',
  normalClose: { guac: 0, wire: '0.; then 404 516 "No such tunnel."' },
  idle: () => {
    let now = 1_000_000;
    const registry = new TunnelRegistry({ now: () => now, sweepIntervalMs: 3_600_000 });
    return {
      options: { registry },
      expire: () => {
        now += 15_000;
        registry.sweep();
      },
      closed: { guac: 0, wire: '0.; then 404 516 "No such tunnel."' },
    };
  },
};
