/**
 * @module createOfficialFrontend, against a small war-shaped zip built here (the real guacamole.war
 * cannot be downloaded) and the same files unpacked: the substitutions Maven applies, index.html's
 * caching, app.js/app.css/translations through the extension UI router, static types and caching,
 * and the servlet container's private folders and traversal attempts refused.
 */
import assert from 'node:assert/strict';
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { NO_UI_RESOURCES, type ExtensionUiResources } from '../../src/extensions/index.js';
import { FrontendSourceError, createOfficialFrontend, formatBuildId } from '../../src/web/index.js';
import { MountedRouter, text, zip, type RawResponse } from './helpers.js';

const BUILD = '${guacamole.build.identifier}';
const BUNDLE = 'guacamole.0123456789abcdef0123.js';
const PNG = Uint8Array.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a, 1, 2, 3]);
const encode = (value: string): Uint8Array => new TextEncoder().encode(value);

/** A war as Maven leaves it before filtering, plus the private folders a real one has. */
const WAR: Readonly<Record<string, string | Uint8Array>> = {
  'index.html':
    `<!DOCTYPE html><html><head><meta name="build" content="${BUILD}">` +
    `<link rel="stylesheet" href="app.css?b=${BUILD}"></head><body>` +
    `<script src="guacamole-common-js/all.min.js"></script><script src="${BUNDLE}"></script>` +
    `<script src="app.js?b=${BUILD}"></script></body></html>`,
  'verifyCachedVersion.js': `(function verify() { var build = '${BUILD}'; })();\n`,
  'translations/en.json': JSON.stringify({
    NAME: 'English',
    APP: { NAME: 'Apache Guacamole', VERSION: '${project.version}' },
    LOGIN: { FIELD_HEADER_USERNAME: 'Username', FIELD_HEADER_PASSWORD: 'Password' },
  }),
  'translations/de.json': JSON.stringify({ NAME: 'Deutsch', APP: { NAME: 'Guacamole' } }),
  'guacamole-common-js/all.min.js': 'var Guacamole=Guacamole||{};',
  [BUNDLE]: 'angular.module("index",[]);',
  'templates.js': 'angular.module("templates-main",[]);',
  'fonts/carlito.woff': Uint8Array.from([0x77, 0x4f, 0x46, 0x46]),
  'images/logo-144.png': PNG,
  'images/logo-64.png': PNG,
  'layouts/en-us-qwerty.json': '{"language":"en_US"}',
  'WEB-INF/web.xml': '<web-app/>',
  'WEB-INF/lib/guacamole-ext.jar': 'jar',
  'META-INF/MANIFEST.MF': 'Manifest-Version: 1.0',
};

const owned = (path: string, mimetype: string, content: string) => ({
  path,
  mimetype,
  content: encode(content),
  extension: 'branding.jar',
});

/** One extension's UI files. */
const RESOURCES: ExtensionUiResources = {
  ...NO_UI_RESOURCES,
  javaScript: [owned('branding.js', 'text/javascript', '/* branding */')],
  css: [owned('branding.css', 'text/css', '.login { color: red }')],
  patches: [owned('warning.html', 'text/html', '<meta name="after" content=".login">')],
  translations: [
    owned('translations/en.json', 'application/json', '{"LOGIN":{"FIELD_HEADER_USERNAME":"Who"}}'),
    owned('translations/fr.json', 'application/json', '{"NAME":"Français"}'),
  ],
  staticResources: new Map([
    ['brand/page.html', owned('resources/page.html', 'text/html', '<p>branded</p>')],
  ]),
  smallIcon: owned('images/logo-64.png', 'image/png', 'extension icon'),
};

const json = (response: RawResponse): unknown => JSON.parse(text(response));

