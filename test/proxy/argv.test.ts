/**
 * @module The argument prompt (`required` + `argv`) with a TEST-ONLY plugin that asks its owner for
 * `username` and `password` during connect: answers split into blobs complete it, guacd's refusals
 * (771 for names not asked, 783 for other mimetypes, 256 for other users), the value cap, a 1.1.0 owner
 * that cannot be asked, and giving up when the owner leaves or the proxy closes.
 */
import assert from 'node:assert/strict';
import { afterEach, describe, it } from 'node:test';
import type { GuacamoleError } from '../../src/protocol/index.js';
import {
  MAX_ARGUMENT_BYTES,
  ProxyServer,
  promptArguments,
  type ProtocolPlugin,
} from '../../src/proxy/index.js';
import { RawClient, within } from './helpers.js';

/** What the ask plugin saw. */
interface AskRecord {
  answers: ReadonlyMap<string, string> | undefined;
  failure: GuacamoleError | undefined;
  closed: boolean;
  /** Resolves once the prompt settled either way. */
  settled: Promise<void>;
}

/** A TEST-ONLY plugin: connect asks the owner for `username` and `password`, then joins nobody. */
function askPlugin(): { plugin: ProtocolPlugin; record: AskRecord } {
  let settle: () => void = () => undefined;
  const record: AskRecord = {
    answers: undefined,
    failure: undefined,
    closed: false,
    settled: new Promise((resolve) => (settle = resolve)),
  };
  const plugin: ProtocolPlugin = {
    name: 'ask',
    args: ['hostname'],
    async connect(context) {
      try {
        record.answers = await promptArguments(context, ['username', 'password']);
      } catch (error) {
        record.failure = error as GuacamoleError;
        throw error;
      } finally {
        settle();
      }
      return {
        join(user) {
          user.send('sync', '1');
        },
        close() {
          record.closed = true;
        },
      };
    },
  };
  return { plugin, record };
}

/** Selects `ask` (or joins `$id`) announcing `version`, and returns the `ready` connection ID. */
async function handshake(client: RawClient, select: string, version: string): Promise<string> {
  client.send('select', select);
  await client.expect('args');
  client.send('size', '800', '600', '96');
  client.send('audio');
  client.send('video');
  client.send('image', 'image/png');
  client.send('connect', version, 'host');
  return (await client.expect('ready')).args[0] ?? '';
}

/** Sends `value` as an argv stream in blobs of at most `piece` bytes. */
function answer(client: RawClient, index: string, name: string, value: string, piece = 3): void {
  const bytes = Buffer.from(value, 'utf8');
  for (let at = 0; at < bytes.length; at += piece) {
    client.send('blob', index, bytes.subarray(at, at + piece).toString('base64'));
  }
  client.send('end', index);
}

