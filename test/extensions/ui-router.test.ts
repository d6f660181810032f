import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  BuiltInPortRegistry,
  createExtensionUiRouter,
  loadExtensions,
  NO_UI_RESOURCES,
  type LoadedExtensions,
} from '../../src/extensions/index.js';
import {
  configuration,
  fixtureFiles,
  RecordingLogger,
  RouterServer,
  TestHome,
  type RawResponse,
} from './helpers.js';

const VERIFY = '/* verifyCachedVersion 20260101000000 */';
const STARTED = Date.parse('2026-01-01T12:00:00.250Z');
const BASE = {
  en: {
    NAME: 'English',
    LOGIN: { FIELD_HEADER_USERNAME: 'Username', FIELD_HEADER_PASSWORD: 'Password' },
  },
  de: { NAME: 'Deutsch', LOGIN: { FIELD_HEADER_USERNAME: 'Benutzername' } },
  fr: { NAME: 'Français' },
  ja: { NAME: '日本語' },
};

const text = (response: RawResponse): string => response.body.toString('utf8');
const json = (response: RawResponse): unknown => JSON.parse(text(response));

function assertNoCache(response: RawResponse): void {
  assert.equal(response.headers['cache-control'], 'no-cache');
  assert.equal(response.headers.pragma, 'no-cache');
  assert.equal(response.headers['last-modified'], new Date(STARTED).toUTCString());
}

