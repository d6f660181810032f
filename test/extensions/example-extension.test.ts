/**
 * @module The example extension (extensions/example-auth-tutorial) end to end: built and installed into
 * a temporary GUACAMOLE_HOME by its own build script, loaded by loadExtensions, put through the
 * provider contract, logged in through the AuthenticationService ahead of user-mapping.xml, and fed
 * missing and malformed guacamole.properties.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { copyFile, mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, relative, sep } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import {
  AuthenticationService,
  FileAuthenticationProvider,
  SessionRegistry,
} from '../../src/auth/index.js';
import { loadConfiguration, type Configuration } from '../../src/config/index.js';
import {
  BuiltInPortRegistry,
  loadExtensions,
  type LoadedExtensions,
} from '../../src/extensions/index.js';
import {
  ConfigurationError,
  createEnvironment,
  Credentials,
  InvalidCredentialsError,
  SimpleAuthenticationProvider,
  type GuacamoleConfiguration,
} from '../../src/extensions/api.js';
import TutorialAuthenticationProvider from '../../extensions/example-auth-tutorial/src/provider.js';
import { authProviderContract } from '../contract/auth-provider.contract.js';
import { configuration, RecordingLogger, TestHome } from './helpers.js';

const EXTENSION = fileURLToPath(
  new URL('../../extensions/example-auth-tutorial/', import.meta.url),
);
const INSTALLED_AS = 'guacamole-auth-tutorial';
// The exact module this process uses for the API, so the extension shares its classes.
const API_URL = import.meta.resolve('../../src/extensions/api.js');

const USER = 'tutor';
const PASSWORD = 'correct horse, battery staple';
const VNC_PASSWORD = 'p%tato,42';
const CONNECTION = 'Tutorial desktop';
const PARAMETERS = {
  hostname: 'desktop.example.net',
  port: '5900',
  password: VNC_PASSWORD,
  username: '${GUAC_USERNAME}',
};
const PROPERTIES = [
  `tutorial-user: ${USER}`,
  `tutorial-password: ${PASSWORD}`,
  'tutorial-protocol: vnc',
  'tutorial-parameters: hostname=desktop.example.net, port=5900, password=p%25tato%2C42, \\',
  '    username=${GUAC_USERNAME}',
  `tutorial-connection: ${CONNECTION}`,
  '',
].join('\n');

// Build and install as the README tells an administrator to (with --api naming the API module this
// process uses), into a throw-away GUACAMOLE_HOME.
const root = await mkdtemp(join(tmpdir(), 'guac-example-extension-'));
const home = join(root, 'home');
const temp = join(root, 'tmp');
await mkdir(temp, { recursive: true });
await promisify(execFile)(process.execPath, [
  join(EXTENSION, 'build.mjs'),
  '--install',
  home,
  '--api',
  API_URL,
]);
await writeFile(join(home, 'guacamole.properties'), PROPERTIES);
await copyFile(
  new URL('../fixtures/user-mapping/user-mapping.xml', import.meta.url),
  join(home, 'user-mapping.xml'),
);
const goodConfiguration = loadConfiguration({ home, env: {}, properties: [] }).configuration;

const opened: LoadedExtensions[] = [];
after(async () => {
  for (const loaded of opened) await loaded.close();
  await rm(root, { recursive: true, force: true });
});

/**
 * Loads GUACAMOLE_HOME/extensions as the server does.
 * @param config the configuration the extensions get
 * @param logger records the loader's and the extension's log lines
 * @returns what loaded
 */
async function load(
  config: Configuration = goodConfiguration,
  logger = new RecordingLogger(),
): Promise<LoadedExtensions> {
  const loaded = await loadExtensions({
    configuration: config,
    guacamoleHome: home,
    logger,
    ports: new BuiltInPortRegistry(),
    temporaryDirectory: temp,
  });
  opened.push(loaded);
  return loaded;
}

/**
 * Loads the extension and returns its one provider, checking that it started.
 * @param logger records the log lines
 * @returns the provider
 */
