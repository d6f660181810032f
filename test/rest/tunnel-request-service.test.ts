/**
 * @module TunnelRequestService (tunnel spec §8, §11 items 25–28): Java's validation order and messages,
 * the client information and `name` guacd receives, the standard tokens, session registration by UUID,
 * TunnelConnectEvent (veto) and TunnelCloseEvent, and the session destroyed on UnauthorizedError.
 */
import assert from 'node:assert/strict';
import { IncomingMessage } from 'node:http';
import { Socket } from 'node:net';
import { after, before, beforeEach, describe, it } from 'node:test';
import {
  ClientError,
  ResourceNotFoundError,
  SecurityError,
  UnauthorizedError,
  type GuacamoleEvent,
} from '../../src/extensions/api.js';
import type { TunnelRequest } from '../../src/tunnel/index.js';
import { FakeGuacd } from '../fakes/fake-guacd.js';
import { startRest, type RestHarness } from './support.js';

/** A tunnel request from a parameter list, as either tunnel would build it. */
function tunnelRequest(parameters: readonly (readonly [string, string])[]): TunnelRequest {
  const map = new Map<string, string[]>();
  for (const [name, value] of parameters) map.set(name, [...(map.get(name) ?? []), value]);
  const http = new IncomingMessage(new Socket());
  return {
    transport: 'websocket',
    http,
    remoteAddress: '127.0.0.1',
    getParameter: (name) => map.get(name)?.[0],
    getParameterValues: (name) => map.get(name) ?? [],
    getParameterNames: () => [...map.keys()],
  };
}

async function rejection(promise: Promise<unknown>): Promise<Error> {
  try {
    await promise;
  } catch (error) {
    assert.ok(error instanceof Error);
    return error;
  }
  assert.fail('expected a rejection');
}

