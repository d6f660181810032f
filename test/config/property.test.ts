import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  booleanProperty,
  enumProperty,
  integerProperty,
  longProperty,
  orderedListProperty,
  PropertyValueError,
  stringListProperty,
  stringProperty,
  stringSetProperty,
} from '../../src/config/property.js';
import { ServerError } from '../../src/protocol/errors.js';

/** Asserts that parsing `raw` fails with exactly `message`. */
function rejects(parse: (raw: string) => unknown, raw: string, message: string): void {
  assert.throws(
    () => parse(raw),
    (error: unknown) => {
      assert.ok(error instanceof PropertyValueError, `expected a PropertyValueError for ${raw}`);
      assert.equal(error.message, message);
      return true;
    },
  );
}

void describe('PropertyValueError', () => {
  void it('is a ServerError carrying only its message', () => {
    const error = new PropertyValueError('bad');
    assert.ok(error instanceof ServerError);
    assert.equal(error.message, 'bad');
    assert.equal(error.name, 'PropertyValueError');
  });
});

void describe('stringProperty', () => {
  void it('returns the raw value unchanged', () => {
    const p = stringProperty('guacd-hostname', { description: 'Host.' });
    assert.equal(p.parse('  spaced  '), '  spaced  ');
    assert.equal(p.parse(''), '');
  });

  void it('carries its name, description, default and default text', () => {
    const p = stringProperty('guacd-hostname', { description: 'Host.', default: 'localhost' });
    assert.equal(p.name, 'guacd-hostname');
    assert.equal(p.description, 'Host.');
    assert.equal(p.defaultValue, 'localhost');
    assert.equal(p.defaultText, 'localhost');
    assert.equal(p.secret, false);
  });

  void it('has no default unless given one, and may be marked secret', () => {
    const p = stringProperty('ldap-search-bind-password', { description: 'Pw.', secret: true });
    assert.equal(p.defaultValue, undefined);
    assert.equal(p.defaultText, undefined);
    assert.equal(p.secret, true);
  });

  void it('is frozen', () => {
    assert.ok(Object.isFrozen(stringProperty('x', { description: 'X.' })));
  });
});

void describe('integerProperty', () => {
  const port = integerProperty('guacd-port', { description: 'Port.', default: 4822 });
  const parse = (raw: string): number => port.parse(raw);

  void it('parses an optional sign followed by decimal digits, like Integer.valueOf', () => {
    assert.equal(parse('4822'), 4822);
    assert.equal(parse('-7'), -7);
    assert.equal(parse('+7'), 7);
    assert.equal(parse('007'), 7);
    assert.ok(Object.is(parse('-0'), 0));
  });

  void it('accepts the 32-bit range and nothing beyond it', () => {
    assert.equal(parse('2147483647'), 2147483647);
    assert.equal(parse('-2147483648'), -2147483648);
    rejects(parse, '2147483648', 'Property "guacd-port" must be an integer.');
    rejects(parse, '-2147483649', 'Property "guacd-port" must be an integer.');
  });

  void it("rejects anything else with Java's message", () => {
    for (const raw of ['', ' 1', '1 ', '1.0', '0x10', '1e3', '+', '-', '1_000', 'eighty']) {
      rejects(parse, raw, 'Property "guacd-port" must be an integer.');
    }
  });

  void it('enforces an inclusive range when given one', () => {
    const p = integerProperty('http-port', { description: 'P.', min: 1, max: 65535 });
    assert.equal(p.parse('1'), 1);
    assert.equal(p.parse('65535'), 65535);
    rejects((raw) => p.parse(raw), '0', 'Property "http-port" must be between 1 and 65535.');
    rejects((raw) => p.parse(raw), '65536', 'Property "http-port" must be between 1 and 65535.');
  });

  void it('words a one-sided range accordingly', () => {
    const atLeast = integerProperty('a', { description: 'A.', min: 1 });
    const atMost = integerProperty('b', { description: 'B.', max: 9 });
    rejects((raw) => atLeast.parse(raw), '0', 'Property "a" must be at least 1.');
    rejects((raw) => atMost.parse(raw), '10', 'Property "b" must be at most 9.');
  });

  void it('gives its default as text', () => {
    assert.equal(port.defaultValue, 4822);
    assert.equal(port.defaultText, '4822');
  });
});

void describe('longProperty', () => {
  const size = longProperty('api-max-request-size', { description: 'S.', min: 0 });

  void it('accepts values beyond the 32-bit range', () => {
    assert.equal(size.parse('3000000000'), 3000000000);
    assert.equal(size.parse('9007199254740991'), Number.MAX_SAFE_INTEGER);
  });

  void it('rejects values JavaScript cannot hold exactly, and non-numbers', () => {
    rejects(
      (raw) => size.parse(raw),
      '9007199254740992',
      'Property "api-max-request-size" must be an integer.',
    );
    rejects(
      (raw) => size.parse(raw),
      '2 MiB',
      'Property "api-max-request-size" must be an integer.',
    );
    rejects((raw) => size.parse(raw), '-1', 'Property "api-max-request-size" must be at least 0.');
  });
});

