import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import type { Configuration } from '../../src/config/index.js';
import {
  BuiltInPortRegistry,
  loadExtensions,
  type LoadedExtensions,
} from '../../src/extensions/index.js';
import { configuration, RecordingLogger, TestHome } from './helpers.js';

void describe('loadExtensions settings', () => {
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

  void describe('extension-priority', () => {
    const install = async (file: string, namespace: string): Promise<void> => {
      await home.writeFolder(
        file,
        new Map([
          [
            'guac-manifest.json',
            JSON.stringify({
              guacamoleVersion: '*',
              name: namespace.toUpperCase(),
              namespace,
              authProviders: ['p.mjs'],
              js: ['a.js'],
            }),
          ],
          ['p.mjs', `export default () => ({ getIdentifier: () => '${namespace}' });\n`],
          ['a.js', `/*${namespace}*/`],
        ]),
      );
    };

    void it('orders providers, JavaScript and the log by namespace priority, * and file name', async () => {
      await install('a', 'alpha');
      await install('b', 'beta');
      await install('c', 'gamma');
      await install('d', 'delta');
      const result = await load(configuration('extension-priority: delta, *, alpha, delta'));
      const order = ['delta', 'beta', 'gamma', 'alpha'];
      assert.deepEqual(
        result.providers.map((p) => p.provider.getIdentifier()),
        order,
      );
      assert.deepEqual(
        result.ui.javaScript.map((r) => new TextDecoder().decode(r.content)),
        order.map((n) => `/*${n}*/`),
      );
      assert.deepEqual(logger.messages('warn'), [
        'The value "delta" was specified multiple times for property "extension-priority". ' +
          'Only the first occurrence of this value will have any effect.',
      ]);
      const info = logger.messages('info');
      const listing = info.filter((m) => m.startsWith(' - '));
      assert.deepEqual(
        listing.map((m) => m.slice(0, m.indexOf('('))),
        [' - [delta] "DELTA" ', ' - [beta] "BETA" ', ' - [gamma] "GAMMA" ', ' - [alpha] "ALPHA" '],
      );
      assert.ok(
        info.includes(
          'Multiple extensions are installed and will be loaded in order of decreasing priority:',
        ),
      );
    });

    void it('sorts by file name by default', async () => {
      await install('b', 'first-namespace');
      await install('a', 'second-namespace');
      const result = await load();
      assert.deepEqual(
        result.extensions.map((e) => e.file),
        ['a', 'b'],
      );
    });
  });

  void it('reads skip-if-unavailable and allowed-languages for the auth core and the UI', async () => {
    const result = await load(
      configuration('skip-if-unavailable: ldap, mysql\nallowed-languages: en, de'),
    );
    assert.deepEqual([...result.skipIfUnavailable], ['ldap', 'mysql']);
    assert.deepEqual([...(result.ui.allowedLanguages ?? [])], ['en', 'de']);
    const none = await loadExtensions({ configuration: configuration(), guacamoleHome: home.home });
    assert.deepEqual([...none.skipIfUnavailable], []);
    assert.equal(none.ui.allowedLanguages, undefined);
  });
});
