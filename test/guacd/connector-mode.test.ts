/**
 * @module resolveGuacdConnector: `guacd-mode` external and embedded, and each branch of `auto` — a
 * guacd-* address property set, something answering at the default address, nothing answering — with
 * the logged reason; and probeTcp against a listening and a closed port.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { createServer, type AddressInfo } from 'node:net';
import { describe, it } from 'node:test';
import { Configuration, parsePropertiesText } from '../../src/config/index.js';
import {
  EmbeddedGuacdConnector,
  ExternalGuacdConnector,
  probeTcp,
  resolveGuacdConnector,
  type GuacdAddress,
  type GuacdDecision,
} from '../../src/guacd/index.js';

function settings(text: string): Configuration {
  return new Configuration({ file: parsePropertiesText(text, 'guacamole.properties') });
}

/** Resolves with a scripted probe and records what it was asked. */
async function resolveWith(
  text: string,
  answer: string | undefined,
): Promise<{ decision: GuacdDecision; probed: GuacdAddress[] }> {
  const probed: GuacdAddress[] = [];
  const decision = await resolveGuacdConnector(settings(text), {
    probe: (address) => {
      probed.push(address);
      return Promise.resolve(answer);
    },
  });
  return { decision, probed };
}

describe('resolveGuacdConnector', () => {
  it('external: guacd at guacd-hostname:guacd-port, without probing', async () => {
    const { decision, probed } = await resolveWith(
      'guacd-mode: external\nguacd-hostname: guacd.example\nguacd-port: 4823\nguacd-ssl: true\n',
      'refused',
    );
    assert.ok(decision.connector instanceof ExternalGuacdConnector);
    assert.deepEqual(decision.connector.target, {
      kind: 'external',
      hostname: 'guacd.example',
      port: 4823,
      ssl: true,
    });
    assert.equal(decision.connector.description, 'guacd at guacd.example:4823 (TLS)');
    assert.deepEqual(probed, []);
    assert.match(decision.reason, /guacd-mode is external: using guacd at guacd\.example:4823/);
  });

  it('embedded: the bundled proxy with the built-in plugins, even with guacd-* set', async () => {
    const { decision, probed } = await resolveWith(
      'guacd-mode: embedded\nguacd-hostname: guacd.example\n',
      undefined,
    );
    assert.ok(decision.connector instanceof EmbeddedGuacdConnector);
    assert.deepEqual(decision.connector.target, { kind: 'embedded' });
    assert.ok(decision.connector.server.protocols.includes('vnc'));
    assert.deepEqual(probed, []);
    assert.deepEqual(decision.address, { hostname: 'guacd.example', port: 4822, ssl: false });
    await decision.connector.close();
  });

  it('auto with a guacd-* address property set: that guacd, without probing', async () => {
    for (const text of ['guacd-hostname: 10.0.0.5\n', 'guacd-port: 4823\n', 'guacd-ssl: false\n']) {
      const { decision, probed } = await resolveWith(text, 'refused');
      assert.ok(decision.connector instanceof ExternalGuacdConnector, text);
      assert.deepEqual(probed, [], text);
      assert.match(decision.reason, /guacd-mode is auto and guacd-\w+ set: using guacd at /);
    }
  });

  it('auto with nothing set and a guacd answering at localhost:4822: that guacd', async () => {
    const { decision, probed } = await resolveWith('', undefined);
    assert.deepEqual(probed, [{ hostname: 'localhost', port: 4822, ssl: false }]);
    assert.ok(decision.connector instanceof ExternalGuacdConnector);
    assert.equal(
      decision.reason,
      'guacd-mode is auto and a guacd answers at localhost:4822: using it.',
    );
  });

  it('auto with nothing set and nothing answering: the bundled proxy, saying why', async () => {
    const { decision, probed } = await resolveWith('guacd-mode: auto\n', 'connect ECONNREFUSED');
    assert.equal(probed.length, 1);
    assert.ok(decision.connector instanceof EmbeddedGuacdConnector);
    assert.equal(
      decision.reason,
      'guacd-mode is auto and no guacd answers at localhost:4822 (connect ECONNREFUSED): ' +
        'using the bundled proxy.',
    );
    assert.deepEqual(await decision.connector.health(), { ok: true, guacd: 'embedded' });
    await decision.connector.close();
  });

  it('rejects an unknown mode as a configuration problem naming the legal values', async () => {
    await assert.rejects(resolveWith('guacd-mode: builtin\n', undefined), (error: Error) => {
      assert.match(error.message, /"builtin".*"auto", "embedded", "external"/s);
      return true;
    });
  });
});

describe('probeTcp', () => {
  it('resolves undefined when something accepts, the reason when the port is closed', async () => {
    const server = createServer((socket) => socket.destroy());
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const { port } = server.address() as AddressInfo;
    assert.equal(await probeTcp({ hostname: '127.0.0.1', port }, 2000), undefined);
    server.close();
    await once(server, 'close');
    assert.match(
      (await probeTcp({ hostname: '127.0.0.1', port }, 2000)) ?? '',
      new RegExp(`^guacd at 127\\.0\\.0\\.1:${port}: .*ECONNREFUSED`),
    );
  });
});
