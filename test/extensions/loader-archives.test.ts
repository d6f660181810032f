import assert from 'node:assert/strict';
import { access, readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  APACHE_JAVA_CLASSES,
  BuiltInPortRegistry,
  builtInPorts,
  loadExtensions,
  registerBuiltInPort,
  type ExtensionEnvironment,
  type LoadedExtensions,
} from '../../src/extensions/index.js';
import { ServerError } from '../../src/protocol/index.js';
import { configuration, fixtureFiles, RecordingLogger, TestHome } from './helpers.js';

const TOTP_CLASS = 'org.apache.guacamole.auth.totp.TOTPAuthenticationProvider';
const TOTP_JAR = 'guacamole-auth-totp-1.6.0.jar';

void describe('loadExtensions with archives', () => {
  let home: TestHome;
  let logger: RecordingLogger;
  let ports: BuiltInPortRegistry;
  let loaded: LoadedExtensions | undefined;

  beforeEach(async () => {
    home = await TestHome.create();
    logger = new RecordingLogger();
    ports = new BuiltInPortRegistry();
    loaded = undefined;
  });
  afterEach(async () => {
    await loaded?.close();
    await home.cleanup();
  });

  const load = async (text = ''): Promise<LoadedExtensions> => {
    loaded = await loadExtensions({
      configuration: configuration(text),
      guacamoleHome: home.home,
      logger,
      ports,
      temporaryDirectory: home.temp,
    });
    return loaded;
  };

  void it('reads every UI part of a .zip into memory, in manifest order', async () => {
    await home.installArchive('branding', 'branding.zip');
    const files = await fixtureFiles('branding');
    const result = await load();
    const { ui } = result;
    assert.equal(result.extensions[0]?.kind, 'archive');
    const same = (a: Uint8Array | undefined, b: Uint8Array | undefined): boolean =>
      a !== undefined && b !== undefined && Buffer.compare(a, b) === 0;
    assert.ok(same(ui.javaScript[0]?.content, files.get('js/branding.js')));
    assert.equal(ui.javaScript.length, 1);
    assert.deepEqual(
      ui.css.map((r) => [r.path, r.mimetype]),
      [['css/branding.css', 'text/css']],
    );
    assert.deepEqual(
      ui.patches.map((r) => [r.path, r.mimetype]),
      [['html/warning.html', 'text/html']],
    );
    assert.deepEqual(
      ui.translations.map((t) => t.path),
      ['translations/en.json', 'translations/de.json', 'translations/pt_BR.json', 'en.json'],
    );
    assert.deepEqual(
      [...ui.staticResources].map(([key, r]) => [key, r.mimetype]),
      [
        ['branding/resources/fonts/raleway.woff', 'application/font-woff'],
        ['branding/resources/page.html', 'text/html'],
      ],
    );
    assert.ok(same(ui.smallIcon?.content, files.get('images/logo-64.png')));
    assert.ok(same(ui.largeIcon?.content, files.get('images/logo-144.png')));
    assert.deepEqual(logger.messages('warn'), [
      'Extension "branding.zip": resources file "resources/missing.txt" named in guac-manifest.json ' +
        'does not exist; it is left out.',
    ]);
    assert.deepEqual(await readdir(home.temp), [], 'nothing is extracted without modules');
  });

  void it('loads the UI of a jar naming an Apache class with no port, with one warning', async () => {
    await home.installArchive('apache-totp', TOTP_JAR);
    const result = await load();
    assert.deepEqual(result.providers, []);
    assert.equal(result.extensions[0]?.namespace, 'totp');
    assert.deepEqual(logger.messages('warn'), [
      `Extension "${TOTP_JAR}" names the Java class ${TOTP_CLASS} (Apache guacamole-auth-totp), ` +
        'which this server cannot run and has no TypeScript port of, so it is not active; the ' +
        "extension's UI parts (JavaScript, CSS, HTML patches, translations, resources and icons) " +
        'still load.',
    ]);
    assert.deepEqual(
      result.ui.javaScript.map((r) => r.path),
      ['totp.min.js'],
    );
    assert.deepEqual(
      result.ui.css.map((r) => r.path),
      ['totp.min.css'],
    );
    assert.deepEqual(
      [...result.ui.staticResources.keys()],
      ['totp/templates/authenticationCodeField.html'],
    );
    assert.ok(
      logger
        .messages('info')
        .includes('Extension "TOTP TFA Authentication Backend" (totp) loaded.'),
    );
  });

  void it('names every unported class of one jar in a single warning', async () => {
    const files = new Map([
      [
        'guac-manifest.json',
        JSON.stringify({
          guacamoleVersion: '1.6.0',
          namespace: 'ssl',
          authProviders: ['org.apache.guacamole.auth.ssl.SSLAuthenticationProvider'],
          listeners: [
            'org.apache.guacamole.auth.ssl.SSLAuthenticationEventListener',
            'com.example.Own',
          ],
        }),
      ],
    ]);
    await home.writeArchive('guacamole-auth-sso-ssl-1.6.0.jar', files);
    await load();
    const warnings = logger.messages('warn');
    assert.equal(warnings.length, 1);
    assert.match(
      warnings[0] ?? '',
      /names the Java classes org\.apache\.guacamole\.auth\.ssl\.SSLAuthenticationProvider \(Apache guacamole-auth-sso-ssl\), org\.apache\.guacamole\.auth\.ssl\.SSLAuthenticationEventListener \(Apache guacamole-auth-sso-ssl\), com\.example\.Own, which .* so they are not active; /,
    );
  });

  void it('activates a registered port in place of the Java class, with the same properties', async () => {
    await home.installArchive('apache-totp', TOTP_JAR);
    const seen: ExtensionEnvironment[] = [];
    ports.register(TOTP_CLASS, (environment) => {
      seen.push(environment);
      environment.logger.info('TOTP port started');
      const issuer = environment.configuration.raw('totp-issuer')?.value;
      return { getIdentifier: () => `totp:${issuer ?? 'none'}` };
    });
    const result = await load('totp-issuer: Example Corp');
    assert.deepEqual(
      result.providers.map((p) => [p.provider.getIdentifier(), p.source, p.inert]),
      [['totp:Example Corp', TOTP_CLASS, false]],
    );
    assert.equal(seen[0]?.guacamoleHome, home.home);
    assert.deepEqual(
      logger.lines.filter((l) => l.name === 'ext:totp').map((l) => l.message),
      ['TOTP port started'],
    );
    assert.deepEqual(logger.messages('warn'), []);
  });

  void it('leaves an inert provider when a port fails to start', async () => {
    await home.installArchive('apache-totp', TOTP_JAR);
    ports.register(TOTP_CLASS, () => Promise.reject(new Error('no TOTP secret store')));
    const result = await load();
    assert.deepEqual(
      result.providers.map((p) => p.inert),
      [true],
    );
    assert.deepEqual(logger.messages('error'), [
      `Extension "${TOTP_JAR}": authentication provider "${TOTP_CLASS}" failed to start: no TOTP secret store`,
    ]);
  });

  void it('extracts an archive with modules so its node_modules resolve; close() removes it', async () => {
    await home.installArchive('module-archive', 'module-archive.zip');
    const result = await load();
    const provider = result.providers[0]?.provider as unknown as { location: string };
    assert.equal(result.providers[0]?.provider.getIdentifier(), 'archived-provider');
    const extracted = (await readdir(home.temp))[0] ?? assert.fail('nothing was extracted');
    assert.ok(extracted.startsWith('guac-extension-'));
    const directory = join(home.temp, extracted);
    assert.equal(provider.location, join(directory, 'lib', 'provider.js'));
    await access(join(directory, 'node_modules', 'archive-dep', 'index.js'));
    await result.close();
    await result.close();
    assert.deepEqual(await readdir(home.temp), []);
    assert.ok(!provider.location.startsWith(home.extensions + sep));
  });

  void it('refuses to extract an archive whose entries would leave the extraction directory', async () => {
    await home.writeArchive(
      'slip.zip',
      new Map([
        ['guac-manifest.json', JSON.stringify({ guacamoleVersion: '*', authProviders: ['p.js'] })],
        ['p.js', 'export default () => ({ getIdentifier: () => "x" });'],
        ['../../escaped.js', 'oops'],
      ]),
    );
    const result = await load();
    assert.deepEqual(result.extensions, []);
    assert.deepEqual(logger.messages('error'), [
      'Extension "slip.zip" could not be loaded: it cannot be extracted: entry "../../escaped.js" ' +
        'would be extracted outside the extension',
    ]);
    await assert.rejects(access(join(home.root, 'escaped.js')));
  });
});