void describe('createExtensionUiRouter', () => {
  let home: TestHome;
  let loaded: LoadedExtensions;
  let server: RouterServer;
  let files: Map<string, Map<string, Uint8Array>>;
  const logger = new RecordingLogger();

  before(async () => {
    home = await TestHome.create();
    await home.installArchive('branding', 'a-branding.zip');
    await home.installArchive('apache-totp', 'guacamole-auth-totp-1.6.0.jar');
    await home.installFolder('folder-provider', 'c-folder');
    files = new Map();
    for (const fixture of ['branding', 'apache-totp', 'folder-provider'])
      files.set(fixture, await fixtureFiles(fixture));
    loaded = await loadExtensions({
      configuration: configuration(
        'allowed-languages: en, de, pt_BR, fr\nextension-priority: totp, *',
      ),
      guacamoleHome: home.home,
      ports: new BuiltInPortRegistry(),
      temporaryDirectory: home.temp,
    });
    const router = createExtensionUiRouter({
      resources: loaded.ui,
      verifyCachedVersion: VERIFY,
      baseTranslations: BASE,
      logger,
      lastModified: STARTED,
    });
    server = await RouterServer.start(router);
  });
  after(async () => {
    await server.close();
    await loaded.close();
    await home.cleanup();
  });

  const file = (fixture: string, path: string): Buffer => {
    const content = files.get(fixture)?.get(path);
    assert.ok(content, `${fixture}/${path}`);
    return Buffer.from(content);
  };

  void it('serves /app.js: verifyCachedVersion.js then every extension script, no separators', async () => {
    const response = await server.request('/app.js');
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'text/javascript');
    assertNoCache(response);
    const expected = Buffer.concat([
      Buffer.from(VERIFY),
      file('apache-totp', 'totp.min.js'),
      file('branding', 'js/branding.js'),
      file('folder-provider', 'ui/folder.js'),
    ]);
    assert.deepEqual(response.body, expected);
    assert.equal(response.headers['content-length'], String(expected.length));
  });

  void it('serves /app.css as the extension styles concatenated', async () => {
    const response = await server.request('/app.css');
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'text/css');
    assertNoCache(response);
    assert.deepEqual(
      response.body,
      Buffer.concat([file('apache-totp', 'totp.min.css'), file('branding', 'css/branding.css')]),
    );
  });

  void it('serves /api/patches as a JSON array of the HTML patches', async () => {
    const response = await server.request('/api/patches');
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'application/json');
    assert.deepEqual(json(response), [file('branding', 'html/warning.html').toString('utf8')]);
    assert.match(text(response), /ünïcödé/);
  });

  void describe('/translations/<key>.json', () => {
    void it('deep-merges the base with every overlay in load order', async () => {
      const response = await server.request('/translations/en.json');
      assert.equal(response.status, 200);
      assert.equal(response.headers['content-type'], 'application/json');
      assertNoCache(response);
      assert.deepEqual(json(response), {
        NAME: 'English',
        LOGIN: {
          FIELD_HEADER_USERNAME: 'Badge number',
          FIELD_HEADER_PASSWORD: 'Password',
          NEW_KEY: 'From branding',
        },
        TOTP: { FIELD_HEADER_CODE: 'Authentication code' },
        BRANDING: { WELCOME: 'Welcome' },
        FOLDER: { TITLE: 'Folder' },
      });
      assert.equal(JSON.stringify(json(response)), text(response), 'compact, as Jackson writes');
    });

    void it('merges German overlays and serves base-only and extension-only languages', async () => {
      assert.deepEqual(json(await server.request('/translations/de.json')), {
        NAME: 'Deutsch',
        LOGIN: { FIELD_HEADER_USERNAME: 'Ausweisnummer' },
        TOTP: { FIELD_HEADER_CODE: 'Authentifizierungscode' },
      });
      assert.deepEqual(json(await server.request('/translations/fr.json')), { NAME: 'Français' });
      const ptBr = await server.request('/translations/pt_BR.json');
      assert.deepEqual(ptBr.body, file('branding', 'translations/pt_BR.json'));
    });

    void it('answers 404 for languages allowed-languages excludes and for unknown keys', async () => {
      for (const path of [
        '/translations/ja.json',
        '/translations/xx.json',
        '/translations/en.JSON',
        '/translations/en.json.bak',
      ])
        assert.equal((await server.request(path)).status, 404, path);
    });

    void it('warns about the overlay whose path has no folder', () => {
      assert.deepEqual(logger.messages('warn'), [
        'Invalid language file name: "en.json" (extension "a-branding.zip")',
      ]);
    });
  });

  void describe('/app/ext/<namespace>/<path>', () => {
    void it('serves resources with their declared MIME type', async () => {
      const font = await server.request('/app/ext/branding/resources/fonts/raleway.woff');
      assert.equal(font.status, 200);
      assert.equal(font.headers['content-type'], 'application/font-woff');
      assert.deepEqual(font.body, file('branding', 'resources/fonts/raleway.woff'));
      assertNoCache(font);
      const template = await server.request('/app/ext/totp/templates/authenticationCodeField.html');
      assert.equal(template.headers['content-type'], 'text/html');
      assert.deepEqual(
        template.body,
        file('apache-totp', 'templates/authenticationCodeField.html'),
      );
    });

    void it('answers 404 for missing resources and for other namespaces', async () => {
      for (const path of [
        '/app/ext/branding/resources/missing.txt',
        '/app/ext/totp/resources/page.html',
        '/app/ext/branding',
        '/app/ext/',
        '/app/ext/branding/RESOURCES/page.html',
      ])
        assert.equal((await server.request(path)).status, 404, path);
    });

    void it('rejects traversal attempts, raw or encoded, without falling through', async () => {
      for (const path of [
        '/app/ext/branding/../../etc/passwd',
        '/app/ext/../../../../etc/passwd',
        '/app/ext/branding/%2e%2e/%2e%2e/etc/passwd',
        '/app/ext/branding/%2E%2E%2F%2E%2E%2Fetc%2Fpasswd',
        '/app/ext/branding/..%2f..%2fetc%2fpasswd',
        '/app/ext/branding/..%5c..%5cetc%5cpasswd',
        '/app/ext/branding/resources/x/../page.html',
        '/app/ext/branding/resources/./page.html',
        '/app/ext/branding//resources/page.html',
        '/app/ext/branding/resources%2fpage.html',
        '/app/ext/branding/resources/page.html%00',
        '/app/ext/%zz/page.html',
      ]) {
        const response = await server.request(path);
        assert.equal(response.status, 404, path);
        assert.doesNotMatch(text(response), /root:|static page/, path);
      }
    });

    void it('decodes ordinary escapes in a resource path', async () => {
      const response = await server.request('/app/ext/branding/resources/page%2Ehtml');
      assert.equal(response.status, 200);
      assert.deepEqual(response.body, file('branding', 'resources/page.html'));
    });

    void it('leaves other methods to later handlers', async () => {
      const response = await server.request('/app/ext/branding/resources/page.html', {
        method: 'POST',
      });
      assert.equal(response.status, 418);
    });
  });

  void it('serves the extension icons as image/png', async () => {
    const small = await server.request('/images/logo-64.png');
    assert.equal(small.status, 200);
    assert.equal(small.headers['content-type'], 'image/png');
    assert.deepEqual(small.body, file('branding', 'images/logo-64.png'));
    const large = await server.request('/images/logo-144.png');
    assert.deepEqual(large.body, file('branding', 'images/logo-144.png'));
  });

  void it('answers If-Modified-Since within a second of startup with 304', async () => {
    const at = (ms: number) => ({ headers: { 'If-Modified-Since': new Date(ms).toUTCString() } });
    const fresh = await server.request('/app.js', at(STARTED));
    assert.equal(fresh.status, 304);
    assert.equal(fresh.body.length, 0);
    assertNoCache(fresh);
    assert.equal((await server.request('/app.js', at(STARTED - 2000))).status, 200);
    assert.equal(
      (await server.request('/app.js', { headers: { 'If-Modified-Since': 'junk' } })).status,
      200,
    );
  });

  void it('answers HEAD with headers only', async () => {
    const response = await server.request('/app.css', { method: 'HEAD' });
    assert.equal(response.status, 200);
    assert.equal(response.headers['content-type'], 'text/css');
    assert.equal(response.body.length, 0);
  });

  void it('matches paths exactly: case-sensitive, no trailing slash', async () => {
    assert.equal((await server.request('/APP.JS')).status, 418);
    assert.equal((await server.request('/app.js/')).status, 418);
  });
});

void describe('createExtensionUiRouter without extensions', () => {
  let server: RouterServer;
  before(async () => {
    server = await RouterServer.start(
      createExtensionUiRouter({ resources: NO_UI_RESOURCES, lastModified: STARTED }),
    );
  });
  after(async () => {
    await server.close();
  });

  void it('serves an empty /app.js, /app.css and /api/patches', async () => {
    const js = await server.request('/app.js');
    assert.deepEqual(
      [js.status, js.headers['content-type'], text(js)],
      [200, 'text/javascript', ''],
    );
    const css = await server.request('/app.css');
    assert.deepEqual([css.status, css.headers['content-type'], text(css)], [200, 'text/css', '']);
    assert.equal(text(await server.request('/api/patches')), '[]');
  });

  void it("leaves the icons to the web app's own files", async () => {
    assert.equal((await server.request('/images/logo-64.png')).status, 418);
    assert.equal((await server.request('/images/logo-144.png')).status, 418);
  });
});