async function loadProvider(logger?: RecordingLogger): Promise<SimpleAuthenticationProvider> {
  const loaded = await load(goodConfiguration, logger);
  assert.equal(loaded.providers.length, 1);
  const [entry] = loaded.providers;
  assert.ok(entry !== undefined && !entry.inert, 'the tutorial provider must start');
  assert.ok(
    entry.provider instanceof SimpleAuthenticationProvider,
    'the provider must extend the server’s own SimpleAuthenticationProvider',
  );
  return entry.provider;
}

const login = (username?: string, password?: string) => (): Credentials =>
  new Credentials({ username, password, request: { remoteAddress: '127.0.0.1' } });

/** Every message logged, by anyone. */
const allMessages = (logger: RecordingLogger): string[] => logger.lines.map((l) => l.message);

// (a) The shared conformance suite, against the provider the loader built from the installed folder.
authProviderContract({
  name: 'example extension guacamole-auth-tutorial (loaded from GUACAMOLE_HOME)',
  identifier: 'tutorial',
  create: async () => await loadProvider(),
  unknownUser: { credentials: login('nobody', PASSWORD), expect: 'null' },
  wrongPassword: { credentials: login(USER, 'wrong'), expect: 'null' },
  users: [
    {
      identifier: USER,
      credentials: login(USER, PASSWORD),
      connections: { [CONNECTION]: { protocol: 'vnc', parameters: PARAMETERS } },
    },
  ],
});

describe('example extension: installation and loading', () => {
  it('installs the manifest, translations and built modules, and loads as namespace "tutorial"', async () => {
    const logger = new RecordingLogger();
    const loaded = await load(goodConfiguration, logger);
    assert.deepEqual(
      loaded.extensions.map((e) => [e.file, e.kind, e.namespace, e.manifest.guacamoleVersion]),
      [[INSTALLED_AS, 'folder', 'tutorial', '1.6.0']],
    );
    assert.deepEqual(
      loaded.providers.map((p) => [p.provider.getIdentifier(), p.source, p.inert]),
      [['tutorial', 'dist/provider.js', false]],
    );
    assert.equal(loaded.ui.translations.length, 1);
    assert.ok(
      logger
        .messages('info')
        .includes('Extension "Tutorial Authentication (example)" (tutorial) loaded.'),
    );
  });

  it('loads the same files zipped into a .zip archive', async () => {
    const installed = join(home, 'extensions', INSTALLED_AS);
    const entries = await readdir(installed, { recursive: true, withFileTypes: true });
    const files = new Map<string, Uint8Array>();
    for (const entry of entries.filter((e) => e.isFile())) {
      const path = join(entry.parentPath, entry.name);
      files.set(relative(installed, path).split(sep).join('/'), await readFile(path));
    }
    const zipped = await TestHome.create();
    try {
      await zipped.writeArchive(`${INSTALLED_AS}.zip`, files);
      const loaded = await loadExtensions({
        configuration: goodConfiguration,
        guacamoleHome: zipped.home,
        ports: new BuiltInPortRegistry(),
        temporaryDirectory: zipped.temp,
      });
      opened.push(loaded);
      assert.equal(loaded.extensions[0]?.kind, 'archive');
      const provider = loaded.providers[0]?.provider;
      assert.ok(provider instanceof SimpleAuthenticationProvider);
      const user = await provider.authenticateUser(login(USER, PASSWORD)());
      assert.equal(user?.identifier, USER);
      await loaded.close();
    } finally {
      await zipped.cleanup();
    }
  });

  it('logs the user, protocol, connection and parameter names through its ext:tutorial logger', async () => {
    const logger = new RecordingLogger();
    await loadProvider(logger);
    const own = logger.lines.filter((l) => l.name === 'ext:tutorial').map((l) => l.message);
    assert.deepEqual(own, [
      `Tutorial user "${USER}" may use the vnc connection "${CONNECTION}" ` +
        '(parameters: hostname, port, password, username).',
    ]);
  });
});