void describe('built-in ports', () => {
  void it('maps every Apache class to a port id and a role', () => {
    assert.equal(APACHE_JAVA_CLASSES.size, 23);
    assert.deepEqual(
      APACHE_JAVA_CLASSES.get(
        'org.apache.guacamole.auth.postgresql.PostgreSQLAuthenticationProvider',
      ),
      {
        portId: 'jdbc-postgresql',
        role: 'authProvider',
        artifact: 'guacamole-auth-jdbc-postgresql',
      },
    );
    assert.equal(
      APACHE_JAVA_CLASSES.get('org.apache.guacamole.auth.ban.BanningAuthenticationListener')?.role,
      'listener',
    );
    for (const name of [
      'org.apache.guacamole.auth.ldap.LDAPAuthenticationProvider',
      'org.apache.guacamole.auth.json.JSONAuthenticationProvider',
      'org.apache.guacamole.auth.header.HTTPHeaderAuthenticationProvider',
      'org.apache.guacamole.auth.quickconnect.QuickConnectAuthenticationProvider',
      'org.apache.guacamole.auth.restrict.RestrictionAuthenticationProvider',
      'org.apache.guacamole.auth.openid.OpenIDAuthenticationProvider',
      'org.apache.guacamole.auth.saml.SAMLAuthenticationProvider',
      'org.apache.guacamole.auth.cas.CASAuthenticationProvider',
      'org.apache.guacamole.auth.ssl.SSLAuthenticationProvider',
    ])
      assert.ok(APACHE_JAVA_CLASSES.has(name), name);
  });

  void it('registers each class once, in the default registry too', () => {
    const registry = new BuiltInPortRegistry();
    const factory = () => ({ getIdentifier: () => 'x' });
    registry.register('a.B', factory);
    assert.equal(registry.get('a.B'), factory);
    assert.deepEqual(registry.classNames, ['a.B']);
    assert.throws(() => {
      registry.register('a.B', factory);
    }, ServerError);
    registerBuiltInPort('test.only.Registered', factory);
    assert.equal(builtInPorts.get('test.only.Registered'), factory);
  });
});
