/**
 * @module The endpoints that need no token (spec §6.3): `api/languages` (from the frontend hook, else the
 * extensions' translation files) and `api/patches` (the extension UI router's).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { NO_UI_RESOURCES, type ExtensionUiResources } from '../../src/extensions/index.js';
import { startRest } from './support.js';

const encode = (text: string): Uint8Array => new TextEncoder().encode(text);

const RESOURCES: ExtensionUiResources = {
  ...NO_UI_RESOURCES,
  translations: [
    { extension: 'x.jar', path: 'translations/de.json', content: encode('{"NAME":"Deutsch"}') },
    { extension: 'x.jar', path: 'translations/fr.json', content: encode('{"APP":{}}') },
  ],
  patches: [
    { extension: 'x.jar', path: 'html/a.html', mimetype: 'text/html', content: encode('<p>a</p>') },
  ],
};

describe('unauthenticated endpoints', () => {
  it("names the languages of the extensions' translations (the key without a NAME)", async () => {
    const rest = await startRest({ extensionUi: RESOURCES });
    try {
      const reply = await rest.request('GET', '/api/languages');
      assert.deepEqual([reply.status, reply.json()], [200, { de: 'Deutsch', fr: 'fr' }]);
    } finally {
      await rest.close();
    }
  });

  it('takes the languages from the frontend hook when it has them', async () => {
    const rest = await startRest({
      extensionUi: RESOURCES,
      ui: {
        handler: (_req, _res, next) => {
          next();
        },
        languages: { en: 'English' },
      },
    });
    try {
      assert.deepEqual((await rest.request('GET', '/api/languages')).json(), { en: 'English' });
    } finally {
      await rest.close();
    }
  });

  it("serves the extensions' HTML patches in load order", async () => {
    const rest = await startRest({ extensionUi: RESOURCES });
    try {
      const reply = await rest.request('GET', '/api/patches');
      assert.deepEqual([reply.status, reply.json()], [200, ['<p>a</p>']]);
      assert.deepEqual((await rest.request('GET', '/api/languages', { token: 'x' })).status, 200);
    } finally {
      await rest.close();
    }
  });

  it('serves an empty patch list without extensions', async () => {
    const rest = await startRest();
    try {
      assert.deepEqual((await rest.request('GET', '/api/patches')).json(), []);
      assert.equal((await rest.request('POST', '/api/languages')).status, 405);
    } finally {
      await rest.close();
    }
  });
});
