/**
 * @module Timers and hostile input: the select and user timeouts, the nop keep-alive (short injected
 * intervals, event waits), and `select` fuzzing (CVE-2012-4415 class): clean errors, no crash, no leak.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import fc from 'fast-check';
import { encodeInstruction } from '../../src/protocol/index.js';
import { ProxyServer, type ProxyTimeouts } from '../../src/proxy/index.js';
import { CLIENT_TIMEOUT, RawClient, drawPlugin, within } from './helpers.js';

function setup(timeouts: Partial<ProxyTimeouts> = {}) {
  const { plugin, record } = drawPlugin();
  return { server: new ProxyServer({ plugins: [plugin], timeouts }), record };
}

describe('proxy timers', () => {
  it('drops a client that never sends select', async () => {
    const { server } = setup({ selectMs: 20 });
    const client = new RawClient(server);
    assert.deepEqual((await client.expect('error')).args, [
      'User is not responding.',
      CLIENT_TIMEOUT,
    ]);
    await within(client.served);
    assert.equal(server.userCount, 0);
  });

  it('drops a silent user with "User is not responding." (776) and ends its connection', async () => {
    const { server, record } = setup({ userMs: 30, keepAliveMs: 10_000 });
    const client = new RawClient(server);
    await client.handshake('draw');
    const error = await client.expect('error');
    assert.deepEqual(error.args, ['User is not responding.', CLIENT_TIMEOUT]);
    await within(client.served);
    assert.equal(server.connectionCount, 0);
    assert.equal(record.closed, 1);
  });

  it('sends nop after the keep-alive interval without output', async () => {
    const { server } = setup({ keepAliveMs: 15 });
    const client = new RawClient(server);
    await client.handshake('draw');
    await client.expect('sync');
    await client.expect('nop');
    await client.expect('nop');
    await within(server.close());
    await within(client.served);
  });
});

describe('select fuzzing', () => {
  const cases: [string, string | Buffer, RegExp][] = [
    ['a long protocol name', encodeInstruction('select', 'x'.repeat(8000)), /a name of 8000/],
    ['an oversized element', `9000.${'y'.repeat(9000)};`, /./],
    ['a non-numeric length', 'abc.select;', /./],
    ['too many elements', encodeInstruction('select', ...Array<string>(200).fill('a')), /./],
    ['no argument', encodeInstruction('select'), /Bad number of arguments to "select" \(0\)/],
    ['two arguments', encodeInstruction('select', 'a', 'b'), /\(2\)/],
    ['another opcode', encodeInstruction('connect', 'x'), /Expected "select"/],
    ['control characters', encodeInstruction('select', 'vnc\u0000\n'), /unprintable/],
    ['invalid UTF-8', Buffer.from([0x36, 0x2e, 0xff, 0xfe, 0xfd]), /./],
  ];
  for (const [name, data, message] of cases) {
    it(`answers ${name} with an error and closes`, async () => {
      const { server } = setup({ selectMs: 200 });
      const client = new RawClient(server);
      client.write(data);
      const error = await client.expect('error');
      assert.match(error.args[0] ?? '', message);
      assert.ok(Number(error.args[1]) >= 256);
      await within(client.closed);
      await within(client.served);
      assert.equal(server.userCount, 0);
    });
  }

  it('survives arbitrary bytes and keeps serving', async () => {
    const { server } = setup({ selectMs: 50 });
    await fc.assert(
      fc.asyncProperty(fc.uint8Array({ maxLength: 300 }), async (bytes) => {
        const client = new RawClient(server);
        client.write(Buffer.from(bytes));
        client.end.end();
        await within(client.served);
      }),
      { numRuns: 60 },
    );
    assert.equal(server.userCount, 0);
    const client = new RawClient(server);
    assert.match(await client.handshake('draw'), /^\$/);
    await within(server.close());
  });
});
