/**
 * @module End to end in headless Chromium: Guacamole.Client over our fixed tunnels (src/web/public) and,
 * for comparison, npm 1.5.0's → our real HTTP and WebSocket endpoints (src/tunnel) → connectGuacd +
 * configureSocket → the scripted fake guacd. Handshake, drawing, sync, input, clipboard, disconnect,
 * error statuses and ChainedTunnel's fallback. tunnel-e2e-unicode.test.ts adds text outside the BMP
 * where npm 1.5.0 breaks it.
 */

import { after, before, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import type { FakeGuacdConnection, Misbehaviour } from '../fakes/fake-guacd.js';
import { chromiumSkip, useTestPage } from './browser.js';
import {
  ClientState,
  disconnect,
  displayPixels,
  driverLog,
  openClient,
  sendInput,
  sendText,
  waitForClientState,
  waitForDriver,
  type ClientKind,
  type DriverEntry,
} from './client-driver.js';
import {
  E2EGateway,
  PASSWORD,
  tunnelClosed,
  type CaseOptions,
  type E2ECase,
} from './e2e-gateway.js';
import { SCENE, receiveStream, sendClipboard, sessionScript } from './e2e-guacd.js';

const FIXED: readonly ClientKind[] = ['fixed-ws', 'fixed-http', 'fixed-chained'];
const NPM: readonly ClientKind[] = ['npm-ws', 'npm-http', 'npm-chained'];

/** Guacamole.Tunnel.State.CLOSED. */
const CLOSED = 2;

/** A failure, the status it must reach the client with, and how many times guacd is dialled. */
interface Failure {
  readonly name: string;
  readonly options: CaseOptions;
  readonly code: number;
  /** The HTTP tunnel's Guacamole-Error-Message (the WebSocket close reason is the code itself). */
  readonly httpMessage: string;
  /** guacd connections: by one tunnel, and by ChainedTunnel (which retries over HTTP unless 514). */
  readonly attempts: readonly [single: number, chained: number];
}

const HANDSHAKE_ERROR: Misbehaviour = {
  at: 'ready',
  action: 'error',
  message: 'No such connection.',
  code: '516',
};

const FAILURES: readonly Failure[] = [
  {
    name: 'guacd refuses the connection',
    options: { guacdDown: true },
    code: 512,
    httpMessage: 'Internal server error.',
    attempts: [0, 0],
  },
  {
    name: 'guacd answers the handshake with error 516',
    options: { guacd: { misbehave: HANDSHAKE_ERROR } },
    code: 516,
    httpMessage: 'No such connection.',
    attempts: [1, 2],
  },
  {
    name: 'guacd stays silent past the 300 ms read timeout',
    options: { guacd: { misbehave: { at: 'args', action: 'silent' } }, readTimeoutMs: 300 },
    code: 514,
    httpMessage: 'Internal server error.',
    attempts: [1, 1],
  },
  {
    name: 'the connect callback throws UnauthorizedError',
    options: { unauthorized: true },
    code: 769,
    httpMessage: 'Permission denied.',
    attempts: [0, 0],
  },
];

/** Latin-1, two astral characters (U+1F600, U+1D11E) and a CJK one. */
const ASTRAL = 'héllo 😀 𝄞 犬';

/** @returns the transport a session over `kind` ends up on when nothing fails */
const transportOf = (kind: ClientKind) => (kind.endsWith('-http') ? 'http' : 'websocket');

/** @param log a driver log @returns its error entries (tunnel and client) */
const errorsIn = (log: DriverEntry[]) =>
  log.filter(([k]) => k === 'tunnel-error' || k === 'client-error');

describe('Guacamole.Client through our tunnels', { skip: chromiumSkip(), timeout: 60_000 }, () => {
  const gateway = new E2EGateway();
  const env = useTestPage({ handle: gateway.handle, upgrade: gateway.upgrade });
  after(async () => {
    await gateway.close();
  });

  /** A connected session: a case whose fake guacd runs `sessionScript`, and a client over `kind`. */
  const startSession = async (kind: ClientKind, options: CaseOptions = {}) => {
    const session = await gateway.addCase({ ...options, guacd: { script: sessionScript } });
    const page = await env.newPage();
    await openClient(page, kind, session.data);
    const conn = await session.guacd.connection(0);
    return { session, page, conn };
  };

  /** Waits for the scene: its `sync` answered (the client renders first), then checks the pixels. */
  const assertScene = async (page: Page, conn: FakeGuacdConnection) => {
    assert.deepEqual((await conn.waitFor('sync')).args, [SCENE.timestamp]);
    await waitForClientState(page, ClientState.CONNECTED);
    const { rect, png } = SCENE;
    const pixels = await displayPixels(page, [
      [rect.x + 5, rect.y + 5],
      [png.x + 1, png.y + 1],
      [SCENE.width - 1, SCENE.height - 1],
    ]);
    assert.deepEqual(pixels, [[...rect.color], [...png.color], [0, 0, 0, 0]]);
  };

  /** Disconnects and checks that guacd got `disconnect`, both ends closed and nobody saw an error. */
  const assertCleanDisconnect = async (page: Page, session: E2ECase, conn: FakeGuacdConnection) => {
    await disconnect(page);
    await waitForClientState(page, ClientState.DISCONNECTED);
    await conn.closed;
    assert.ok(
      conn.received.some((i) => i.opcode === 'disconnect'),
      'guacd received disconnect',
    );
    await tunnelClosed(await session.tunnel());
    assert.deepEqual(errorsIn(await driverLog(page)), []);
    assert.deepEqual(session.guacd.errors, []);
  };

  for (const kind of [...FIXED, ...NPM]) {
    describe(`a session over ${kind}`, () => {
      let s: Awaited<ReturnType<typeof startSession>>;
      before(async () => {
        s = await startSession(kind);
      });
      after(async () => {
        await s.page.close();
      });

      it('hands the request parameters to guacd and gets the UUID of our tunnel', async () => {
        const [, uuid] = await waitForDriver(s.page, 'uuid');
        assert.equal(uuid, (await s.session.tunnel()).uuid);
        assert.deepEqual(
          s.session.tunnels.map((t) => t.transport),
          [transportOf(kind)],
        );
        const { handshake } = s.conn;
        assert.deepEqual(handshake?.connectArgs, [
          'VERSION_1_5_0',
          'desktop.example',
          '5900',
          PASSWORD,
        ]);
        assert.deepEqual(handshake.instructions.get('size'), ['640', '480', '96']);
        assert.deepEqual(handshake.instructions.get('image'), ['image/png', 'image/jpeg']);
        assert.deepEqual(handshake.instructions.get('timezone'), ['Europe/Berlin']);
      });

      it('draws the scene on the canvas and answers sync', async () => {
        await assertScene(s.page, s.conn);
      });

      it('sends key and mouse events to guacd', async () => {
        await sendInput(s.page, 0x61, { x: 12, y: 34, left: true, right: true });
        assert.deepEqual((await s.conn.waitFor('key')).args, ['97', '1']);
        assert.deepEqual((await s.conn.waitFor('mouse')).args, ['12', '34', '5']);
      });

      it('carries clipboard text outside the BMP both ways (our StringWriter/StringReader)', async () => {
        await sendText(s.page, ASTRAL, { clipboard: true });
        const sent = await receiveStream(s.conn, 'clipboard');
        assert.equal(sent.opening[1], 'text/plain');
        assert.equal(sent.bytes.toString('utf8'), ASTRAL);
        await sendClipboard(s.conn, ASTRAL);
        assert.deepEqual(await waitForDriver(s.page, 'clipboard'), [
          'clipboard',
          'text/plain',
          ASTRAL,
        ]);
      });

      it('disconnects cleanly', async () => {
        await assertCleanDisconnect(s.page, s.session, s.conn);
      });
    });
  }

  describe('failures reach the client as their status', () => {
    for (const failure of FAILURES) {
      for (const kind of [...FIXED, ...NPM]) {
        it(`${kind}: ${failure.name} → ${failure.code}`, async () => {
          const c = await gateway.addCase(failure.options);
          const { page } = env;
          await openClient(page, kind, c.data);
          const [, code, message, elapsed] = await waitForDriver(page, 'tunnel-error');
          // ChainedTunnel reports what its last tunnel saw: HTTP's, unless 514 stopped it on WebSocket.
          const viaHttp = kind.endsWith('-http') || (kind.endsWith('-chained') && code !== 514);
          assert.deepEqual(
            [code, message],
            [failure.code, viaHttp ? failure.httpMessage : String(failure.code)],
          );
          // Our server's verdict, not the client's own 15 s receive timeout ("Server timeout.").
          assert.ok(elapsed < 5000, `reported after ${elapsed} ms`);
          if (code === 514) assert.ok(elapsed >= 250, `514 after ${elapsed} ms`);
          const log = await driverLog(page);
          assert.equal(errorsIn(log).length, 1, JSON.stringify(log));
          assert.deepEqual(log.at(-1), ['tunnel-state', CLOSED]);
          const chained = kind.endsWith('-chained');
          assert.equal(c.guacd.connections.length, failure.attempts[chained ? 1 : 0]);
          assert.deepEqual(c.tunnels, []);
        });
      }
    }
  });

  describe('ChainedTunnel behind a proxy that refuses WebSocket upgrades', () => {
    for (const kind of ['fixed-chained', 'npm-chained'] as const) {
      it(`${kind} falls back to HTTP, and the session works`, async () => {
        const { session, page, conn } = await startSession(kind, { refuseUpgrade: true });
        await assertScene(page, conn);
        assert.equal(session.refusedUpgrades, 1);
        assert.deepEqual(
          session.tunnels.map((t) => t.transport),
          ['http'],
        );
        assert.equal(session.guacd.connections.length, 1);
        assert.ok(conn.handshake, 'one complete handshake');
        await assertCleanDisconnect(page, session, conn);
        await page.close();
      });
    }
  });

  it('left no uncaught errors in the pages', () => {
    assert.deepEqual(env.pageErrors, []);
  });
});
