/**
 * @module Tests of the Simple* helpers: SimpleAuthenticationProvider, SimpleUserContext (root group,
 * self permissions), SimpleDirectory, the read-only permission sets, SimpleConnectionGroup and
 * SimpleConnection connecting to a fake guacd with token substitution.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Configuration, parsePropertiesText } from '../../src/config/index.js';
import {
  createEnvironment,
  Credentials,
  GuacamoleConfiguration,
  ObjectPermissionType,
  SecurityError,
  SimpleActivityRecordSet,
  SimpleAuthenticationProvider,
  SimpleConnection,
  SimpleConnectionGroup,
  SimpleDirectory,
  SimpleObjectPermissionSet,
  SimpleSystemPermissionSet,
  SimpleUserContext,
  SystemPermissionType,
  defaultClientInformation,
  readCaseSensitivity,
  readProxyConfiguration,
  tryAtomically,
  type ConfigurationMap,
  type Connection,
  type ConnectionRecord,
  type Environment,
} from '../../src/extensions/api.js';
import { FakeGuacd } from '../fakes/fake-guacd.js';
import { StubProvider, testEnvironment } from './support.js';

/**
 * @param properties guacamole.properties text
 * @returns an environment reading it
 */
function environmentWith(properties: string): Environment {
  const configuration = new Configuration({
    file: parsePropertiesText(properties, 'test.properties'),
  });
  return createEnvironment({ guacamoleHome: '/nonexistent', configuration });
}

const VNC = new GuacamoleConfiguration({ protocol: 'vnc', parameters: { hostname: 'pc' } });

/** Authorizes `alice` (any password) for two connections. */
class TwoConnections extends SimpleAuthenticationProvider {
  lookups = 0;

  getIdentifier(): string {
    return 'two';
  }

  getAuthorizedConfigurations(credentials: Credentials): ConfigurationMap | null {
    this.lookups++;
    if (credentials.username !== 'alice' && credentials.username !== '') return null;
    return new Map([
      ['b-rdp', new GuacamoleConfiguration({ protocol: 'rdp' })],
      ['a-vnc', VNC],
    ]);
  }
}

