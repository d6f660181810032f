/**
 * @module The process's default connector and how SimpleConnection picks its proxy: no proxy or the
 * configured guacd address → the installed default (the bundled proxy under guacd-mode embedded); any
 * other address a provider gives explicitly → that guacd over TCP; an explicit connector → itself.
 * Also the external connector against a fake guacd: handshake and health.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { SimpleConnection } from '../../src/extensions/api.js';
import {
  EmbeddedGuacdConnector,
  ExternalGuacdConnector,
  defaultGuacdConnector,
  guacdConnectorFor,
  installDefaultGuacdConnector,
  type ConfiguredGuacdSocket,
} from '../../src/guacd/index.js';
import { GuacamoleConfiguration, defaultClientInformation } from '../../src/protocol/index.js';
import { FakeGuacd } from '../fakes/fake-guacd.js';
import { drawPlugin } from '../proxy/helpers.js';

const CONFIGURED = { hostname: 'localhost', port: 4822, ssl: false } as const;
const DRAW = new GuacamoleConfiguration({ protocol: 'draw', parameters: { hostname: 'desk' } });

describe('the default guacd connector', () => {
  let guacd: FakeGuacd;
  let embedded: EmbeddedGuacdConnector;
  let uninstall: () => void;
  const draw = drawPlugin();
  before(async () => {
    guacd = await FakeGuacd.start({ args: ['hostname'] });
    embedded = new EmbeddedGuacdConnector({ plugins: [draw.plugin] });
    uninstall = installDefaultGuacdConnector(embedded, CONFIGURED);
  });
  after(async () => {
    uninstall();
    await embedded.close();
    await guacd.close();
  });

  it('routes the configured address and "no address" to the default, others to TCP', () => {
    assert.equal(defaultGuacdConnector(), embedded);
    assert.equal(guacdConnectorFor(undefined), embedded);
    assert.equal(guacdConnectorFor({ ...CONFIGURED }), embedded);
    const other = guacdConnectorFor({ ...CONFIGURED, port: 4823 });
    assert.ok(other instanceof ExternalGuacdConnector);
    assert.deepEqual(other.target, {
      kind: 'external',
      hostname: 'localhost',
      port: 4823,
      ssl: false,
    });
    assert.ok(guacdConnectorFor({ ...CONFIGURED, ssl: true }) instanceof ExternalGuacdConnector);
  });

  it('SimpleConnection without a proxy, or with the configured one, uses the bundled proxy', async () => {
    for (const proxy of [
      undefined,
      () => ({ hostname: 'localhost', port: 4822, encryptionMethod: 'NONE' as const }),
    ]) {
      const connection = new SimpleConnection({
        identifier: 'desk',
        configuration: DRAW,
        ...(proxy === undefined ? {} : { proxy }),
      });
      const before = draw.record.contexts.length;
      const tunnel = await connection.connect(defaultClientInformation(), {});
      assert.ok(
        embedded.server.hasConnection((tunnel.socket as ConfiguredGuacdSocket).connectionId),
      );
      assert.equal(draw.record.contexts.length, before + 1);
      tunnel.close();
    }
    assert.equal(guacd.connections.length, 0, 'the external guacd was never dialled');
  });

  it('a proxy configuration naming another guacd wins: that guacd over TCP', async () => {
    const connection = new SimpleConnection({
      identifier: 'desk',
      configuration: new GuacamoleConfiguration({ protocol: 'ssh', parameters: { hostname: 'h' } }),
      proxy: { hostname: guacd.host, port: guacd.port, encryptionMethod: 'NONE' },
    });
    const tunnel = await connection.connect(defaultClientInformation(), {});
    const conn = await guacd.connection(0);
    assert.equal(conn.handshake?.selected, 'ssh');
    tunnel.close();
  });

  it('an explicit connector wins over everything', async () => {
    const external = new ExternalGuacdConnector({
      hostname: guacd.host,
      port: guacd.port,
      ssl: false,
    });
    const connection = new SimpleConnection({
      identifier: 'desk',
      configuration: new GuacamoleConfiguration({ protocol: 'telnet' }),
      proxy: { hostname: 'localhost', port: 4822, encryptionMethod: 'NONE' },
      connector: external,
    });
    const tunnel = await connection.connect(defaultClientInformation(), {});
    assert.equal((await guacd.connection(1)).handshake?.selected, 'telnet');
    tunnel.close();
  });

  it('the external connector reports guacd reachable, then unreachable once it is gone', async () => {
    const spare = await FakeGuacd.start();
    const external = new ExternalGuacdConnector({
      hostname: spare.host,
      port: spare.port,
      ssl: false,
    });
    assert.deepEqual(await external.health(), { ok: true, guacd: 'reachable' });
    await spare.close();
    const health = await external.health();
    assert.equal(health.ok, false);
    assert.equal(health.guacd, 'unreachable');
    assert.match(health.reason ?? '', /ECONNREFUSED/);
    await external.close();
  });
});

describe('without a default connector', () => {
  it('falls back to Java behaviour: TCP to the given address, or refuses "no address"', () => {
    assert.equal(defaultGuacdConnector(), undefined);
    assert.ok(guacdConnectorFor(CONFIGURED) instanceof ExternalGuacdConnector);
    assert.throws(() => guacdConnectorFor(undefined), /No default guacd connector/);
  });
});
