/**
 * @module EmbeddedGuacdConnector: the bundled proxy in-process — the handshake and drawing through the
 * GuacdSocket seam, joining a running connection by its ID, refusing a protocol it lacks with a message
 * naming it and pointing to an external guacd, health, and shutdown that disconnects its users.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  EmbeddedGuacdConnector,
  unsupportedProtocolMessage,
  type ConfiguredGuacdSocket,
} from '../../src/guacd/index.js';
import {
  GuacamoleConfiguration,
  UnsupportedError,
  defaultClientInformation,
} from '../../src/protocol/index.js';
import { ProxyServer } from '../../src/proxy/index.js';
import { drawPlugin, within } from '../proxy/helpers.js';

const DRAW = new GuacamoleConfiguration({
  protocol: 'draw',
  parameters: { hostname: 'desk', port: '1' },
});

/** Reads until `opcode`, returning the opcodes seen before it too. */
async function readUntil(socket: ConfiguredGuacdSocket, opcode: string): Promise<string[]> {
  const seen: string[] = [];
  for (;;) {
    const instruction = await within(socket.reader.readInstruction());
    assert.ok(instruction, `end of stream before "${opcode}" (saw ${seen.join()})`);
    seen.push(instruction.opcode);
    if (instruction.opcode === opcode) return seen;
  }
}

describe('EmbeddedGuacdConnector', () => {
  it('serves a connection in-process and lets a second user join it by ID', async () => {
    const { plugin, record } = drawPlugin();
    const connector = new EmbeddedGuacdConnector({ plugins: [plugin] });
    const owner = await connector.connect(DRAW, defaultClientInformation());
    assert.match(owner.connectionId, /^\$[0-9a-f-]{36}$/);
    assert.deepEqual(await readUntil(owner, 'sync'), ['size', 'rect', 'cfill', 'sync']);
    assert.equal(connector.server.connectionCount, 1);

    const join = new GuacamoleConfiguration({
      connectionId: owner.connectionId,
      parameters: { 'read-only': 'true' },
    });
    const viewer = await connector.connect(join, defaultClientInformation());
    assert.equal(viewer.connectionId, owner.connectionId);
    await readUntil(viewer, 'sync');
    assert.deepEqual(
      record.joined.map((user) => [user.owner, user.readOnly]),
      [
        [true, false],
        [false, true],
      ],
    );
    viewer.close();
    owner.close();
    await connector.close();
    assert.equal(connector.server.userCount, 0);
  });

  it('refuses a protocol the bundled proxy lacks, naming it and suggesting an external guacd', async () => {
    const connector = new EmbeddedGuacdConnector();
    const ssh = new GuacamoleConfiguration({ protocol: 'ssh' });
    const served = connector.server.protocols.join(', ');
    assert.match(served, /\bvnc\b/);
    await assert.rejects(connector.connect(ssh, defaultClientInformation()), (error: Error) => {
      assert.ok(error instanceof UnsupportedError);
      assert.equal(error.status.guac, 0x0100);
      assert.equal(
        error.message,
        `Protocol "ssh" is not supported by the bundled proxy (it serves: ${served}). To use ` +
          'it, run guacd and set guacd-mode: external with guacd-hostname and guacd-port.',
      );
      return true;
    });
    assert.equal(connector.server.userCount, 0, 'no stream was opened');
    assert.equal(
      unsupportedProtocolMessage('kubernetes', []),
      'Protocol "kubernetes" is not supported by the bundled proxy (it serves: none). To use it, ' +
        'run guacd and set guacd-mode: external with guacd-hostname and guacd-port.',
    );
    await connector.close();
  });

  it('reports "embedded" until closed, and disconnects its users when closed', async () => {
    const { plugin, record } = drawPlugin();
    const connector = new EmbeddedGuacdConnector({ plugins: [plugin] });
    assert.deepEqual(await connector.health(), { ok: true, guacd: 'embedded' });
    assert.match(connector.description, /^the bundled proxy \(protocols: draw\)$/);
    const owner = await connector.connect(DRAW, defaultClientInformation());
    await readUntil(owner, 'sync');
    const closing = connector.close();
    assert.equal(connector.close(), closing, 'close is idempotent');
    await within(closing);
    await readUntil(owner, 'disconnect');
    assert.equal(record.closed, 1);
    assert.deepEqual(await connector.health(), {
      ok: false,
      guacd: 'unreachable',
      reason: 'The bundled proxy has been shut down.',
    });
    owner.close();
  });

  it('leaves a proxy it was given running when closed', async () => {
    const { plugin } = drawPlugin();
    const server = new ProxyServer({ plugins: [plugin] });
    const connector = new EmbeddedGuacdConnector({ server });
    await connector.close();
    const socket = await connector.connect(DRAW, defaultClientInformation());
    await readUntil(socket, 'sync');
    socket.close();
    await server.close();
  });
});