describe('SimpleAuthenticationProvider', () => {
  it('authenticates with the username as identifier, or a random UUID when it is empty', async () => {
    const provider = new TwoConnections(testEnvironment());
    const alice = await provider.authenticateUser(new Credentials({ username: 'alice' }));
    assert.equal(alice?.identifier, 'alice');
    assert.equal(alice.getAuthenticationProvider(), provider);
    assert.deepEqual([...alice.getEffectiveUserGroups()], []);
    const anonymous = await provider.authenticateUser(new Credentials({ username: '' }));
    assert.match(anonymous?.identifier ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(await provider.authenticateUser(new Credentials({ username: 'bob' })), null);
  });

  it('lower-cases identifiers when usernames are case-insensitive', async () => {
    const provider = new TwoConnections(environmentWith('case-sensitivity: disabled\n'));
    const user = await provider.authenticateUser(new Credentials({ username: 'alice' }));
    assert.equal(user?.identifier, 'alice');
    const upper = new (class extends TwoConnections {
      override getAuthorizedConfigurations(): ConfigurationMap {
        return {};
      }
    })(environmentWith('case-sensitivity: disabled\n'));
    assert.equal(
      (await upper.authenticateUser(new Credentials({ username: 'ALICE' })))?.identifier,
      'alice',
    );
  });

  it('builds a context from a second lookup with the login credentials', async () => {
    const provider = new TwoConnections(testEnvironment());
    const user = await provider.authenticateUser(new Credentials({ username: 'alice' }));
    assert.ok(user);
    const context = await provider.getUserContext(user);
    assert.ok(context);
    assert.equal(provider.lookups, 2);
    assert.equal(context.getAuthenticationProvider(), provider);
    const connections = await context.getConnectionDirectory();
    assert.deepEqual([...(await connections.getIdentifiers())], ['b-rdp', 'a-vnc']);
    const connection = await connections.get('a-vnc');
    assert.equal(connection?.name, 'a-vnc');
    assert.equal(connection.parentIdentifier, 'ROOT');
    assert.equal((await connection.getConfiguration()).protocol, 'vnc');
  });
});

describe('SimpleUserContext', () => {
  const provider = new StubProvider('stub');
  const context = new SimpleUserContext(provider, {
    username: 'alice',
    configurations: { one: VNC, two: VNC },
  });

  it('puts every connection in the ROOT group, which is the only group', async () => {
    const root = await context.getRootConnectionGroup();
    assert.equal(root.identifier, 'ROOT');
    assert.equal(root.name, 'ROOT');
    assert.equal(root.type, 'ORGANIZATIONAL');
    assert.deepEqual([...(await root.getConnectionIdentifiers())], ['one', 'two']);
    assert.deepEqual([...(await root.getConnectionGroupIdentifiers())], []);
    const groups = await context.getConnectionGroupDirectory();
    assert.deepEqual([...(await groups.getIdentifiers())], ['ROOT']);
  });

  it('grants READ on the connections and on ROOT (Java swaps the two sets)', async () => {
    const self = context.self();
    assert.equal(self.identifier, 'alice');
    const connections = self.getConnectionPermissions();
    const groups = self.getConnectionGroupPermissions();
    assert.equal(await connections.hasPermission(ObjectPermissionType.READ, 'one'), true);
    assert.equal(await connections.hasPermission(ObjectPermissionType.READ, 'ROOT'), false);
    assert.equal(await groups.hasPermission(ObjectPermissionType.READ, 'ROOT'), true);
    assert.deepEqual(self.getSystemPermissions().getPermissions(), []);
    assert.equal(self.getEffectivePermissions(), self);
  });

  it('lists only itself in the user directory and nothing else', async () => {
    const users = await context.getUserDirectory();
    assert.deepEqual([...(await users.getIdentifiers())], ['alice']);
    assert.deepEqual(
      [...(await (await context.getActiveConnectionDirectory()).getIdentifiers())],
      [],
    );
    assert.deepEqual(
      [...(await (await context.getSharingProfileDirectory()).getIdentifiers())],
      [],
    );
    assert.deepEqual([...(await (await context.getUserGroupDirectory()).getIdentifiers())], []);
    assert.deepEqual(await (await context.getConnectionHistory()).asCollection(), []);
    assert.deepEqual(context.getUserAttributes(), []);
    assert.equal(context.isValid(), true);
    assert.equal(context.getPrivileged(), context);
    assert.equal(await context.getResource(), undefined);
  });

  it('defaults to the anonymous user', () => {
    assert.equal(new SimpleUserContext(provider, { configurations: {} }).self().identifier, '');
  });
});

describe('SimpleDirectory', () => {
  const a = new SimpleConnection({ identifier: 'a', configuration: VNC });
  const b = new SimpleConnection({ identifier: 'b', configuration: VNC });
  const directory = new SimpleDirectory<Connection>([a, b]);

  it('gets objects by identifier and skips absent ones in getAll', () => {
    assert.equal(directory.get('a'), a);
    assert.equal(directory.get('zzz'), undefined);
    assert.deepEqual(directory.getAll(['b', 'zzz', 'a']), [b, a]);
  });

  it('refuses every change with SecurityError "Permission denied."', () => {
    const denied = { name: 'SecurityError', message: 'Permission denied.' };
    assert.throws(() => directory.add(), denied);
    assert.throws(() => directory.update(), denied);
    assert.throws(() => directory.remove(), denied);
  });

  it('runs batches non-atomically when the directory has no tryAtomically', async () => {
    let atomic: boolean | undefined;
    await tryAtomically(directory, (isAtomic, target) => {
      atomic = isAtomic;
      assert.equal(target, directory);
    });
    assert.equal(atomic, false);
  });
});

describe('permission sets', () => {
  it('finds objects accessible through any of the given types', () => {
    const set = SimpleObjectPermissionSet.of(['1', '2'], [ObjectPermissionType.READ]);
    const admin = SimpleObjectPermissionSet.of(['3'], [ObjectPermissionType.ADMINISTER]);
    assert.deepEqual(set.getAccessibleObjects([ObjectPermissionType.READ], ['3', '2', '1']), [
      '2',
      '1',
    ]);
    assert.deepEqual(
      admin.getAccessibleObjects(
        [ObjectPermissionType.READ, ObjectPermissionType.ADMINISTER],
        ['3'],
      ),
      ['3'],
    );
    assert.equal(set.getPermissions().length, 2);
  });

  it('are read-only', () => {
    assert.throws(() => SimpleObjectPermissionSet.EMPTY.addPermission(), SecurityError);
    assert.throws(() => SimpleObjectPermissionSet.EMPTY.removePermissions(), SecurityError);
    const system = new SimpleSystemPermissionSet([SystemPermissionType.ADMINISTER]);
    assert.equal(system.hasPermission(SystemPermissionType.ADMINISTER), true);
    assert.equal(system.hasPermission(SystemPermissionType.AUDIT), false);
    assert.throws(() => system.addPermission(), SecurityError);
  });
});

describe('SimpleConnectionGroup', () => {
  it('refuses connections', async () => {
    const group = new SimpleConnectionGroup({ identifier: 'g', name: 'G' });
    await assert.rejects(group.connect(), SecurityError);
    assert.equal(group.getActiveConnections(), 0);
    assert.deepEqual(group.getAttributes(), {});
  });
});

describe('SimpleActivityRecordSet', () => {
  it('filters, sorts and limits in memory', () => {
    const record = (username: string, start: number): ConnectionRecord => ({
      startDate: new Date(start),
      endDate: undefined,
      remoteHost: undefined,
      username,
      active: true,
      identifier: username,
      uuid: undefined,
      connectionIdentifier: 'c',
      connectionName: 'Desk',
      sharingProfileIdentifier: undefined,
      sharingProfileName: undefined,
      getLogs: () => ({}),
      getAttributes: () => ({}),
    });
    const set = new SimpleActivityRecordSet([
      record('ann', 1),
      record('bob', 2),
      record('anna', 3),
    ]);
    const found = set.contains('AN').sort('START_DATE', true).limit(1).asCollection();
    assert.deepEqual(
      found.map((r) => r.username),
      ['anna'],
    );
    assert.equal(set.get('bob')?.username, 'bob');
  });
});

describe('SimpleConnection', () => {
  it('connects to guacd with tokens substituted when interpretTokens is set', async () => {
    const guacd = await FakeGuacd.start({ args: ['hostname', 'username', 'password'] });
    try {
      const configuration = new GuacamoleConfiguration({
        protocol: 'rdp',
        parameters: { hostname: 'desk', username: '${GUAC_USERNAME:LOWER}', password: '$${X}' },
      });
      const connection = new SimpleConnection({
        identifier: 'desk',
        configuration,
        interpretTokens: true,
        proxy: () => ({ hostname: guacd.host, port: guacd.port, encryptionMethod: 'NONE' }),
      });
      const tunnel = await connection.connect(defaultClientInformation(), {
        GUAC_USERNAME: 'Alice',
      });
      const conn = await guacd.connection(0);
      assert.equal(conn.handshake?.selected, 'rdp');
      assert.equal(conn.handshake.parameters.get('username'), 'alice');
      assert.equal(conn.handshake.parameters.get('password'), '${X}');
      assert.equal(configuration.getParameter('username'), '${GUAC_USERNAME:LOWER}');
      assert.equal(tunnel.isOpen(), true);
      tunnel.close();
    } finally {
      await guacd.close();
    }
  });

  it('leaves tokens alone by default and reads guacd from the environment', async () => {
    const guacd = await FakeGuacd.start({ args: ['username'] });
    try {
      const environment = environmentWith(
        `guacd-hostname: ${guacd.host}\nguacd-port: ${guacd.port}\n`,
      );
      const connection = new SimpleConnection({
        identifier: 'x',
        configuration: new GuacamoleConfiguration({
          protocol: 'ssh',
          parameters: { username: '${GUAC_USERNAME}' },
        }),
        proxy: () => readProxyConfiguration(environment.configuration),
      });
      const tunnel = await connection.connect(
        defaultClientInformation(),
        new Map([['GUAC_USERNAME', 'a']]),
      );
      const conn = await guacd.connection(0);
      assert.equal(conn.handshake?.parameters.get('username'), '${GUAC_USERNAME}');
      tunnel.close();
    } finally {
      await guacd.close();
    }
  });

  it('reports Java defaults for the simple connection properties', () => {
    const connection = new SimpleConnection({ identifier: 'x', configuration: VNC });
    assert.equal(connection.name, 'x');
    assert.equal(connection.getActiveConnections(), 0);
    assert.equal(connection.getLastActive(), undefined);
    assert.deepEqual(connection.getAttributes(), {});
    assert.deepEqual([...connection.getSharingProfileIdentifiers()], []);
    connection.setConfiguration(new GuacamoleConfiguration({ protocol: 'ssh' }));
    assert.equal(connection.getConfiguration().protocol, 'ssh');
  });
});

describe('readProxyConfiguration and readCaseSensitivity', () => {
  it('reads guacd and case sensitivity from guacamole.properties, with Java defaults', () => {
    const defaults = testEnvironment().configuration;
    assert.deepEqual(readProxyConfiguration(defaults), {
      hostname: 'localhost',
      port: 4822,
      encryptionMethod: 'NONE',
    });
    assert.deepEqual(readCaseSensitivity(defaults), { usernames: true, groupNames: true });
    const custom = environmentWith(
      'guacd-ssl: true\ncase-sensitivity: group-names\n',
    ).configuration;
    assert.equal(readProxyConfiguration(custom).encryptionMethod, 'SSL');
    assert.deepEqual(readCaseSensitivity(custom), { usernames: false, groupNames: true });
  });
});
