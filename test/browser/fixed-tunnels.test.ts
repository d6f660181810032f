/**
 * @module In headless Chromium: our WebSocketTunnel and HTTPTunnel (src/web/public) against scripted fake
 * endpoints: UUID, states, pings, `0.;` hand-over, code-point parsing, error mapping (tunnel-protocol.md §7).
 */

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { chromiumSkip, useTestPage } from './browser.js';
import {
  FAKE_TOKEN,
  FAKE_UUID,
  FakeHTTPEndpoint,
  FakeWebSocketEndpoint,
} from './fake-endpoints.js';
import { openProbe, probeLog, probeSend, probeState, waitForEntry } from './tunnel-probe.js';

/** Guacamole.Tunnel.State. */
const CONNECTING = 0;
const OPEN = 1;
const CLOSED = 2;

/** Guacamole.Status.Code values used below. */
const SERVER_ERROR = 0x0200;
const SERVER_BUSY = 0x0201;
const CLIENT_FORBIDDEN = 0x0301;

const GRINS = '😀😀';

describe('fixed tunnels in Chromium', { skip: chromiumSkip(), timeout: 60_000 }, () => {
  const httpFakes: FakeHTTPEndpoint[] = [];
  const wsFakes = new Map<string, FakeWebSocketEndpoint>();

  /**
   * @param res the response
   * @param status the HTTP status
   * @param headers its headers
   * @returns true
   */
  const reply = (res: ServerResponse, status: number, headers: Record<string, string> = {}) => {
    res.writeHead(status, headers).end();
    return true;
  };
  /** Endpoints that refuse `?connect` as the Java servlet does. */
  const refuse = (req: IncomingMessage, res: ServerResponse): boolean => {
    if (req.url === '/tunnel-forbidden?connect')
      return reply(res, 403, {
        'Guacamole-Status-Code': String(CLIENT_FORBIDDEN),
        'Guacamole-Error-Message': 'Permission denied.',
      });
    if (req.url === '/tunnel-busy?connect') return reply(res, 503);
    return false;
  };

  const env = useTestPage({
    handle: (req, res) => refuse(req, res) || httpFakes.some((fake) => fake.handle(req, res)),
    upgrade: (req, socket, head) => {
      const fake = wsFakes.get(new URL(req.url ?? '/', 'http://x').pathname);
      if (fake) fake.upgrade(req, socket, head);
      else socket.destroy();
    },
  });
  after(() => {
    for (const fake of [...httpFakes, ...wsFakes.values()]) fake.close();
  });

  /** @param path the fake's path @returns a new HTTP fake there */
  const httpFake = (path: string) => {
    const fake = new FakeHTTPEndpoint(path);
    httpFakes.push(fake);
    return fake;
  };
  /** @param path the fake's path @returns a new WebSocket fake there */
  const wsFake = (path: string) => {
    const fake = new FakeWebSocketEndpoint();
    wsFakes.set(path, fake);
    return fake;
  };

  describe('WebSocketTunnel', () => {
    it('opens on the UUID message, then parses instructions split across messages', async () => {
      const fake = wsFake('/ws-open');
      const page = await env.newPage();
      await openProbe(page, 'fixed-ws', '/ws-open', { data: 'id=1&x=%F0%9F%98%80' });
      await waitForEntry(page, ['state', OPEN]);
      assert.equal(fake.url, '/ws-open?id=1&x=%F0%9F%98%80');
      assert.equal(fake.socket?.protocol, 'guacamole');

      fake.send(`4.name,2.${GRINS.slice(0, 2)}`);
      fake.send(`${GRINS.slice(2)};4.sync,13.1723456789012;`);
      await waitForEntry(page, ['instruction', 'sync', ['1723456789012']]);
      assert.deepEqual(await probeLog(page), [
        ['state', CONNECTING],
        ['uuid', FAKE_UUID],
        ['state', OPEN],
        ['instruction', 'name', [GRINS]],
        ['instruction', 'sync', ['1723456789012']],
      ]);
      await page.close();
    });

    it('pings after each message it receives, and the echoes keep it pinging', async () => {
      const fake = wsFake('/ws-ping');
      const page = await env.newPage();
      await openProbe(page, 'fixed-ws', '/ws-ping');
      await waitForEntry(page, ['state', OPEN]);
      fake.send('3.nop;');
      // A second ping only follows the echo of the first (pings are scheduled on receipt).
      const pings = () => fake.received.filter((t) => /^0\.,4\.ping,13\.\d{13};$/.test(t));
      await fake.waitFor(() => pings().length >= 2);
      assert.equal(await probeState(page), OPEN);
      await page.close();
    });

    it('sends one instruction per message with code-point lengths', async () => {
      const fake = wsFake('/ws-send');
      const page = await env.newPage();
      await openProbe(page, 'fixed-ws', '/ws-send');
      await waitForEntry(page, ['state', OPEN]);
      await probeSend(page, 'key', 65307, 1);
      await probeSend(page, 'clipboard', GRINS);
      await fake.waitFor((t) => t.startsWith('9.clipboard'));
      const data = fake.received.filter((t) => !t.startsWith('0.,'));
      assert.deepEqual(data, ['3.key,5.65307,1.1;', `9.clipboard,2.${GRINS};`]);
      await page.close();
    });

    it('maps the close reason to the Guacamole status; "0" closes without error', async () => {
      for (const [reason, errors] of [
        ['769', [['error', 769, '769']]],
        ['0', []],
      ] as const) {
        const fake = wsFake(`/ws-close-${reason}`);
        const page = await env.newPage();
        await openProbe(page, 'fixed-ws', `/ws-close-${reason}`);
        await waitForEntry(page, ['state', OPEN]);
        fake.socket?.close(reason === '0' ? 1000 : 1008, reason);
        await waitForEntry(page, ['state', CLOSED]);
        const log = await probeLog(page);
        assert.deepEqual(
          log.filter(([kind]) => kind === 'error'),
          errors,
        );
        await page.close();
      }
    });

    it('closes with SERVER_ERROR on malformed data', async () => {
      const fake = wsFake('/ws-bad');
      const page = await env.newPage();
      await openProbe(page, 'fixed-ws', '/ws-bad');
      await waitForEntry(page, ['state', OPEN]);
      fake.send('x.;');
      await waitForEntry(page, ['state', CLOSED]);
      const errors = (await probeLog(page)).filter(([kind]) => kind === 'error');
      assert.deepEqual(errors, [
        ['error', SERVER_ERROR, 'Non-numeric character in element length.'],
      ]);
      await page.close();
    });

    it('carries a Guacamole.Client, which answers sync', async () => {
      const fake = wsFake('/ws-client');
      const page = await env.newPage();
      await openProbe(page, 'fixed-ws', '/ws-client', { client: true });
      await fake.waitFor((t) => t.startsWith('0.,4.ping'));
      fake.send('4.sync,13.1723456789012;');
      assert.equal(await fake.waitFor((t) => t.startsWith('4.sync')), '4.sync,13.1723456789012;');
      await page.close();
    });
  });

  describe('HTTPTunnel', () => {
    it('connects, then reads in sequence, each response handing over at 0.;', async () => {
      const fake = httpFake('/tunnel-read');
      const page = await env.newPage();
      await openProbe(page, 'fixed-http', '/tunnel-read', { data: 'id=1' });
      await waitForEntry(page, ['state', OPEN]);
      const batches = [`4.name,2.${GRINS};`, '4.size,1.0,4.1024,3.768;', '4.sync,1.1;'];
      const expected: ['instruction', string, string[]][] = [
        ['instruction', 'name', [GRINS]],
        ['instruction', 'size', ['0', '1024', '768']],
        ['instruction', 'sync', ['1']],
      ];
      for (const [i, batch] of batches.entries()) {
        fake.send(batch);
        await waitForEntry(page, expected[i] ?? ['state', -1]);
      }
      assert.deepEqual(
        (await probeLog(page)).filter(([kind]) => kind === 'instruction'),
        expected,
      );
      const connect = fake.requests[0];
      assert.deepEqual(connect, { query: 'connect', token: undefined });
      const reads = fake.requests.filter((r) => r.query.startsWith('read:'));
      assert.ok(reads.length >= 3, `three reads at least, got ${reads.length}`);
      reads.forEach((read, n) => {
        assert.deepEqual(read, { query: `read:${FAKE_UUID}:${n}`, token: FAKE_TOKEN });
      });
      await page.close();
    });

    it('writes batches with the token, code-point lengths and nop keep-alives', async () => {
      const fake = httpFake('/tunnel-write');
      const page = await env.newPage();
      await openProbe(page, 'fixed-http', '/tunnel-write');
      await waitForEntry(page, ['state', OPEN]);
      await probeSend(page, 'clipboard', GRINS);
      await fake.waitFor((t) => t.includes('9.clipboard'));
      await fake.waitFor((t) => t === '3.nop;');
      const writes = fake.requests.filter((r) => r.query.startsWith('write:'));
      assert.ok(writes.every((w) => w.query === `write:${FAKE_UUID}` && w.token === FAKE_TOKEN));
      assert.match(fake.received.join(''), new RegExp(`(^|;)9\\.clipboard,2\\.${GRINS};`, 'u'));
      await page.close();
    });

    it('treats 404/516 after connecting as a normal close', async () => {
      const fake = httpFake('/tunnel-gone');
      const page = await env.newPage();
      await openProbe(page, 'fixed-http', '/tunnel-gone');
      await waitForEntry(page, ['state', OPEN]);
      fake.send('3.nop;');
      fake.close();
      await waitForEntry(page, ['state', CLOSED]);
      assert.deepEqual(
        (await probeLog(page)).filter(([kind]) => kind === 'error'),
        [],
      );
      await page.close();
    });

    it('maps connect errors: Guacamole-Status-Code first, else the HTTP status', async () => {
      const page = await env.newPage();
      const cases = [
        ['/tunnel-forbidden', ['error', CLIENT_FORBIDDEN, 'Permission denied.']],
        ['/tunnel-busy', ['error', SERVER_BUSY, 'Service Unavailable']],
      ] as const;
      for (const [url, error] of cases) {
        await openProbe(page, 'fixed-http', url);
        await waitForEntry(page, ['state', CLOSED]);
        assert.deepEqual(
          (await probeLog(page)).filter(([kind]) => kind === 'error'),
          [error],
        );
      }
      await page.close();
    });
  });

  it('left no uncaught errors in the pages', () => {
    assert.deepEqual(env.pageErrors, []);
  });
});