void describe('createOfficialFrontend', () => {
  let home: string;
  let war: string;
  let server: MountedRouter;
  let languages: Readonly<Record<string, string>>;

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'official-frontend-'));
    war = join(home, 'guacamole.war');
    await writeFile(war, zip(WAR));
    const frontend = await createOfficialFrontend({
      source: war,
      resources: RESOURCES,
      buildId: '20260102030405',
      version: '1.6.0-test',
    });
    languages = frontend.languages;
    server = await MountedRouter.start(frontend.router, '/guacamole');
  });
  after(async () => {
    await server.close();
    await rm(home, { recursive: true, force: true });
  });

  const get = async (path: string, headers: Record<string, string> = {}) =>
    await server.request(`/guacamole/${path}`, { headers });

  it('serves index.html with the build id, never cached without revalidation', async () => {
    const res = await get('');
    assert.equal(res.status, 200);
    assert.equal(res.headers['content-type'], 'text/html; charset=utf-8');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.equal(res.headers.pragma, 'no-cache');
    assert.equal(text(res), String(WAR['index.html']).replaceAll(BUILD, '20260102030405'));
    assert.equal(text(await get('index.html')), text(res));
    const bare = await server.request('/guacamole');
    assert.equal(bare.status, 302);
    assert.equal(bare.headers.location, './guacamole/');
  });

  it('generates app.js from verifyCachedVersion.js (substituted) and the extensions', async () => {
    const res = await get('app.js?b=20260102030405');
    assert.equal(res.headers['content-type'], 'text/javascript');
    assert.equal(res.headers['cache-control'], 'no-cache');
    assert.equal(
      text(res),
      "(function verify() { var build = '20260102030405'; })();\n/* branding */",
    );
    const css = await get('app.css');
    assert.equal(css.headers['content-type'], 'text/css');
    assert.equal(text(css), '.login { color: red }');
    assert.deepEqual(json(await get('api/patches')), ['<meta name="after" content=".login">']);
  });

  it('merges the war translations (version substituted) with the extensions', async () => {
    const en = await get('translations/en.json?b=20260102030405');
    assert.equal(en.headers['content-type'], 'application/json');
    assert.deepEqual(json(en), {
      NAME: 'English',
      APP: { NAME: 'Apache Guacamole', VERSION: '1.6.0-test' },
      LOGIN: { FIELD_HEADER_USERNAME: 'Who', FIELD_HEADER_PASSWORD: 'Password' },
    });
    assert.deepEqual(
      json(await get('translations/de.json')),
      JSON.parse(String(WAR['translations/de.json'])),
    );
    assert.deepEqual(json(await get('translations/fr.json')), { NAME: 'Français' });
    assert.equal((await get('translations/xx.json')).status, 404);
    assert.deepEqual(languages, { en: 'English', de: 'Deutsch', fr: 'Français' });
  });

  it('serves the other files with their types; hashed bundles are immutable', async () => {
    const cases: [string, string, string][] = [
      ['guacamole-common-js/all.min.js', 'text/javascript; charset=utf-8', 'no-cache'],
      [BUNDLE, 'text/javascript; charset=utf-8', 'public, max-age=31536000, immutable'],
      ['templates.js', 'text/javascript; charset=utf-8', 'no-cache'],
      ['fonts/carlito.woff', 'font/woff', 'no-cache'],
      ['images/logo-144.png', 'image/png', 'no-cache'],
      ['layouts/en-us-qwerty.json', 'application/json', 'no-cache'],
      ['verifyCachedVersion.js', 'text/javascript; charset=utf-8', 'no-cache'],
    ];
    for (const [path, type, cache] of cases) {
      const res = await get(path);
      assert.equal(res.status, 200, path);
      assert.equal(res.headers['content-type'], type, path);
      assert.equal(res.headers['cache-control'], cache, path);
      assert.equal(res.headers['x-content-type-options'], 'nosniff', path);
    }
    assert.equal(
      text(await get('guacamole-common-js/all.min.js')),
      WAR['guacamole-common-js/all.min.js'],
    );
    assert.doesNotMatch(text(await get('verifyCachedVersion.js')), /\$\{/);
    const etag = String((await get(BUNDLE)).headers.etag);
    assert.equal((await get(BUNDLE, { 'If-None-Match': etag })).status, 304);
  });

  it('lets an extension icon and resources override or extend the war', async () => {
    assert.equal(text(await get('images/logo-64.png')), 'extension icon');
    assert.deepEqual((await get('images/logo-144.png')).body, Buffer.from(PNG));
    assert.equal(text(await get('app/ext/brand/page.html')), '<p>branded</p>');
  });

  it('never serves WEB-INF or META-INF, nor lets a path leave the war', async () => {
    for (const path of [
      'WEB-INF/web.xml',
      'web-inf/web.xml',
      'WEB-INF/lib/guacamole-ext.jar',
      'META-INF/MANIFEST.MF',
      'fonts/../WEB-INF/web.xml',
      'fonts/%2e%2e/WEB-INF/web.xml',
      'WEB-INF%2fweb.xml',
      'images/..%5cWEB-INF%5cweb.xml',
      'fonts/',
      'fonts',
    ]) {
      const res = await server.request(`/guacamole/${path}`);
      assert.equal(res.status, 418, `${path} falls through to the app's 404`);
    }
    assert.equal((await server.request('/guacamole/templates.js', { method: 'POST' })).status, 418);
  });

  it('serves an unpacked directory exactly as the war', async () => {
    const dir = join(home, 'unpacked');
    for (const [name, content] of Object.entries(WAR)) {
      await mkdir(dirname(join(dir, name)), { recursive: true });
      await writeFile(join(dir, name), content);
    }
    const frontend = await createOfficialFrontend({
      source: dir,
      resources: RESOURCES,
      buildId: '20260102030405',
      version: '1.6.0-test',
    });
    const unpacked = await MountedRouter.start(frontend.router, '/guacamole');
    try {
      for (const path of [
        '',
        'app.js',
        'translations/en.json',
        BUNDLE,
        'fonts/carlito.woff',
        'WEB-INF/web.xml',
      ]) {
        const [a, b] = [await get(path), await unpacked.request(`/guacamole/${path}`)];
        assert.equal(b.status, a.status, path);
        assert.deepEqual(b.body, a.body, path);
        assert.equal(b.headers['content-type'], a.headers['content-type'], path);
      }
    } finally {
      await unpacked.close();
    }
  });

  it('serves an already filtered war unchanged, with a timestamp build id by default', async () => {
    const filtered = join(home, 'filtered.war');
    const index = '<html><meta name="build" content="20250101000000"></html>';
    await writeFile(
      filtered,
      zip({ 'index.html': index, 'translations/en.json': '{"NAME":"English"}' }),
    );
    const frontend = await createOfficialFrontend({ source: filtered });
    assert.match(frontend.buildId, /^\d{14}$/);
    assert.deepEqual(frontend.languages, { en: 'English' });
    const mounted = await MountedRouter.start(frontend.router);
    try {
      assert.equal(text(await mounted.request('/')), index);
      assert.equal(text(await mounted.request('/app.js')), '');
    } finally {
      await mounted.close();
    }
  });

  it('formats build ids as Maven does', () => {
    assert.equal(formatBuildId(new Date('2026-03-04T05:06:07.890Z')), '20260304050607');
  });

  it('rejects a missing source, a corrupt zip and a zip without index.html', async () => {
    const corrupt = join(home, 'corrupt.war');
    await writeFile(corrupt, 'PK\u0003\u0004 not really a zip');
    const empty = join(home, 'empty.war');
    await writeFile(empty, zip({ 'WEB-INF/index.html': 'private' }));
    for (const source of [join(home, 'missing.war'), corrupt, empty]) {
      await assert.rejects(createOfficialFrontend({ source }), FrontendSourceError, source);
    }
  });
});
