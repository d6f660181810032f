/**
 * @module The daemon side of the handshake against our own client side (configureSocket) and raw drivers:
 * version negotiation, any handshake order, argc checks, unknown protocols, plugin failures, joins by `$id`.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configureSocket, connectLocalProxy } from '../../src/guacd/index.js';
import {
  GuacamoleConfiguration,
  ProtocolVersion,
  ResourceNotFoundError,
  UnsupportedError,
  defaultClientInformation,
} from '../../src/protocol/index.js';
import { ProxyServer } from '../../src/proxy/index.js';
import { DRAW_ARGS, RawClient, drawPlugin, within } from './helpers.js';

function setup() {
  const { plugin, record } = drawPlugin();
  const server = new ProxyServer({ plugins: [plugin] });
  return { server, record };
}

describe('handshake with configureSocket', () => {
  it('negotiates 1.5.0, passes parameters and client info, and answers ready $<uuid>', async () => {
    const { server, record } = setup();
    const info = defaultClientInformation();
    Object.assign(info, { width: 1920, height: 1080, dpi: 120, name: 'alice', timezone: 'UTC' });
    info.imageMimetypes = ['image/png'];
    const config = new GuacamoleConfiguration({
      protocol: 'draw',
      parameters: new Map([
        ['hostname', 'h.example'],
        ['port', '5900'],
      ]),
    });
    const socket = await configureSocket(connectLocalProxy(server), config, info);
    assert.match(socket.connectionId, /^\$[0-9a-f-]{36}$/);
    assert.ok(socket.protocolVersion.equals(ProtocolVersion.VERSION_1_5_0));
    assert.equal((await within(socket.reader.readInstruction()))?.opcode, 'size');
    const [owner] = record.joined;
    assert.ok(owner);
    assert.equal(owner.owner, true);
    assert.deepEqual(
      [...owner.parameters],
      [
        ['hostname', 'h.example'],
        ['port', '5900'],
        ['read-only', ''],
        ['fail', ''],
      ],
    );
    assert.deepEqual(
      [owner.info.width, owner.info.height, owner.info.dpi, owner.info.name, owner.info.timezone],
      [1920, 1080, 120, 'alice', 'UTC'],
    );
    assert.deepEqual(owner.info.imageMimetypes, ['image/png']);
    assert.ok(owner.protocolVersion.equals(ProtocolVersion.VERSION_1_5_0));
    assert.equal(server.connectionCount, 1);
    socket.close();
    await within(server.close());
    assert.equal(record.closed, 1);
    assert.equal(server.connectionCount, 0);
    assert.equal(server.userCount, 0);
  });

  it('rejects an unknown protocol with UNSUPPORTED (256) and a clear message', async () => {
    const { server } = setup();
    const config = new GuacamoleConfiguration({ protocol: 'nosuch' });
    await assert.rejects(
      configureSocket(connectLocalProxy(server), config, defaultClientInformation()),
      (error) => {
        assert.ok(error instanceof UnsupportedError);
        assert.equal(error.message, 'Protocol "nosuch" is not supported.');
        return true;
      },
    );
    await within(server.close());
  });

  it('answers an unknown $id with "No such connection." (516)', async () => {
    const { server } = setup();
    const config = new GuacamoleConfiguration({
      connectionId: '$00000000-0000-0000-0000-000000000000',
    });
    await assert.rejects(
      configureSocket(connectLocalProxy(server), config, defaultClientInformation()),
      (error) => {
        assert.ok(error instanceof ResourceNotFoundError);
        assert.equal(error.message, 'No such connection.');
        return true;
      },
    );
    await within(server.close());
  });
});

describe('handshake driven raw', () => {
  it('advertises VERSION_1_5_0 and the plugin parameters', async () => {
    const { server } = setup();
    const client = new RawClient(server);
    client.send('select', 'draw');
    const args = await client.expect('args');
    assert.deepEqual(args.args, ['VERSION_1_5_0', ...DRAW_ARGS]);
    client.end.destroy();
    await within(client.served);
    assert.equal(server.userCount, 0);
  });

  it('accepts the handshake instructions in any order, ignores unknown ones, defaults the DPI', async () => {
    const { server, record } = setup();
    const client = new RawClient(server);
    client.send('select', 'draw');
    await client.expect('args');
    client.send('name', 'bob');
    client.send('image', 'image/webp');
    client.send('bogus', 'x');
    client.send('timezone', 'Europe/Berlin');
    client.send('size', '640', '480');
    client.send('video');
    client.send('audio', 'audio/L16');
    client.send('connect', 'VERSION_1_1_0', 'h', '1', '', '');
    assert.match((await client.expect('ready')).args[0] ?? '', /^\$/);
    await client.expect('sync');
    const user = record.joined[0];
    assert.ok(user);
    assert.deepEqual(
      [user.info.width, user.info.height, user.info.dpi, user.info.name, user.info.timezone],
      [640, 480, 96, 'bob', 'Europe/Berlin'],
    );
    assert.deepEqual(user.info.audioMimetypes, ['audio/L16']);
    assert.ok(user.protocolVersion.equals(ProtocolVersion.VERSION_1_1_0));
    client.send('disconnect');
    assert.equal((await client.expect('disconnect')).opcode, 'disconnect');
    await within(client.closed);
    await within(client.served);
    assert.equal(server.connectionCount, 0);
    assert.equal(record.closed, 1);
  });

  it("sends ready, then guacd's argc error, when connect has the wrong number of values", async () => {
    const { server, record } = setup();
    const client = new RawClient(server);
    client.send('select', 'draw');
    await client.expect('args');
    client.send('size', '1024', '768', '96');
    client.send('connect', 'VERSION_1_5_0', 'only-one');
    await client.expect('ready');
    const error = await client.expect('error');
    assert.deepEqual(error.args, [
      'Incorrect number of connection parameters provided: expected 4, got 1.',
      '768',
    ]);
    await within(client.closed);
    await within(client.served);
    assert.equal(server.connectionCount, 0);
    assert.equal(record.contexts.length, 0);
  });

  it('reports plugin failures with their codes after ready (519, 769)', async () => {
    for (const code of ['519', '769']) {
      const { server, record } = setup();
      const client = new RawClient(server);
      await client.handshake('draw', { fail: code });
      const error = await client.expect('error');
      assert.equal(error.args[1], code);
      await within(client.served);
      assert.equal(server.connectionCount, 0);
      assert.equal(record.closed, 0);
    }
  });

  it('joins by $id: args of the connection, read-only honoured by the plugin, broadcast to all', async () => {
    const { server, record } = setup();
    const owner = new RawClient(server);
    const id = await owner.handshake('draw');
    await owner.expect('sync');
    const viewer = new RawClient(server);
    viewer.send('select', id);
    assert.deepEqual((await viewer.expect('args')).args, ['VERSION_1_5_0', ...DRAW_ARGS]);
    viewer.send('size', '100', '100');
    viewer.send('connect', 'VERSION_1_5_0', '', '', 'true', '');
    assert.equal((await viewer.expect('ready')).args[0], id);
    await viewer.expect('sync');
    const joined = record.joined[1];
    assert.ok(joined);
    assert.equal(joined.owner, false);
    assert.equal(joined.readOnly, true);
    assert.equal(record.contexts.length, 1);

    viewer.send('key', '65', '1');
    owner.send('key', '66', '1');
    assert.deepEqual((await viewer.expect('key')).args, ['66', '1']);
    assert.deepEqual((await owner.expect('key')).args, ['66', '1']);
    assert.equal(record.keys.length, 2);

    // The owner leaving does not end the connection while the viewer remains.
    owner.end.destroy();
    await within(owner.served);
    assert.equal(server.connectionCount, 1);
    viewer.end.destroy();
    await within(viewer.served);
    assert.equal(server.connectionCount, 0);
    assert.equal(record.left.length, 2);
    assert.equal(record.closed, 1);
  });

  it('acknowledges clipboard streams and refuses streams nobody handles', async () => {
    const { server, record } = setup();
    const client = new RawClient(server);
    await client.handshake('draw');
    await client.expect('sync');
    client.send('clipboard', '3', 'text/plain');
    assert.deepEqual((await client.expect('ack')).args, ['3', 'OK', '0']);
    client.send('blob', '3', Buffer.from('héllo').toString('base64'));
    assert.deepEqual((await client.expect('ack')).args, ['3', 'OK', '0']);
    client.send('end', '3');
    client.send('file', '4', 'text/plain', 'a.txt');
    assert.deepEqual((await client.expect('ack')).args, ['4', 'File transfer unsupported', '256']);
    client.send('pipe', '9999', 'text/plain', 'p');
    assert.deepEqual((await client.expect('ack')).args, ['9999', 'Invalid stream index', '768']);
    assert.deepEqual(record.clipboard, ['héllo']);
    await within(server.close());
    await within(client.served);
  });
});
