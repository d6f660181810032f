/**
 * @module createWebUi: the page at the base path (and the redirect to it), the versioned static files
 * with their types and caching, every module import resolving, and traversal attempts refused.
 */
import assert from 'node:assert/strict';
import { cp, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { gunzipSync } from 'node:zlib';
import { after, before, describe, it } from 'node:test';
import { createWebUi, WEB_UI_STATIC_PATH } from '../../src/web/index.js';
import { MountedRouter, text, type RawResponse } from './helpers.js';

const BASE = '/guacamole';
const PUBLIC = fileURLToPath(new URL('../../src/web/public/', import.meta.url));

/** `import … from '…'`, `export … from '…'` and `import '…'` specifiers of a module. */
const IMPORTS = /(?:^|[;\s])(?:import|export)\s*(?:[^'";]*?\sfrom\s*)?['"]([^'"]+)['"]/g;

/** @returns the `static/<version>` prefix the page links to */
function staticPrefix(page: RawResponse): string {
  const match = /"(static\/[0-9a-f]{16})\/ui\/app\.js"/.exec(text(page));
  assert.ok(match?.[1], 'index.html loads static/<version>/ui/app.js');
  return match[1];
}

void describe('createWebUi', () => {
  let server: MountedRouter;
  let page: RawResponse;
  let prefix: string;

  before(async () => {
    server = await MountedRouter.start(createWebUi(), BASE);
    page = await server.request(`${BASE}/`);
    prefix = `${BASE}/${staticPrefix(page)}`;
  });
  after(async () => {
    await server.close();
  });

  void describe('the page', () => {
    it('is served at the base path as HTML that is always revalidated', () => {
      assert.equal(page.status, 200);
      assert.equal(page.headers['content-type'], 'text/html; charset=utf-8');
      assert.equal(page.headers['cache-control'], 'no-cache');
      assert.equal(page.headers['x-content-type-options'], 'nosniff');
      assert.match(String(page.headers['content-security-policy']), /script-src 'self'/);
      assert.doesNotMatch(text(page), /\{\{STATIC\}\}/);
    });

    it('is also /index.html, and HEAD answers without a body', async () => {
      assert.equal(text(await server.request(`${BASE}/index.html`)), text(page));
      const head = await server.request(`${BASE}/`, { method: 'HEAD' });
      assert.equal(head.status, 200);
      assert.equal(head.body.length, 0);
      assert.equal(Number(head.headers['content-length']), page.body.length);
    });

    it('redirects the bare base path to <base>/, relative and with its query', async () => {
      const res = await server.request(`${BASE}?a=1&b=%20`);
      assert.equal(res.status, 302);
      assert.equal(res.headers.location, './guacamole/?a=1&b=%20');
    });

    it('uses relative URLs only, and no inline script or event-handler attributes', () => {
      const html = text(page);
      assert.doesNotMatch(html, /(?:src|href)="\//);
      assert.doesNotMatch(html, /\son[a-z]+=/i);
      assert.doesNotMatch(html, /<script(?![^>]*\ssrc=)[^>]*>/);
    });
  });

  void describe('static files', () => {
    it('serves the stylesheet and every module the page imports, transitively, with their types', async () => {
      const seen = new Set<string>();
      const queue = [new URL(`${prefix}/ui/app.js`, 'http://x').pathname];
      while (queue.length > 0) {
        const path = queue.shift() as string;
        if (seen.has(path)) continue;
        seen.add(path);
        const res = await server.request(path);
        assert.equal(res.status, 200, path);
        assert.equal(res.headers['content-type'], 'text/javascript; charset=utf-8', path);
        assert.equal(res.headers['cache-control'], 'public, max-age=31536000, immutable', path);
        const code = text(res)
          .replace(/\/\*[\s\S]*?\*\//g, '')
          .replace(/^\s*\/\/.*$/gm, '');
        for (const [, specifier = ''] of code.matchAll(IMPORTS)) {
          assert.ok(specifier.startsWith('.'), `${path} imports ${specifier} relatively`);
          queue.push(new URL(specifier, `http://x${path}`).pathname);
        }
      }
      for (const expected of ['ui/app.js', 'guacamole-fixes.js', 'vendor/guacamole-common.js'])
        assert.ok(seen.has(`${prefix}/${expected}`), expected);
      const css = await server.request(`${prefix}/ui/styles.css`);
      assert.equal(css.status, 200);
      assert.equal(css.headers['content-type'], 'text/css; charset=utf-8');
    });

    it('serves guacamole-common-js 1.5.0 as an ES module', async () => {
      const res = await server.request(`${prefix}/vendor/guacamole-common.js`);
      assert.match(text(res), /export default Guacamole;\s*$/);
    });

    it('revalidates with ETag and compresses for clients that accept gzip', async () => {
      const path = `${prefix}/vendor/guacamole-common.js`;
      const plain = await server.request(path);
      const etag = String(plain.headers.etag);
      assert.equal(
        (await server.request(path, { headers: { 'If-None-Match': etag } })).status,
        304,
      );
      const gz = await server.request(path, { headers: { 'Accept-Encoding': 'br, gzip' } });
      assert.equal(gz.headers['content-encoding'], 'gzip');
      assert.equal(gz.headers.vary, 'Accept-Encoding');
      assert.ok(gz.body.length < plain.body.length);
      assert.deepEqual(gunzipSync(gz.body), plain.body);
      const refused = await server.request(path, { headers: { 'Accept-Encoding': 'gzip;q=0' } });
      assert.equal(refused.headers['content-encoding'], undefined);
    });

    it('answers 404 for another version, unknown files and the page itself', async () => {
      for (const path of [
        `${BASE}/${WEB_UI_STATIC_PATH}/0000000000000000/ui/app.js`,
        `${prefix}/ui/missing.js`,
        `${prefix}/ui/index.html`,
        `${prefix}/`,
        prefix,
      ])
        assert.equal((await server.request(path)).status, 404, path);
    });

    it('refuses every way out of the folder', async () => {
      for (const path of [
        `${prefix}/../../../package.json`,
        `${prefix}/ui/../../../../package.json`,
        `${prefix}/%2e%2e/%2e%2e/package.json`,
        `${prefix}/ui%2f..%2f..%2fpackage.json`,
        `${prefix}/..%5c..%5cpackage.json`,
        `${prefix}/ui/app.js%00.css`,
        `${prefix}/ui//app.js`,
        `${prefix}/ui/%E0%A4%A.js`,
      ])
        assert.equal((await server.request(path)).status, 404, path);
    });

    it('lets other methods and paths fall through to the rest of the app', async () => {
      assert.equal((await server.request(`${prefix}/ui/app.js`, { method: 'POST' })).status, 418);
      assert.equal((await server.request(`${BASE}/api/tokens`, { method: 'POST' })).status, 418);
      assert.equal(
        (await server.request(`${BASE}/tunnel?connect`, { method: 'POST' })).status,
        418,
      );
    });
  });

  void describe('options', () => {
    let copy: string;
    before(async () => {
      copy = await mkdtemp(join(tmpdir(), 'web-ui-'));
      await cp(PUBLIC, copy, { recursive: true });
    });
    after(async () => {
      await rm(copy, { recursive: true, force: true });
    });

    it('changes the version whenever a file changes', async () => {
      const first = await MountedRouter.start(createWebUi({ publicDirectory: copy }));
      const before = staticPrefix(await first.request('/'));
      await first.close();
      await writeFile(join(copy, 'ui', 'styles.css'), '/* changed */');
      const second = await MountedRouter.start(createWebUi({ publicDirectory: copy }));
      const res = await second.request('/');
      await second.close();
      assert.notEqual(staticPrefix(res), before);
    });

    it('throws when the page is missing', async () => {
      await rm(join(copy, 'ui', 'index.html'));
      assert.throws(() => createWebUi({ publicDirectory: copy }), /index\.html is missing/);
    });
  });
});
