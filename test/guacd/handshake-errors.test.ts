/**
 * @module Tests of every way the guacd handshake can fail: guacd's `error` codes, `disconnect`, wrong
 * opcodes, end of stream, a `ready` without ID, malformed data, resets and silence. After each failure the
 * socket must already be closed, and the fake guacd must see the connection go.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configureSocket } from '../../src/guacd/index.js';
import {
  ConnectionClosedError,
  GuacamoleConfiguration,
  ResourceNotFoundError,
  ServerError,
  UpstreamNotFoundError,
  UpstreamTimeoutError,
  defaultClientInformation,
  type GuacamoleError,
} from '../../src/protocol/index.js';
import { FakeGuacd, type Misbehaviour } from '../fakes/fake-guacd.js';
import { configFor, connectTo, rejection } from './helpers.js';

type ErrorClass = abstract new (...args: never[]) => GuacamoleError;

interface Expected {
  readonly type: ErrorClass;
  /** The exact message, or a pattern. */
  readonly message: string | RegExp;
  /** The Guacamole status code. */
  readonly guac: number;
}

/**
 * Runs a handshake against a fake that misbehaves once, and checks the error, that the socket was closed
 * before the error propagated, and that the fake saw the connection close.
 */
async function expectFailure(bad: Misbehaviour, expected: Expected, readTimeoutMs?: number) {
  const guacd = await FakeGuacd.start({ misbehave: bad });
  try {
    const socket = await connectTo(guacd, readTimeoutMs === undefined ? {} : { readTimeoutMs });
    const error = await rejection(
      configureSocket(socket, configFor('rdp'), defaultClientInformation()),
    );
    assert.equal(socket.isOpen, false, 'the socket is closed before the error propagates');
    assert.ok(error instanceof expected.type, `got ${String(error)}`);
    if (typeof expected.message === 'string') assert.equal(error.message, expected.message);
    else assert.match(error.message, expected.message);
    assert.equal(error.status.guac, expected.guac);
    await (
      await guacd.connection(0)
    ).closed;
  } finally {
    await guacd.close();
  }
}

describe('configureSocket errors', () => {
  describe('an "error" instruction from guacd', () => {
    it('maps code 519 while waiting for args to UpstreamNotFoundError', async () => {
      await expectFailure(
        { at: 'args', action: 'error', message: 'No such host.', code: '519' },
        { type: UpstreamNotFoundError, message: 'No such host.', guac: 519 },
      );
    });

    it('maps code 516 while waiting for ready to ResourceNotFoundError', async () => {
      await expectFailure(
        { at: 'ready', action: 'error', message: 'Gone.', code: '516' },
        { type: ResourceNotFoundError, message: 'Gone.', guac: 516 },
      );
    });

    for (const [label, code] of [
      ['an unknown', '999'],
      ['a non-numeric', 'abc'],
      ['an empty', ''],
      ['the SUCCESS', '0'],
    ] as const) {
      it(`maps ${label} code to ServerError (512)`, async () => {
        await expectFailure(
          { at: 'args', action: 'error', message: 'Oops.', code },
          { type: ServerError, message: 'Oops.', guac: 512 },
        );
      });
    }

    it('maps a missing code to ServerError (512)', async () => {
      await expectFailure(
        { at: 'ready', action: 'error', message: 'No code.' },
        { type: ServerError, message: 'No code.', guac: 512 },
      );
    });

    it('uses the default message when guacd sends none', async () => {
      await expectFailure(
        { at: 'args', action: 'error' },
        {
          type: ServerError,
          message: 'Internal error within guacd / protocol handling.',
          guac: 512,
        },
      );
    });
  });

  describe('other unexpected replies', () => {
    for (const at of ['args', 'ready'] as const) {
      it(`maps "disconnect" while waiting for ${at} to ConnectionClosedError`, async () => {
        await expectFailure(
          { at, action: 'disconnect' },
          {
            type: ConnectionClosedError,
            message: `Server disconnected while waiting for "${at}".`,
            guac: 512,
          },
        );
      });

      it(`maps a wrong opcode while waiting for ${at} to ServerError`, async () => {
        await expectFailure(
          { at, action: 'send', data: '4.sync,1.0;' },
          {
            type: ServerError,
            message: `Expected "${at}" instruction but instead received "sync".`,
            guac: 512,
          },
        );
      });

      it(`maps end of stream while waiting for ${at} to ServerError`, async () => {
        await expectFailure(
          { at, action: 'end' },
          { type: ServerError, message: `End of stream while waiting for "${at}".`, guac: 512 },
        );
      });
    }

    it('rejects a "ready" without a connection ID', async () => {
      await expectFailure(
        { at: 'ready', action: 'send', data: '5.ready;' },
        { type: ServerError, message: 'No connection ID received', guac: 512 },
      );
    });

    it('reports malformed data as a ServerError quoting the parser', async () => {
      await expectFailure(
        { at: 'args', action: 'send', data: '4.args,3.abcdef;' },
        {
          type: ServerError,
          message: /^guacd sent malformed data: Element terminator of instruction was not/,
          guac: 512,
        },
      );
    });

    it('reports a non-numeric length as malformed data', async () => {
      await expectFailure(
        { at: 'ready', action: 'send', data: 'x.ready;' },
        {
          type: ServerError,
          message: /^guacd sent malformed data: Non-numeric character/,
          guac: 512,
        },
      );
    });

    it('maps a reset during the handshake to ConnectionClosedError', async () => {
      await expectFailure(
        { at: 'args', action: 'reset' },
        { type: ConnectionClosedError, message: 'Connection to guacd is closed.', guac: 512 },
      );
    });

    it('times out on a silent guacd with UpstreamTimeoutError (514)', async () => {
      await expectFailure(
        { at: 'args', action: 'silent' },
        { type: UpstreamTimeoutError, message: 'Connection to guacd timed out.', guac: 514 },
        50,
      );
    });
  });

  it('rejects a configuration with neither protocol nor connection ID, closing the socket', async () => {
    const guacd = await FakeGuacd.start();
    try {
      const socket = await connectTo(guacd);
      const error = await rejection(
        configureSocket(socket, new GuacamoleConfiguration(), defaultClientInformation()),
      );
      assert.ok(error instanceof ServerError);
      assert.equal(socket.isOpen, false);
      await (
        await guacd.connection(0)
      ).closed;
    } finally {
      await guacd.close();
    }
  });
});
