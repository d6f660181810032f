import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isSafeResourcePath } from '../../src/extensions/resource-path.js';
import { resourceKeyOf } from '../../src/extensions/ui-router.js';

void describe('isSafeResourcePath', () => {
  void it('accepts plain relative paths', () => {
    for (const path of [
      'a.js',
      'translations/en.json',
      'a b/c..d/.hidden',
      'node_modules/x/index.js',
    ])
      assert.equal(isSafeResourcePath(path), true, path);
  });

  void it('refuses anything that could leave the extension', () => {
    for (const path of [
      '',
      '/etc/passwd',
      '../x',
      'a/../../x',
      'a/./b',
      'a//b',
      'a\\b',
      'C:/x',
      'a\0b',
      'a/',
    ])
      assert.equal(isSafeResourcePath(path), false, JSON.stringify(path));
  });

  void it('allows a trailing slash only for archive directory entries', () => {
    assert.equal(isSafeResourcePath('dist/', true), true);
    assert.equal(isSafeResourcePath('../', true), false);
  });
});

void describe('resourceKeyOf', () => {
  void it('decodes a plain path and refuses anything that could traverse', () => {
    assert.equal(resourceKeyOf('/ns/a%20b/c.html'), 'ns/a b/c.html');
    for (const raw of [
      '/',
      '/ns',
      '/ns/',
      '/ns/../x',
      '/ns/%2E/x',
      '/ns/a%2Fb',
      '/ns/a%5Cb',
      '/ns/a%00',
      '/ns/%E0%A4%A',
    ])
      assert.equal(resourceKeyOf(raw), undefined, raw);
  });
});