// (b) A login through the auth core, with user-mapping.xml's provider after the extension.
describe('example extension: logging in through the AuthenticationService', () => {
  let logger: RecordingLogger;
  let service: AuthenticationService;

  before(async () => {
    logger = new RecordingLogger();
    const loaded = await load(goodConfiguration, logger);
    const environment = createEnvironment({
      guacamoleHome: home,
      configuration: goodConfiguration,
    });
    service = new AuthenticationService({
      providers: [
        ...loaded.providers.map((p) => p.provider),
        new FileAuthenticationProvider(environment),
      ],
      sessions: new SessionRegistry({ sweepIntervalMs: 0 }),
      skipIfUnavailable: loaded.skipIfUnavailable,
      logger,
    });
  });
  after(async () => {
    await service.shutdown();
  });

  it('orders the providers extension first, user-mapping.xml last', () => {
    assert.deepEqual(
      service.providers.map((p) => p.getIdentifier()),
      ['tutorial', 'default'],
    );
  });

  it('authenticates the tutorial user and gives a context with the configured connection', async () => {
    const result = await service.authenticate(login(USER, PASSWORD)());
    assert.equal(result.dataSource, 'tutorial');
    assert.deepEqual(result.availableDataSources, ['tutorial']);
    assert.equal(result.authenticatedUser.identifier, USER);
    assert.match(result.token, /^[0-9A-Fa-f]{64}$/);

    const context = result.session.getUserContext('tutorial');
    assert.equal((await context.self()).identifier, USER);
    const root = await context.getRootConnectionGroup();
    assert.deepEqual([...(await root.getConnectionIdentifiers())], [CONNECTION]);
    const connection = await (await context.getConnectionDirectory()).get(CONNECTION);
    assert.ok(connection);
    assert.equal(connection.name, CONNECTION);
    const config = await connection.getConfiguration();
    assert.equal(config.protocol, 'vnc');
    assert.deepEqual(config.getParameters(), PARAMETERS);
    assert.deepEqual(config.getParameterNames(), ['hostname', 'port', 'password', 'username']);
  });

  it('leaves other users to user-mapping.xml', async () => {
    const result = await service.authenticate(login('USERNAME', 'PASSWORD')());
    assert.equal(result.dataSource, 'default');
    assert.deepEqual(result.availableDataSources, ['default']);
  });

  it('answers a wrong password with "Permission Denied." and the login form', async () => {
    for (const credentials of [login(USER, 'wrong'), login(USER), login(undefined, PASSWORD)]) {
      await assert.rejects(
        async () => await service.authenticate(credentials()),
        (error: unknown) =>
          error instanceof InvalidCredentialsError &&
          error.message === 'Permission Denied.' &&
          error.credentialsInfo.expected.map((f) => f.name).join() === 'username,password',
      );
    }
  });

  it('never logs the password or the connection parameters', () => {
    for (const message of allMessages(logger)) {
      assert.ok(!message.includes(PASSWORD), message);
      assert.ok(!message.includes('p%tato') && !message.includes('p%25tato'), message);
    }
  });
});

