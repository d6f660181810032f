/** @module guacamole.properties.example documents every declared property with its default. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parsePropertiesText } from '../src/config/index.js';
import { ALL_PROPERTIES } from '../src/properties.js';

const EXAMPLE = new URL('../guacamole.properties.example', import.meta.url);

/** The example with every `#name: value` line uncommented, parsed as a real properties file. */
function uncommented(): Map<string, string> {
  const text = readFileSync(EXAMPLE, 'latin1').replace(/^#([a-z][a-z0-9-]*\s*[:=])/gm, '$1');
  const parsed = parsePropertiesText(text, 'guacamole.properties.example');
  assert.deepEqual(parsed.problems, []);
  return new Map([...parsed.entries].map(([key, entry]) => [key, entry.value]));
}

describe('guacamole.properties.example', () => {
  const entries = uncommented();

  for (const property of ALL_PROPERTIES) {
    it(`documents ${property.name} with its default`, () => {
      assert.ok(entries.has(property.name), `${property.name} is missing from the example`);
      assert.equal(entries.get(property.name)?.trim(), property.defaultText ?? '');
      const text = readFileSync(EXAMPLE, 'latin1');
      assert.ok(text.includes(`# ${property.description}`), `${property.name} has no description`);
    });
  }

  it('lists no property the server does not declare', () => {
    const declared = new Set(ALL_PROPERTIES.map((p) => p.name));
    assert.deepEqual(
      [...entries.keys()].filter((name) => !declared.has(name)),
      [],
    );
  });

  it('gives defaults that parse as their own property', () => {
    for (const property of ALL_PROPERTIES) {
      const value = entries.get(property.name)?.trim() ?? '';
      if (value !== '') assert.doesNotThrow(() => property.parse(value), property.name);
    }
  });
});
