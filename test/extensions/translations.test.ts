import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  buildTranslations,
  languageKeyOf,
  languageNames,
  mergeTranslations,
  type TranslationOverlay,
  type TranslationSet,
} from '../../src/extensions/index.js';
import { RecordingLogger } from './helpers.js';

const encode = (value: unknown): Uint8Array => new TextEncoder().encode(JSON.stringify(value));
const overlay = (path: string, value: unknown, extension = 'ext.jar'): TranslationOverlay => ({
  extension,
  path,
  content: encode(value),
});
const parsed = (set: TranslationSet, key: string): unknown => {
  const content = set.get(key);
  assert.ok(content, `language ${key} is served`);
  return JSON.parse(new TextDecoder().decode(content));
};

void describe('languageKeyOf', () => {
  void it('takes the key from …/<key>.json', () => {
    assert.equal(languageKeyOf('translations/en.json'), 'en');
    assert.equal(languageKeyOf('a/b/pt_BR.json'), 'pt_BR');
    assert.equal(languageKeyOf('/zh.json'), 'zh');
  });

  void it('rejects names Java rejects: no folder, wrong case, other suffixes', () => {
    for (const path of [
      'en.json',
      'translations/EN.json',
      'translations/pt_br.json',
      'x/en.JSON',
      'x/en-GB.json',
    ])
      assert.equal(languageKeyOf(path), undefined, path);
  });
});

void describe('mergeTranslations', () => {
  void it('merges objects recursively and lets the overlay replace everything else', () => {
    const original = { A: { B: 'b', C: 'c' }, D: 'd', E: { F: 'f' }, L: [1, 2] };
    const over = { A: { C: 'C!', G: 'g' }, D: { X: 'x' }, E: 'e', L: [3] };
    assert.deepEqual(mergeTranslations(original, over), {
      A: { B: 'b', C: 'C!', G: 'g' },
      D: { X: 'x' },
      E: 'e',
      L: [3],
    });
    assert.deepEqual(original, { A: { B: 'b', C: 'c' }, D: 'd', E: { F: 'f' }, L: [1, 2] });
  });

  void it('returns the overlay when there is nothing to merge into', () => {
    assert.deepEqual(mergeTranslations(undefined, { A: 1 }), { A: 1 });
    assert.equal(mergeTranslations({ A: 1 }, 'text'), 'text');
  });

  void it('keeps a __proto__ key as data', () => {
    const merged = mergeTranslations({}, JSON.parse('{"__proto__":{"polluted":true}}')) as object;
    assert.equal(Object.getPrototypeOf(merged), Object.prototype);
    assert.ok(Object.hasOwn(merged, '__proto__'));
  });
});

void describe('buildTranslations', () => {
  const base = { en: { NAME: 'English', LOGIN: { A: 'a', B: 'b' } }, fr: { NAME: 'Français' } };

  void it('serves base languages alone as JSON and merges overlays in order', () => {
    const set = buildTranslations({
      base,
      overlays: [
        overlay('translations/en.json', { LOGIN: { B: 'first', C: 'c' } }),
        overlay('translations/en.json', { LOGIN: { B: 'second' } }, 'later.jar'),
      ],
      logger: new RecordingLogger(),
    });
    assert.deepEqual(parsed(set, 'en'), {
      NAME: 'English',
      LOGIN: { A: 'a', B: 'second', C: 'c' },
    });
    assert.deepEqual(parsed(set, 'fr'), { NAME: 'Français' });
    assert.deepEqual([...set.keys()].sort(), ['en', 'fr']);
  });

  void it('serves a language only an extension has byte for byte', () => {
    const raw = new TextEncoder().encode('{ "NAME" : "Deutsch" }\n');
    const set = buildTranslations({
      overlays: [{ extension: 'x.jar', path: 'translations/de.json', content: raw }],
      logger: new RecordingLogger(),
    });
    assert.deepEqual(set.get('de'), raw);
  });

  void it('applies allowed-languages to the base and to overlays', () => {
    const set = buildTranslations({
      base,
      overlays: [overlay('t/de.json', { X: 1 }), overlay('t/en.json', { X: 2 })],
      allowedLanguages: new Set(['en', 'de']),
      logger: new RecordingLogger(),
    });
    assert.deepEqual([...set.keys()].sort(), ['de', 'en']);
    assert.equal(set.get('fr'), undefined);
  });

  void it('warns about bad file names and skips overlays that are not JSON', () => {
    const logger = new RecordingLogger();
    const set = buildTranslations({
      base,
      overlays: [
        overlay('en.json', { X: 1 }, 'flat.jar'),
        { extension: 'bad.jar', path: 't/en.json', content: new TextEncoder().encode('{oops') },
      ],
      logger,
    });
    assert.deepEqual(parsed(set, 'en'), base.en);
    assert.deepEqual(logger.messages('warn'), [
      'Invalid language file name: "en.json" (extension "flat.jar")',
    ]);
    assert.equal(logger.messages('error').length, 1);
    assert.match(logger.messages('error')[0] ?? '', /"t\/en\.json" of extension "bad\.jar"/);
  });

  void it('warns about base keys that are not language keys', () => {
    const logger = new RecordingLogger();
    const set = buildTranslations({ base: { 'en-GB': {} }, logger });
    assert.equal(set.size, 0);
    assert.deepEqual(logger.messages('warn'), ['Invalid language key: "en-GB"']);
  });
});

void describe('languageNames', () => {
  void it('reads NAME, falling back to the key', () => {
    const set = buildTranslations({
      base: { en: { NAME: 'English' }, de: {}, fr: { NAME: 3 } },
      logger: new RecordingLogger(),
    });
    assert.deepEqual(languageNames(set), { en: 'English', de: 'de', fr: 'fr' });
  });
});