describe('TunnelRequestService', () => {
  let guacd: FakeGuacd;
  let rest: RestHarness;
  let token: string;
  const events: GuacamoleEvent[] = [];
  let veto: Error | undefined;
  before(async () => {
    guacd = await FakeGuacd.start({ args: ['hostname', 'port', 'username', 'password'] });
    rest = await startRest({
      properties: `guacd-hostname: 127.0.0.1\nguacd-port: ${guacd.port}\n`,
      listeners: [
        {
          handleEvent: (event) => {
            events.push(event);
            if (event.type === 'TunnelConnectEvent' && veto !== undefined) throw veto;
          },
        },
      ],
    });
  });
  beforeEach(async () => {
    events.length = 0;
    veto = undefined;
    token = await rest.login();
  });
  after(async () => {
    await rest.close();
    await guacd.close();
  });

  const connect = (parameters: readonly (readonly [string, string])[]) =>
    rest.app.tunnels.createTunnel(tunnelRequest(parameters));
  const valid = (): [string, string][] => [
    ['token', token],
    ['GUAC_DATA_SOURCE', 'default'],
    ['GUAC_ID', 'desktop'],
    ['GUAC_TYPE', 'c'],
  ];

  it("requires GUAC_ID, then GUAC_TYPE, then GUAC_DATA_SOURCE, with Java's messages", async () => {
    const cases: [[string, string][], string][] = [
      [[], 'Parameter "GUAC_ID" is required.'],
      [[['GUAC_ID', 'x']], 'Parameter "GUAC_TYPE" is required.'],
      [
        [
          ['GUAC_ID', 'x'],
          ['GUAC_TYPE', 'z'],
        ],
        'Illegal identifier - unknown type.',
      ],
      [
        [
          ['GUAC_ID', 'x'],
          ['GUAC_TYPE', 'c'],
        ],
        'Parameter "GUAC_DATA_SOURCE" is required.',
      ],
    ];
    for (const [parameters, message] of cases) {
      const error = await rejection(connect(parameters));
      assert.ok(error instanceof ClientError);
      assert.equal(error.message, message);
      assert.equal(error.status.guac, 768);
    }
  });

  it('parses width, height and DPI as Java integers, before looking at the token', async () => {
    for (const [name, value] of [
      ['GUAC_WIDTH', 'wide'],
      ['GUAC_HEIGHT', '1.5'],
      ['GUAC_DPI', ''],
      ['GUAC_WIDTH', '2147483648'],
      ['GUAC_WIDTH', '0x10'],
    ] as const) {
      const parameters: [string, string][] = [...valid(), ['token', 'bad'], [name, value]];
      parameters.shift();
      const error = await rejection(connect(parameters));
      assert.equal(error.message, `Parameter "${name}" must be a valid integer.`);
    }
  });

  it('refuses an unknown token with UnauthorizedError "Permission Denied." (769)', async () => {
    const parameters = valid().map(([n, v]): [string, string] => [n, n === 'token' ? 'nope' : v]);
    const error = await rejection(connect(parameters));
    assert.ok(error instanceof UnauthorizedError);
    assert.deepEqual([error.message, error.status.guac], ['Permission Denied.', 769]);
  });

  it('refuses an unknown data source and an unknown destination with 404 messages', async () => {
    const wrongSource = valid().map(([n, v]): [string, string] => [
      n,
      n === 'GUAC_DATA_SOURCE' ? 'x' : v,
    ]);
    const source = await rejection(connect(wrongSource));
    assert.ok(source instanceof ResourceNotFoundError);
    assert.equal(source.message, 'Session not associated with authentication provider "x".');
    for (const type of ['c', 'a']) {
      const parameters = valid().map(([n, v]): [string, string] => [
        n,
        n === 'GUAC_ID' ? 'nope' : n === 'GUAC_TYPE' ? type : v,
      ]);
      const missing = await rejection(connect(parameters));
      assert.ok(missing instanceof ResourceNotFoundError);
      assert.equal(missing.message, 'Requested tunnel destination does not exist.');
    }
    const group = valid().map(([n, v]): [string, string] => [
      n,
      n === 'GUAC_ID' ? 'ROOT' : n === 'GUAC_TYPE' ? 'g' : v,
    ]);
    assert.ok((await rejection(connect(group))) instanceof SecurityError);
  });

  it("connects with the client information, the user's name and the standard tokens", async () => {
    const tunnel = await connect([
      ...valid(),
      ['GUAC_WIDTH', '+1280'],
      ['GUAC_HEIGHT', '720'],
      ['GUAC_DPI', '192'],
      ['GUAC_AUDIO', 'audio/L16'],
      ['GUAC_AUDIO', 'audio/L8'],
      ['GUAC_IMAGE', 'image/png'],
      ['GUAC_TIMEZONE', 'Europe/Berlin'],
    ]);
    try {
      const conn = await guacd.connection(guacd.connections.length - 1);
      const handshake = await conn.waitForHandshake();
      assert.equal(handshake.selected, 'vnc');
      assert.deepEqual(Object.fromEntries(handshake.instructions), {
        size: ['1280', '720', '192'],
        audio: ['audio/L16', 'audio/L8'],
        video: [],
        image: ['image/png'],
        timezone: ['Europe/Berlin'],
        name: ['alice'],
      });
      assert.deepEqual(Object.fromEntries(handshake.parameters), {
        VERSION_1_5_0: 'VERSION_1_5_0',
        hostname: 'pc.example',
        port: '5900',
        username: 'alice',
        password: 'secret',
      });
    } finally {
      tunnel.close();
    }
  });

  it('uses 1024×768 at 96 DPI by default and ignores an empty time zone', async () => {
    const tunnel = await connect([...valid(), ['GUAC_TIMEZONE', '']]);
    try {
      const conn = await guacd.connection(guacd.connections.length - 1);
      const handshake = await conn.waitForHandshake();
      assert.deepEqual(handshake.instructions.get('size'), ['1024', '768', '96']);
      assert.equal(handshake.instructions.has('timezone'), false);
    } finally {
      tunnel.close();
    }
  });

  it('registers the tunnel in the session by UUID and fires the connect and close events', async () => {
    const tunnel = await connect(valid());
    const session = rest.sessions.get(token);
    assert.ok(session);
    assert.deepEqual([...session.getTunnels().keys()], [tunnel.uuid]);
    assert.deepEqual(rest.app.tunnels.details(tunnel)?.protocol, 'vnc');
    const closed = new Promise<void>((resolve) => {
      tunnel.onClose(() => {
        resolve();
      });
    });
    tunnel.close();
    await closed;
    assert.equal(session.hasTunnels(), false);
    const types = events.map((event) => event.type).filter((type) => type.startsWith('Tunnel'));
    assert.deepEqual(types, ['TunnelConnectEvent', 'TunnelCloseEvent']);
  });

  it('fails the request when a listener vetoes TunnelConnectEvent, closing the tunnel', async () => {
    veto = new SecurityError('Not now.');
    const error = await rejection(connect(valid()));
    assert.equal(error, veto);
    const conn = await guacd.connection(guacd.connections.length - 1);
    await conn.closed;
    assert.equal(rest.sessions.get(token)?.hasTunnels(), false);
  });

  it('destroys the session when connecting fails with UnauthorizedError', async () => {
    veto = new UnauthorizedError('Go away.');
    await rejection(connect(valid()));
    assert.equal(rest.sessions.get(token), undefined);
  });
});