void describe('booleanProperty', () => {
  const ssl = booleanProperty('guacd-ssl', { description: 'TLS.', default: false });
  const parse = (raw: string): boolean => ssl.parse(raw);

  void it('accepts "true" and "false" in any case', () => {
    assert.equal(parse('true'), true);
    assert.equal(parse('TRUE'), true);
    assert.equal(parse('tRuE'), true);
    assert.equal(parse('false'), false);
    assert.equal(parse('False'), false);
  });

  void it('matches case like Java equalsIgnoreCase, where long s (ſ) equals s', () => {
    assert.equal(parse('fal\u017Fe'), false);
  });

  void it("rejects anything else with Java's message", () => {
    for (const raw of ['', 'yes', '1', 'on', ' true', 'true ', 'truee']) {
      rejects(parse, raw, 'Property "guacd-ssl" must be either "true" or "false".');
    }
  });

  void it('gives its default as text', () => {
    assert.equal(ssl.defaultText, 'false');
    assert.equal(booleanProperty('x', { description: 'X.' }).defaultText, undefined);
  });
});

void describe('enumProperty', () => {
  const level = enumProperty('log-level', ['error', 'warning', 'warn', 'info', 'debug', 'trace'], {
    description: 'Level.',
    default: 'info',
  });

  void it('accepts the exact legal values', () => {
    assert.equal(level.parse('warn'), 'warn');
    assert.equal(level.parse('trace'), 'trace');
  });

  void it("is case-sensitive and lists the legal values, sorted, in Java's wording", () => {
    rejects(
      (raw) => level.parse(raw),
      'INFO',
      '"INFO" is not a valid value for property "log-level". Valid values are: ' +
        '"debug", "error", "info", "trace", "warn", "warning"',
    );
  });

  void it('types its values and default as the literal union', () => {
    const p = enumProperty('x', ['a', 'b'], { description: 'X.', default: 'a' });
    const value: 'a' | 'b' = p.parse('b');
    assert.equal(value, 'b');
    assert.equal(p.defaultText, 'a');
    // @ts-expect-error a default outside the legal values does not compile
    enumProperty('y', ['a', 'b'], { description: 'Y.', default: 'c' });
  });
});

void describe('stringListProperty', () => {
  const list = stringListProperty('ldap-user-attributes', { description: 'L.' });
  const parse = (raw: string): string[] => list.parse(raw);

  void it('splits on commas or semicolons and the whitespace after them', () => {
    assert.deepEqual(parse('a,b;c'), ['a', 'b', 'c']);
    assert.deepEqual(parse('a, b;\t c'), ['a', 'b', 'c']);
  });

  void it('keeps whitespace before a delimiter and inner empty items', () => {
    assert.deepEqual(parse('a ,b'), ['a ', 'b']);
    assert.deepEqual(parse('a,,b'), ['a', '', 'b']);
    assert.deepEqual(parse(',a'), ['', 'a']);
  });

  void it('drops trailing empty items like Java String.split', () => {
    assert.deepEqual(parse('a,b,;'), ['a', 'b']);
    assert.deepEqual(parse(','), []);
    assert.deepEqual(parse(''), ['']);
  });

  void it('treats only ASCII whitespace as whitespace, like Java regex \\s', () => {
    assert.deepEqual(parse('a,\u00A0b'), ['a', '\u00A0b']);
  });

  void it('gives its default as comma-separated text', () => {
    const p = stringListProperty('x', { description: 'X.', default: ['uid', 'cn'] });
    assert.deepEqual(p.defaultValue, ['uid', 'cn']);
    assert.equal(p.defaultText, 'uid, cn');
  });
});

void describe('orderedListProperty', () => {
  void it('splits on commas only, keeping order', () => {
    const p = orderedListProperty('extension-priority', { description: 'O.' });
    assert.deepEqual(p.parse('openid, *,  saml'), ['openid', '*', 'saml']);
    assert.deepEqual(p.parse('a;b,c'), ['a;b', 'c']);
  });
});

void describe('stringSetProperty', () => {
  const set = stringSetProperty('allowed-languages', { description: 'S.' });

  void it('splits on commas only, dropping duplicates', () => {
    assert.deepEqual(set.parse('en, de,en,  pt_BR'), new Set(['en', 'de', 'pt_BR']));
    assert.deepEqual(set.parse('en;de'), new Set(['en;de']));
  });

  void it('gives its default as a set and as text', () => {
    const p = stringSetProperty('x', { description: 'X.', default: ['a', 'b'] });
    assert.deepEqual(p.defaultValue, new Set(['a', 'b']));
    assert.equal(p.defaultText, 'a, b');
    assert.equal(set.defaultValue, undefined);
  });
});