describe('argument prompt', () => {
  const cleanups: (() => Promise<void> | void)[] = [];
  afterEach(async () => {
    for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
  });

  function setup(): { proxy: ProxyServer; record: AskRecord } {
    const { plugin, record } = askPlugin();
    const proxy = new ProxyServer({ plugins: [plugin] });
    cleanups.push(() => within(proxy.close()));
    return { proxy, record };
  }

  function connect(proxy: ProxyServer): RawClient {
    const client = new RawClient(proxy);
    cleanups.push(() => {
      client.end.destroy();
    });
    return client;
  }

  it('sends `required` and completes with the values of argv streams split into blobs', async () => {
    const { proxy, record } = setup();
    const owner = connect(proxy);
    await handshake(owner, 'ask', 'VERSION_1_5_0');
    assert.deepEqual((await owner.expect('required')).args, ['username', 'password']);
    owner.send('argv', '1', 'text/plain', 'username');
    assert.deepEqual((await owner.expect('ack')).args, ['1', 'Ready for updated parameter.', '0']);
    answer(owner, '1', 'username', 'ann');
    owner.send('argv', '2', 'text/plain', 'password');
    answer(owner, '2', 'password', 'pässwörd ✓');
    await within(owner.expect('sync'));
    assert.equal(record.failure, undefined);
    assert.deepEqual(
      [...(record.answers ?? [])],
      [
        ['username', 'ann'],
        ['password', 'pässwörd ✓'],
      ],
    );
  });

  it('refuses names not asked for with 771 and mimetypes other than text/plain with 783', async () => {
    const { proxy, record } = setup();
    const owner = connect(proxy);
    await handshake(owner, 'ask', 'VERSION_1_3_0');
    await owner.expect('required');
    owner.send('argv', '3', 'text/plain', 'hostname');
    assert.deepEqual((await owner.expect('ack')).args, ['3', 'Not allowed.', '771']);
    owner.send('argv', '4', 'application/octet-stream', 'password');
    const [index, message, status] = (await owner.expect('ack')).args;
    assert.deepEqual([index, status], ['4', '783']);
    assert.match(message ?? '', /"password".*text\/plain/);
    // Blobs of refused streams are dropped: the prompt still waits for both names.
    answer(owner, '4', 'password', 'ignored');
    owner.send('argv', '5', 'text/plain', 'username');
    answer(owner, '5', 'username', 'ann');
    owner.send('argv', '6', 'text/plain', 'password');
    answer(owner, '6', 'password', 'right');
    await within(record.settled);
    assert.equal(record.answers?.get('password'), 'right');
  });

  it("refuses a joining user's argv with 256 while the owner is asked", async () => {
    const { proxy, record } = setup();
    const owner = connect(proxy);
    const id = await handshake(owner, 'ask', 'VERSION_1_5_0');
    await owner.expect('required');
    const guest = connect(proxy);
    await handshake(guest, id, 'VERSION_1_5_0');
    guest.send('argv', '1', 'text/plain', 'password');
    assert.deepEqual((await guest.expect('ack')).args, [
      '1',
      'Reconfiguring in-progress connections unsupported',
      '256',
    ]);
    assert.equal(guest.received.filter((i) => i.opcode === 'required').length, 0);
    owner.send('argv', '1', 'text/plain', 'username');
    answer(owner, '1', 'username', 'u');
    owner.send('argv', '2', 'text/plain', 'password');
    answer(owner, '2', 'password', 'p');
    await within(record.settled);
    assert.equal(record.answers?.get('password'), 'p');
  });

  it(`keeps the first ${MAX_ARGUMENT_BYTES} bytes of a value, as guacd does`, async () => {
    const { proxy, record } = setup();
    const owner = connect(proxy);
    await handshake(owner, 'ask', 'VERSION_1_5_0');
    await owner.expect('required');
    owner.send('argv', '1', 'text/plain', 'username');
    answer(owner, '1', 'username', 'x'.repeat(20_000), 6000);
    owner.send('argv', '2', 'text/plain', 'password');
    answer(owner, '2', 'password', '');
    await within(record.settled);
    const answers = record.answers ?? new Map<string, string>();
    assert.equal(answers.get('username')?.length, MAX_ARGUMENT_BYTES);
    assert.equal(answers.get('password'), '');
  });

  it('fails with 769 without asking a 1.1.0 owner', async () => {
    const { proxy, record } = setup();
    const owner = connect(proxy);
    await handshake(owner, 'ask', 'VERSION_1_1_0');
    const error = await owner.expect('error');
    assert.equal(error.args[1], '769');
    assert.equal(owner.received.filter((i) => i.opcode === 'required').length, 0);
    assert.equal(record.failure?.status.guac, 769);
  });

  it('gives up when the owner leaves in the middle of a value, and ends the connection', async () => {
    const { proxy, record } = setup();
    const owner = connect(proxy);
    await handshake(owner, 'ask', 'VERSION_1_5_0');
    await owner.expect('required');
    owner.send('argv', '1', 'text/plain', 'username');
    owner.send('blob', '1', Buffer.from('half').toString('base64'));
    await owner.expect('ack');
    owner.send('disconnect');
    await within(record.settled);
    assert.equal(record.answers, undefined);
    const failure = record.failure;
    assert.ok(failure !== undefined);
    assert.equal(failure.status.guac, 769);
    assert.match(failure.message, /owner left/);
    await within(owner.served);
    assert.equal(proxy.connectionCount, 0);
  });

  it('gives up when the proxy closes while the owner is asked', async () => {
    const { proxy, record } = setup();
    const owner = connect(proxy);
    await handshake(owner, 'ask', 'VERSION_1_5_0');
    await owner.expect('required');
    await within(proxy.close());
    await within(record.settled);
    assert.equal(record.failure?.status.guac, 769);
    assert.equal(record.closed, false, 'no session was made');
    await within(owner.closed);
  });
});
