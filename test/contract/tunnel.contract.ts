/**
 * @module The tunnel conformance suite (house-style rule 17): one set of behaviours, run against the HTTP
 * and the WebSocket tunnel through a small driver each. UUID first, byte-exact relay both ways (split
 * multi-byte characters included), error → status for every connect failure, normal close on guacd EOF,
 * guacd closed when the client goes, idle expiry, and no guacd connection left open after any of them.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import {
  ResourceNotFoundError,
  ServerError,
  UnauthorizedError,
  UpstreamNotFoundError,
  UpstreamTimeoutError,
  encodeInstruction,
  type GuacamoleError,
  type StatusEntry,
} from '../../src/protocol/index.js';
import { FakeGuacd, type FakeGuacdOptions } from '../fakes/fake-guacd.js';
import { freePort } from '../support/free-port.js';
import {
  TunnelServer,
  afterHandshake,
  returningNull,
  throwing,
  type TunnelServerOptions,
} from '../tunnel/support.js';

/** How a session ended, as guacamole-common-js reports it. */
export interface ClosedStatus {
  /** The Guacamole status the client ends with: 0 for a normal close. */
  readonly guac: number;
  /** What was on the wire, e.g. `1000 "0"` or `0.; then 404 516 "No such tunnel."`. */
  readonly wire: string;
}

/** A connect that failed, as the transport reported it. */
export interface ConnectFailure {
  readonly guac: number;
  /** The HTTP status or WebSocket close code. */
  readonly transportCode: number;
  /** The `Guacamole-Error-Message` header or the close reason. */
  readonly message: string;
}

/** An open tunnel, seen from the client. */
export interface ContractSession {
  readonly uuid: string;
  /** @returns the next piece of guacd's data (whole or partial instructions; markers removed) */
  receive(): Promise<string>;
  /** Sends instructions to guacd and resolves once the server accepted them. */
  send(text: string): Promise<void>;
  /** Goes away as a browser does (closes the WebSocket, drops the outstanding reads). */
  close(): Promise<void>;
  /** Resolves when the client sees the tunnel closed. */
  readonly closed: Promise<ClosedStatus>;
}

/** How idle tunnels expire on this transport. */
export interface IdleExpiry {
  readonly options: Partial<TunnelServerOptions>;
  /** Makes time pass as far as the tunnel layer can tell (or nothing, where a real timer does it). */
  expire(): void;
  readonly closed: ClosedStatus;
}

/** What the suite needs from one transport. */
export interface TunnelDriver {
  readonly name: string;
  /**
   * Opens a tunnel, asserting the transport's exact connect/UUID format on the way.
   * @param data the URL-encoded connect data
   */
  open(server: TunnelServer, data?: string): Promise<ContractSession>;
  /** Attempts a connect that must fail and reports how. */
  openFailing(server: TunnelServer, data?: string): Promise<ConnectFailure>;
  /** The transport's code for a status (HTTP status or WebSocket close code). */
  transportCode(status: StatusEntry): number;
  /** The message the transport reports for an error. */
  failureMessage(error: GuacamoleError): string;
  /** How a normal close looks. */
  readonly normalClose: ClosedStatus;
  /** Sets up idle expiry. */
  idle(): IdleExpiry;
}

const UUID = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;

/** Instructions mixing ASCII, BMP non-ASCII (2 and 3 UTF-8 bytes) and astral (4 bytes) text. */
function mixedInstructions(count: number): string {
  const samples = ['Grüße', '☃ snow', '😀🎉', '𝄞 clef', '日本語テキスト', 'plain', 'é\u0301'];
  let text = '';
  for (let i = 0; i < count; i++) {
    text += encodeInstruction('clipboard', String(i), samples[i % samples.length] ?? '', '🙂');
  }
  return text;
}

async function receiveLength(session: ContractSession, length: number): Promise<string> {
  let text = '';
  while (text.length < length) text += await session.receive();
  return text;
}

/**
 * Declares the suite for one transport.
 * @param driver the transport's driver
 */
