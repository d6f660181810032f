/**
 * @module The built-in protocol definitions (`GET api/schema/protocols`, `ProtocolRegistry`): the five
 * protocols guacamole-ext ships, each with connection forms of guacd's parameter names in the shape the
 * frontend reads (`{name, fields: [{name, type, options?}]}`), a read-only sharing profile form, and
 * files in GUACAMOLE_HOME/protocols replacing or adding definitions.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { ProtocolRegistry } from '../../src/rest/index.js';
import { startRest } from './support.js';

const FIELD_TYPES = new Set([
  'TEXT',
  'NUMERIC',
  'USERNAME',
  'PASSWORD',
  'MULTILINE',
  'TIMEZONE',
  'BOOLEAN',
  'ENUM',
  'TERMINAL_COLOR_SCHEME',
]);

interface Field {
  name: string;
  type: string;
  options?: string[];
}
interface Form {
  name: string;
  fields: Field[];
}
interface Info {
  name: string;
  connectionForms: Form[];
  sharingProfileForms: Form[];
}

/** @returns every field of a definition by name, checking each form's and field's shape */
function fieldsOf(info: Info): Map<string, Field> {
  const fields = new Map<string, Field>();
  for (const form of info.connectionForms) {
    assert.deepEqual(Object.keys(form), ['name', 'fields']);
    assert.match(form.name, /^[a-z][a-z-]*$/);
    for (const field of form.fields) {
      const keys = Object.keys(field);
      assert.ok(['name,type', 'name,type,options'].includes(keys.join()), keys.join());
      assert.ok(FIELD_TYPES.has(field.type), `${info.name}.${field.name}: ${field.type}`);
      if (field.type === 'BOOLEAN') assert.deepEqual(field.options, ['true']);
      if (field.type === 'ENUM') assert.equal(field.options?.[0], '', 'unset comes first');
      assert.ok(!fields.has(field.name), `${info.name}.${field.name} appears twice`);
      fields.set(field.name, field);
    }
  }
  return fields;
}

describe('built-in protocol definitions', () => {
  it('describes vnc, rdp, ssh, telnet and kubernetes with guacd parameter forms', async () => {
    const rest = await startRest();
    try {
      const token = await rest.login();
      const reply = await rest.request('GET', '/api/session/data/default/schema/protocols', {
        token,
      });
      assert.equal(reply.status, 200);
      const all = reply.json() as Record<string, Info>;
      assert.deepEqual(Object.keys(all).sort(), ['kubernetes', 'rdp', 'ssh', 'telnet', 'vnc']);
      for (const [name, info] of Object.entries(all)) {
        assert.equal(info.name, name);
        assert.deepEqual(info.sharingProfileForms, [
          { name: 'display', fields: [{ name: 'read-only', type: 'BOOLEAN', options: ['true'] }] },
        ]);
        const fields = fieldsOf(info);
        assert.equal(fields.get('hostname')?.type, 'TEXT', name);
        assert.equal(fields.get('port')?.type, 'NUMERIC', name);
      }
      const vnc = fieldsOf(all.vnc as Info);
      assert.equal(vnc.get('password')?.type, 'PASSWORD');
      assert.deepEqual(vnc.get('color-depth')?.options, ['', '8', '16', '24', '32']);
      assert.deepEqual(vnc.get('cursor')?.options, ['', 'local', 'remote']);
      assert.equal(vnc.get('sftp-private-key')?.type, 'MULTILINE');
      assert.deepEqual(
        (all.vnc as Info).connectionForms.map((form) => form.name),
        [
          'network',
          'authentication',
          'display',
          'clipboard',
          'repeater',
          'recording',
          'sftp',
          'audio',
          'wol',
        ],
      );
      const rdp = fieldsOf(all.rdp as Info);
      assert.deepEqual(rdp.get('security')?.options, ['', 'any', 'nla', 'rdp', 'tls', 'vmconnect']);
      assert.equal(rdp.get('timezone')?.type, 'TIMEZONE');
      assert.ok(rdp.get('server-layout')?.options?.includes('de-de-qwertz'));
      assert.ok(rdp.has('recording-exclude-touch'));
      assert.ok(!vnc.has('recording-exclude-touch'));
      const ssh = fieldsOf(all.ssh as Info);
      assert.equal(ssh.get('private-key')?.type, 'MULTILINE');
      assert.equal(ssh.get('color-scheme')?.type, 'TERMINAL_COLOR_SCHEME');
      assert.deepEqual(ssh.get('backspace')?.options, ['', '127', '8']);
      assert.deepEqual(ssh.get('clipboard-buffer-size')?.options, [
        '',
        '262144',
        '1048576',
        '10485760',
      ]);
      const telnet = fieldsOf(all.telnet as Info);
      assert.equal(telnet.get('username-regex')?.type, 'TEXT');
      const kubernetes = fieldsOf(all.kubernetes as Info);
      assert.deepEqual(
        ['namespace', 'pod', 'container', 'client-cert', 'use-ssl'].map(
          (n) => kubernetes.get(n)?.type,
        ),
        ['TEXT', 'TEXT', 'TEXT', 'MULTILINE', 'BOOLEAN'],
      );
    } finally {
      await rest.close();
    }
  });

  it('lets GUACAMOLE_HOME/protocols replace a definition or add one', () => {
    const home = mkdtempSync(join(tmpdir(), 'protocols-'));
    try {
      mkdirSync(join(home, 'protocols'));
      writeFileSync(join(home, 'protocols', 'ssh.json'), JSON.stringify({ name: 'ssh' }));
      writeFileSync(
        join(home, 'protocols', 'spice.json'),
        JSON.stringify({ name: 'spice', connectionForms: [{ name: 'network', fields: [] }] }),
      );
      const registry = ProtocolRegistry.load(home);
      assert.deepEqual(registry.get('ssh'), {
        name: 'ssh',
        connectionForms: [],
        sharingProfileForms: [],
      });
      assert.deepEqual(registry.get('spice').connectionForms, [{ name: 'network', fields: [] }]);
      assert.equal((registry.get('rdp').connectionForms[0] as Form).name, 'network');
      assert.deepEqual(Object.keys(registry.all()).sort(), [
        'kubernetes',
        'rdp',
        'spice',
        'ssh',
        'telnet',
        'vnc',
      ]);
      assert.deepEqual(new ProtocolRegistry([]).all(), {});
      // A protocol nobody defines: just its name (TunnelResource.getProtocol).
      assert.deepEqual(registry.get('x-unknown'), {
        name: 'x-unknown',
        connectionForms: [],
        sharingProfileForms: [],
      });
    } finally {
      rmSync(home, { recursive: true, force: true });
    }
  });
});
