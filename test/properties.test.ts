/**
 * @module Every declared property (`ALL_PROPERTIES`) is documented twice, and both are checked here:
 * guacamole.properties.example lists it with its default, and README.md's property reference has a row
 * with its default and meaning. The README table is generated from the declarations; after adding a
 * property, refresh it with `UPDATE_README=1 node scripts/run-tests.mjs test/properties`.
 */
import assert from 'node:assert/strict';
import { readFileSync, writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'node:test';
import * as prettier from 'prettier';
import { parsePropertiesText, type Property } from '../src/config/index.js';
import { ALL_PROPERTIES } from '../src/properties.js';

const EXAMPLE = new URL('../guacamole.properties.example', import.meta.url);
const README = fileURLToPath(new URL('../README.md', import.meta.url));

/** The markers around the generated table in README.md. */
const START =
  '<!-- property-reference:start (generated from src/properties.ts; see test/properties.test.ts) -->';
const END = '<!-- property-reference:end -->';

/** The example with every `#name: value` line uncommented, parsed as a real properties file. */
function uncommented(): Map<string, string> {
  const text = readFileSync(EXAMPLE, 'latin1').replace(/^#([a-z][a-z0-9-]*\s*[:=])/gm, '$1');
  const parsed = parsePropertiesText(text, 'guacamole.properties.example');
  assert.deepEqual(parsed.problems, []);
  return new Map([...parsed.entries].map(([key, entry]) => [key, entry.value]));
}

/** @returns a table cell's text with Markdown's table syntax escaped */
function cell(text: string): string {
  return text.replaceAll('\\', '\\\\').replaceAll('|', '\\|');
}

/** @returns the README row of a property: name, default (or "unset") and meaning */
function row(property: Property<unknown>): string {
  const fallback = property.defaultText;
  const shown = fallback === undefined || fallback === '' ? '(unset)' : `\`${cell(fallback)}\``;
  return `| \`${property.name}\` | ${shown} | ${cell(property.description)} |`;
}

/** @returns the generated section, formatted as Prettier formats README.md */
async function generatedSection(): Promise<string> {
  const table = [
    '| property | default | meaning |',
    '| --- | --- | --- |',
    ...ALL_PROPERTIES.map(row),
  ].join('\n');
  const options = (await prettier.resolveConfig(README)) ?? {};
  const formatted = await prettier.format(table, { ...options, parser: 'markdown' });
  return `${START}\n\n${formatted}\n${END}`;
}

/** @returns README.md and the span of its generated section */
function readmeSection(): { text: string; start: number; end: number } {
  const text = readFileSync(README, 'utf8');
  const start = text.indexOf(START);
  const end = text.indexOf(END);
  assert.ok(start >= 0 && end > start, `README.md has no ${START} … ${END} section`);
  return { text, start, end: end + END.length };
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

describe("README.md's property reference", () => {
  it('is the table generated from ALL_PROPERTIES', async () => {
    const expected = await generatedSection();
    const { text, start, end } = readmeSection();
    if (process.env.UPDATE_README === '1' && text.slice(start, end) !== expected) {
      writeFileSync(README, text.slice(0, start) + expected + text.slice(end));
      return;
    }
    assert.equal(
      text.slice(start, end),
      expected,
      'README.md is out of date: UPDATE_README=1 node scripts/run-tests.mjs test/properties',
    );
  });

  it('has a row for every property, with its default and meaning, and no others', () => {
    const { text, start, end } = readmeSection();
    const rows = new Map(
      [...text.slice(start, end).matchAll(/^\| `([a-z0-9-]+)` +\|(.*)\|(.*)\|$/gm)].map((m) => [
        m[1] as string,
        [(m[2] as string).trim(), (m[3] as string).trim()],
      ]),
    );
    for (const property of ALL_PROPERTIES) {
      const found = rows.get(property.name);
      assert.ok(found, `README.md does not document ${property.name}`);
      const [shown, meaning] = found;
      const fallback = property.defaultText;
      assert.equal(shown, fallback ? `\`${cell(fallback)}\`` : '(unset)', property.name);
      assert.equal(meaning, cell(property.description), property.name);
    }
    const declared = new Set(ALL_PROPERTIES.map((p) => p.name));
    assert.deepEqual(
      [...rows.keys()].filter((name) => !declared.has(name)),
      [],
    );
  });
});
