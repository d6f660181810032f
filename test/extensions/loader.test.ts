import assert from 'node:assert/strict';
import { mkdir, symlink, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Configuration } from '../../src/config/index.js';
import {
  BuiltInPortRegistry,
  INERT_PROVIDER_WARNING,
  loadExtensions,
  type ExtensionEnvironment,
  type LoadedExtensions,
} from '../../src/extensions/index.js';
import { configuration, manifestOnly, RecordingLogger, TestHome } from './helpers.js';

/** What the folder-provider fixture's class provider keeps. */
interface FolderProvider {
  readonly environment: ExtensionEnvironment;
  readonly origin: string;
}

/** What the folder-provider fixture's listener keeps. */
interface FolderListener {
  readonly events: unknown[];
}

void describe('loadExtensions', () => {
  let home: TestHome;
  let logger: RecordingLogger;
  let loaded: LoadedExtensions | undefined;

  beforeEach(async () => {
    home = await TestHome.create();
    logger = new RecordingLogger();
    loaded = undefined;
  });
  afterEach(async () => {
    await loaded?.close();
    await home.cleanup();
  });

  const load = async (config: Configuration = configuration()): Promise<LoadedExtensions> => {
    loaded = await loadExtensions({
      configuration: config,
      guacamoleHome: home.home,
      logger,
      ports: new BuiltInPortRegistry(),
      temporaryDirectory: home.temp,
    });
    return loaded;
  };

  void it('loads nothing when GUACAMOLE_HOME has no extensions folder', async () => {
    const result = await loadExtensions({
      configuration: configuration(),
      guacamoleHome: join(home.root, 'nowhere'),
    });
    assert.deepEqual([result.extensions, result.providers, result.listeners], [[], [], []]);
    assert.deepEqual(result.ui.javaScript, []);
    await result.close();
  });

  void describe('a folder extension', () => {
    void it('imports its modules with dependencies from its own node_modules', async () => {
      await home.installFolder('folder-provider');
      const result = await load(configuration('folder-identifier: from-properties'));
      assert.deepEqual(
        result.providers.map((p) => [p.provider.getIdentifier(), p.source, p.inert]),
        [
          ['folder-provider', 'dist/provider.js', false],
          ['from-properties', 'dist/factory-provider.mjs', false],
        ],
      );
      const classProvider = result.providers[0]?.provider as unknown as FolderProvider;
      assert.equal(classProvider.origin, 'fixture-dep from the extension folder');
      assert.equal(result.extensions[0]?.kind, 'folder');
      assert.equal(result.extensions[0].namespace, 'folder');
      assert.equal(result.providers[0]?.extension.name, 'Folder Provider');
    });

    void it('gives classes and factories the environment: home, configuration, ext:<namespace> logger', async () => {
      await home.installFolder('folder-provider');
      const config = configuration();
      const result = await load(config);
      const { environment } = result.providers[0]?.provider as unknown as FolderProvider;
      assert.equal(environment.guacamoleHome, home.home);
      assert.equal(environment.configuration, config);
      assert.deepEqual(
        logger.lines.filter((l) => l.name === 'ext:folder'),
        [
          {
            level: 'info',
            name: 'ext:folder',
            message: 'factory provider "folder-factory" created',
          },
        ],
      );
    });

    void it('instantiates its listeners and reads its UI files', async () => {
      await home.installFolder('folder-provider');
      const result = await load();
      assert.equal(result.listeners.length, 1);
      const listener = result.listeners[0]?.listener;
      await listener?.handleEvent('an event');
      assert.deepEqual((listener as unknown as FolderListener).events, ['an event']);
      assert.deepEqual(
        result.ui.javaScript.map((r) => [r.extension, r.path, r.mimetype]),
        [['folder-provider', 'ui/folder.js', 'text/javascript']],
      );
      assert.deepEqual(
        result.ui.translations.map((t) => t.path),
        ['translations/en.json'],
      );
      assert.ok(logger.messages('info').includes('Extension "Folder Provider" (folder) loaded.'));
    });
  });

  void describe('broken extensions are skipped and the rest still load', () => {
    const broken: readonly (readonly [string, string, RegExp])[] = [
      ['invalid-json', '{"guacamoleVersion": "1.6.0",', /guac-manifest\.json is not valid JSON: /],
      ['unknown-key', '{"guacamoleVersion":"1.6.0","nmae":"typo"}', /unknown key "nmae"/],
      ['no-version', '{"name":"No Version","namespace":"nv"}', /has no "guacamoleVersion"/],
      [
        'too-new',
        '{"guacamoleVersion":"1.7.0","name":"Too New"}',
        /Extension "Too New" is not compatible with this version of Guacamole \(it requires 1\.7\.0; this server is 1\.6\.0\)/,
      ],
      ['other-major', '{"guacamoleVersion":"2.0.0"}', /is not compatible/],
      ['bad-version', '{"guacamoleVersion":"1.6"}', /Format of version string "1\.6" is not valid/],
      ['null', 'null', /must be a valid JSON object/],
    ];
    for (const [name, text, reason] of broken) {
      void it(`rejects a manifest that is ${name}`, async () => {
        await home.installFolder('folder-provider', 'b-good');
        await home.writeFolder(`a-${name}`, new Map([['guac-manifest.json', text]]));
        await home.writeArchive(`a-${name}.jar`, new Map([['guac-manifest.json', text]]));
        const result = await load();
        assert.deepEqual(
          result.extensions.map((e) => e.file),
          ['b-good'],
        );
        const errors = logger.messages('error');
        assert.equal(errors.length, 2);
        for (const file of [`a-${name}`, `a-${name}.jar`]) {
          const message = errors.find((m) =>
            m.startsWith(`Extension "${file}" could not be loaded: `),
          );
          assert.match(message ?? '', reason);
        }
      });
    }

    void it('rejects archives that are not zip files or lack a root manifest', async () => {
      await writeFile(join(home.extensions, 'garbage.jar'), 'this is not a zip file');
      await home.writeArchive('nested.zip', new Map([['inner/guac-manifest.json', '{}']]));
      const result = await load();
      assert.deepEqual(result.extensions, []);
      assert.deepEqual(logger.messages('error').sort(), [
        'Extension "garbage.jar" could not be loaded: it is not a valid zip file (invalid zip data)',
        'Extension "nested.zip" could not be loaded: guac-manifest.json is missing from its root',
      ]);
    });

    void it('rejects an extension whose module cannot be imported (throws-on-load)', async () => {
      await home.installFolder('throws-on-load');
      const result = await load();
      assert.deepEqual([result.extensions, result.providers, result.ui.javaScript], [[], [], []]);
      assert.deepEqual(logger.messages('error'), [
        'Extension "throws-on-load" could not be loaded: authProviders entry "dist/provider.js" ' +
          'could not be imported: boom while importing',
      ]);
    });

    void it('rejects module paths that leave the extension, are missing, or export no function', async () => {
      const manifest = (entry: string) => ({ guacamoleVersion: '*', listeners: [entry] });
      await home.writeFolder('escape', manifestOnly(manifest('../outside.js')));
      await home.writeFolder('missing', manifestOnly(manifest('dist/none.js')));
      await home.writeFolder(
        'no-default',
        new Map([
          ['guac-manifest.json', JSON.stringify(manifest('x.mjs'))],
          ['x.mjs', 'export const value = 1;\n'],
        ]),
      );
      await load();
      const errors = logger.messages('error').sort();
      assert.equal(errors.length, 3);
      assert.match(
        errors[0] ?? '',
        /"escape".*listeners entry "\.\.\/outside\.js" is not a relative path/,
      );
      assert.match(
        errors[1] ?? '',
        /"missing".*listeners entry "dist\/none\.js" could not be imported: /,
      );
      assert.match(
        errors[2] ?? '',
        /"no-default".*has no default export that is a class or a factory/,
      );
    });

    void it('keeps an inert provider for one whose constructor throws (constructor-throws)', async () => {
      await home.installFolder('constructor-throws');
      const result = await load();
      assert.deepEqual(
        result.providers.map((p) => [p.source, p.inert]),
        [
          ['dist/provider.js', true],
          ['dist/not-a-provider.js', true],
          ['dist/good.js', false],
        ],
      );
      assert.equal(result.providers[2]?.provider.getIdentifier(), 'ctor-good');
      assert.deepEqual(result.listeners, []);
      assert.deepEqual(logger.messages('error'), [
        'Extension "constructor-throws": authentication provider "dist/provider.js" failed to start: ' +
          'cannot reach the directory server',
        'Extension "constructor-throws": authentication provider "dist/not-a-provider.js" failed ' +
          'to start: it did not produce an object with getIdentifier()',
        'Extension "constructor-throws": listener "dist/bad-listener.js" failed to start: listener refused',
      ]);
      const inert = result.providers[0]?.provider;
      const id = inert?.getIdentifier();
      assert.match(
        id ?? '',
        /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/,
      );
      assert.equal(inert?.getIdentifier(), id);
      assert.deepEqual(logger.messages('warn'), [INERT_PROVIDER_WARNING, INERT_PROVIDER_WARNING]);
      assert.notEqual(result.providers[1]?.provider.getIdentifier(), id);
      assert.deepEqual(
        result.ui.css.map((c) => c.path),
        ['ctor.css'],
      );
    });
  });

  void describe('discovery', () => {
    void it('takes .jar and .zip files, symlinks included, and folders with a root manifest only', async () => {
      const jar = await home.writeArchive('real.jar', manifestOnly({ guacamoleVersion: '*' }));
      await symlink(jar, join(home.extensions, 'linked.jar'));
      await home.writeArchive('upper.JAR', manifestOnly({ guacamoleVersion: '*' }));
      await home.writeArchive('other.war', manifestOnly({ guacamoleVersion: '*' }));
      await home.writeFolder('no-manifest', new Map([['readme.txt', 'hi']]));
      await mkdir(join(home.extensions, 'folder.jar'));
      await writeFile(join(home.extensions, 'notes.txt'), 'not an extension');
      const result = await load();
      assert.deepEqual(
        result.extensions.map((e) => e.file),
        ['linked.jar', 'real.jar'],
      );
      assert.deepEqual(logger.messages('error'), []);
    });
  });
});