// (c) Missing and malformed settings.
describe('example extension: bad guacamole.properties', () => {
  const GOOD = {
    'tutorial-user': USER,
    'tutorial-password': PASSWORD,
    'tutorial-protocol': 'vnc',
  };

  /**
   * Builds a configuration from the good settings with some changed or removed.
   * @param changes property → new value, or undefined to remove it
   * @returns the configuration
   */
  function settings(changes: Readonly<Record<string, string | undefined>>): Configuration {
    const merged: Record<string, string | undefined> = { ...GOOD, ...changes };
    return configuration(
      Object.entries(merged)
        .filter((entry): entry is [string, string] => entry[1] !== undefined)
        .map(([name, value]) => `${name}: ${value}`)
        .join('\n'),
    );
  }

  /**
   * Constructs the provider from source and returns the problems it reports.
   * @param config the configuration
   * @returns the ConfigurationError's problems
   */
  function problems(config: Configuration): readonly string[] {
    const environment = createEnvironment({ guacamoleHome: home, configuration: config });
    try {
      new TutorialAuthenticationProvider(environment);
    } catch (error) {
      assert.ok(error instanceof ConfigurationError, `unexpected ${String(error)}`);
      assert.equal(error.message, error.problems.join('\n'));
      return error.problems;
    }
    assert.fail('the provider must refuse the configuration');
  }

  it('names every missing required property at once', () => {
    assert.deepEqual(problems(configuration('')), [
      'Property "tutorial-user" is required: The username of the one user the tutorial provider authenticates.',
      'Property "tutorial-password" is required: The password of the tutorial user.',
      'Property "tutorial-protocol" is required: The protocol of the tutorial connection.',
    ]);
  });

  it('refuses empty values', () => {
    assert.deepEqual(
      problems(
        settings({ 'tutorial-user': '', 'tutorial-password': '', 'tutorial-connection': '' }),
      ),
      [
        'Property "tutorial-user" must not be empty.',
        'Property "tutorial-password" must not be empty.',
        'Property "tutorial-connection" must not be empty.',
      ],
    );
  });

  it('lists the legal protocols, with the file and line of a bad one', () => {
    assert.deepEqual(problems(settings({ 'tutorial-protocol': 'vnx' })), [
      'guacamole.properties:3: property "tutorial-protocol": "vnx" is not a valid value for ' +
        'property "tutorial-protocol". Valid values are: "kubernetes", "rdp", "ssh", "telnet", "vnc"',
    ]);
  });

  it('reports malformed parameters by item and name, never by value', () => {
    const secret = 'hunter2';
    const found = problems(
      settings({
        'tutorial-parameters': `hostname=pc, ${secret}, =x, bad name=1, port=1, port=2, password=${secret}%zz`,
      }),
    );
    assert.deepEqual(found, [
      'Property "tutorial-parameters": item 2 is not a name=value pair.',
      'Property "tutorial-parameters": item 3 has an invalid parameter name (use letters, digits, "-" and "_").',
      'Property "tutorial-parameters": item 4 has an invalid parameter name "bad name" (use letters, digits, "-" and "_").',
      'Property "tutorial-parameters": the parameter "port" is given more than once.',
      'Property "tutorial-parameters": the value of "password" is not valid percent-encoding (write "%" as "%25").',
    ]);
    for (const problem of found) assert.ok(!problem.includes(secret), problem);
  });

  it('accepts no parameters, blank items and percent-encoded values', () => {
    /**
     * @param parameters the value of tutorial-parameters, or undefined for none
     * @returns the parameters of the connection the tutorial user gets
     */
    const parametersOf = (parameters?: string): Record<string, string> | undefined => {
      const config = settings({ 'tutorial-parameters': parameters });
      const provider = new TutorialAuthenticationProvider(
        createEnvironment({ guacamoleHome: home, configuration: config }),
      );
      const configurations = provider.getAuthorizedConfigurations(login(USER, PASSWORD)());
      assert.ok(configurations instanceof Map);
      const byName: ReadonlyMap<string, GuacamoleConfiguration> = configurations;
      return byName.get('Tutorial')?.getParameters();
    };
    assert.deepEqual(parametersOf(), {});
    assert.deepEqual(parametersOf(' , '), {});
    assert.deepEqual(parametersOf(' a=1%2C2 ,, b = x=y%25 , c='), { a: '1,2', b: 'x=y%', c: '' });
  });

  it('leaves an inert provider and logs the problems when loaded by the server', async () => {
    const logger = new RecordingLogger();
    const loaded = await load(
      settings({ 'tutorial-user': undefined, 'tutorial-protocol': 'vnx' }),
      logger,
    );
    assert.equal(loaded.extensions.length, 1, 'the extension itself still loads');
    assert.equal(loaded.providers[0]?.inert, true);
    const [error, ...more] = logger.messages('error');
    assert.equal(more.length, 0);
    assert.equal(
      error,
      `Extension "${INSTALLED_AS}": authentication provider "dist/provider.js" failed to start: ` +
        'Property "tutorial-user" is required: The username of the one user the tutorial provider authenticates.\n' +
        'guacamole.properties:2: property "tutorial-protocol": "vnx" is not a valid value for ' +
        'property "tutorial-protocol". Valid values are: "kubernetes", "rdp", "ssh", "telnet", "vnc"',
    );
    for (const message of allMessages(logger)) assert.ok(!message.includes(PASSWORD), message);

    // The server keeps running: logins go to the remaining providers, and nobody is let in by it.
    const service = new AuthenticationService({
      providers: loaded.providers.map((p) => p.provider),
      sessions: new SessionRegistry({ sweepIntervalMs: 0 }),
      logger,
    });
    assert.equal(service.providers[0]?.isInert, true);
    await assert.rejects(
      async () => await service.authenticate(login(USER, PASSWORD)()),
      InvalidCredentialsError,
    );
    await service.shutdown();
  });
});