export function tunnelContract(driver: TunnelDriver): void {
  describe(`${driver.name} tunnel contract`, { timeout: 60_000 }, () => {
    let guacd: FakeGuacd | undefined;
    let server: TunnelServer | undefined;

    async function setup(fake: FakeGuacdOptions = {}, options: Partial<TunnelServerOptions> = {}) {
      guacd = await FakeGuacd.start(fake);
      server = await TunnelServer.start({ guacd, ...options });
      return { guacd, server };
    }

    afterEach(async () => {
      await server?.close();
      if (guacd) {
        await guacd.idle();
        assert.deepEqual(guacd.errors, []);
        await guacd.close();
      }
      guacd = undefined;
      server = undefined;
    });

    it('announces a random tunnel UUID first, never the guacd connection ID', async () => {
      const { guacd, server } = await setup({ script: (c) => c.sendInstruction('sync', '1') });
      const session = await driver.open(server);
      assert.match(session.uuid, UUID);
      assert.equal(session.uuid, server.tunnels[0]?.uuid);
      const text = await receiveLength(session, '4.sync,1.1;'.length);
      assert.equal(text, '4.sync,1.1;');
      const id = (await guacd.connection(0)).connectionId ?? '';
      assert.ok(id.startsWith('$') && !id.includes(session.uuid) && !text.includes(id.slice(1)));
      await session.close();
    });

    it('relays guacd data byte-exact and in order, split inside multi-byte characters', async () => {
      const sent = mixedInstructions(200);
      const { server } = await setup({
        split: { seed: 7, maxPiece: 3 },
        script: (c) => c.send(sent),
      });
      const session = await driver.open(server);
      assert.equal(await receiveLength(session, sent.length), sent);
      await session.close();
    });

    it('relays client data to guacd byte-exact and in order', async () => {
      const { guacd, server } = await setup();
      const session = await driver.open(server);
      const sent = ['4.sync,8.12345678;', mixedInstructions(3), '3.key,5.65307,1.1;'];
      for (const text of sent) await session.send(text);
      const conn = await guacd.connection(0);
      await conn.waitFor('key');
      assert.equal(afterHandshake(conn.received), sent.join(''));
      await session.close();
    });

    it('passes the URL-encoded connect data to the connect callback, 0 and false intact', async () => {
      const { guacd, server } = await setup();
      const data =
        'hostname=h%C3%A9%F0%9F%98%80&port=0&password=false&GUAC_IMAGE=image%2Fpng&GUAC_IMAGE=image%2Fwebp';
      const session = await driver.open(server, data);
      const handshake = (await guacd.connection(0)).handshake;
      assert.ok(handshake);
      assert.equal(handshake.parameters.get('hostname'), 'hé😀');
      assert.equal(handshake.parameters.get('port'), '0');
      assert.equal(handshake.parameters.get('password'), 'false');
      assert.deepEqual(handshake.instructions.get('image'), ['image/png', 'image/webp']);
      await session.close();
    });

    describe('reports connect failures with their status', () => {
      const cases: {
        readonly name: string;
        readonly error: GuacamoleError;
        readonly fake?: FakeGuacdOptions;
        readonly options?: () => Promise<Partial<TunnelServerOptions>>;
      }[] = [
        {
          name: 'UnauthorizedError from the connect callback → 769',
          error: new UnauthorizedError('Permission denied.'),
          options: () =>
            Promise.resolve({ connect: throwing(new UnauthorizedError('Permission denied.')) }),
        },
        {
          name: 'no tunnel created → 516',
          error: new ResourceNotFoundError('No tunnel created.'),
          options: () => Promise.resolve({ connect: returningNull }),
        },
        {
          name: 'guacd refusing the connection → 512',
          error: new ServerError('refused'),
          options: async () => ({ guacd: { host: '127.0.0.1', port: await freePort() } }),
        },
        {
          name: 'guacd answering "error" 519 during the handshake → 519',
          error: new UpstreamNotFoundError('No such host.'),
          fake: {
            misbehave: { at: 'args', action: 'error', message: 'No such host.', code: '519' },
          },
        },
        {
          name: 'guacd answering "error" 516 during the handshake → 516',
          error: new ResourceNotFoundError('No such connection.'),
          fake: {
            misbehave: {
              at: 'ready',
              action: 'error',
              message: 'No such connection.',
              code: '516',
            },
          },
        },
        {
          name: 'guacd silent beyond the read timeout → 514',
          error: new UpstreamTimeoutError('timeout'),
          fake: { misbehave: { at: 'args', action: 'silent' } },
          options: () => Promise.resolve({ readTimeoutMs: 150 }),
        },
      ];
      for (const { name, error, fake, options } of cases) {
        it(name, async () => {
          const { guacd, server } = await setup(fake, (await options?.()) ?? {});
          const failure = await driver.openFailing(server);
          assert.deepEqual(failure, {
            guac: error.status.guac,
            transportCode: driver.transportCode(error.status),
            message: driver.failureMessage(error),
          });
          assert.equal(server.http.registry.size, 0);
          // A rejected connect callback never reached guacd; a failed handshake left nothing open.
          if (fake === undefined) assert.equal(guacd.connections.length, 0);
          await guacd.idle();
        });
      }
    });

    it('closes normally when guacd ends the connection', async () => {
      const { server } = await setup({
        script: async (c) => {
          await c.sendInstruction('sync', '42');
          await c.close();
        },
      });
      const session = await driver.open(server);
      assert.equal(await receiveLength(session, '4.sync,2.42;'.length), '4.sync,2.42;');
      assert.deepEqual(await session.closed, driver.normalClose);
    });

    it('delivers what guacd sent right before ending the connection', async () => {
      const last = encodeInstruction('error', 'Logged off.', '0');
      const { guacd, server } = await setup({ script: (c) => c.send(last) });
      const session = await driver.open(server);
      await (await guacd.connection(0)).close();
      assert.equal(await receiveLength(session, last.length), last);
      assert.deepEqual(await session.closed, driver.normalClose);
    });

    // Bounded well below the 15 s guacd read timeout and registry sweep, which would close it anyway.
    it(
      'closes the guacd connection as soon as the client goes away',
      { timeout: 5000 },
      async () => {
        const { guacd, server } = await setup({ script: (c) => c.sendInstruction('sync', '1') });
        const session = await driver.open(server);
        const conn = await guacd.connection(0);
        // Data received proves the client's reads have reached the server.
        assert.equal(await receiveLength(session, '4.sync,1.1;'.length), '4.sync,1.1;');
        await session.close();
        await conn.closed;
        assert.equal(server.http.registry.size, 0);
      },
    );

    it('closes an idle tunnel and its guacd connection', async () => {
      const idle = driver.idle();
      const { guacd, server } = await setup(
        { script: (c) => c.sendInstruction('sync', '1') },
        idle.options,
      );
      const session = await driver.open(server);
      const conn = await guacd.connection(0);
      // Data received proves the client's reads have reached the server (and accessed the tunnel).
      assert.equal(await receiveLength(session, '4.sync,1.1;'.length), '4.sync,1.1;');
      idle.expire();
      assert.deepEqual(await session.closed, idle.closed);
      await conn.closed;
      assert.equal(server.http.registry.size, 0);
    });
  });
}
