/**
 * @module Tests of TokenFilter against Java's TokenFilterTest and TokenFilterGrammarTest cases, plus the
 * standard token map.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  Credentials,
  SimpleAuthenticatedUser,
  StandardToken,
  TokenFilter,
  TokenUndefinedError,
  standardTokens,
} from '../../src/extensions/api.js';
import { StubProvider } from './support.js';

function filterWithC(): TokenFilter {
  return new TokenFilter({ TOKEN_C: 'Value-of-C' });
}

describe('TokenFilter', () => {
  describe('#filter', () => {
    it('substitutes, escapes with $$ and keeps unknown tokens literally (TokenFilterTest)', () => {
      const filter = new TokenFilter(
        new Map([
          ['TOKEN_A', 'value-of-a'],
          ['TOKEN_B', 'value-of-b'],
        ]),
      );
      assert.equal(
        filter.filter('$$${NOPE}hello${TOKEN_A}world${TOKEN_B}$${NOT_A_TOKEN}'),
        '$${NOPE}hellovalue-of-aworldvalue-of-b${NOT_A_TOKEN}',
      );
      assert.equal(
        filter.filter('${NOPE}hello${TOKEN_A}world${TOKEN_D}'),
        '${NOPE}hellovalue-of-aworld${TOKEN_D}',
      );
    });

    it('applies the UPPER and LOWER modifiers', () => {
      const filter = filterWithC();
      assert.equal(filter.filter('${TOKEN_C}'), 'Value-of-C');
      assert.equal(filter.filter('${TOKEN_C:LOWER}'), 'value-of-c');
      assert.equal(filter.filter('${TOKEN_C:UPPER}'), 'VALUE-OF-C');
    });

    it('substitutes the raw value for an unknown or lower-case modifier', () => {
      const filter = filterWithC();
      assert.equal(filter.filter('${TOKEN_C:BOGUS}'), 'Value-of-C');
      assert.equal(filter.filter('${TOKEN_C:lower}'), 'Value-of-C');
    });

    it('leaves text with characters outside [A-Za-z0-9_] alone', () => {
      const filter = filterWithC();
      for (const text of ['${NOT A TOKEN}', '${a/b/c}', '${some.value}']) {
        assert.equal(filter.filter(text), text);
        assert.equal(filter.filterStrict(text), text);
      }
    });

    it('does not consume literal braces around tokens', () => {
      const filter = filterWithC();
      assert.equal(filter.filter('{${TOKEN_C}}'), '{Value-of-C}');
      assert.equal(filter.filter('{{${TOKEN_C}'), '{{Value-of-C');
      assert.equal(filter.filter('${TOKEN_C}}}'), 'Value-of-C}}');
      assert.equal(filter.filter('a{b}c${TOKEN_C}'), 'a{b}cValue-of-C');
    });

    it('does not substitute escaped tokens and consumes the escape', () => {
      const filter = filterWithC();
      assert.equal(filter.filter('$${TOKEN_C}'), '${TOKEN_C}');
      assert.equal(filter.filter('$${TOKEN_C:UPPER}'), '${TOKEN_C:UPPER}');
      assert.equal(filter.filter('${TOKEN_C}$${TOKEN_C}'), 'Value-of-C${TOKEN_C}');
    });

    it('leaves a lone $$ that escapes nothing as it is', () => {
      assert.equal(filterWithC().filter('cost: $$5 and $$'), 'cost: $$5 and $$');
    });

    it('replaces an undefined OPTIONAL token with nothing', () => {
      const filter = filterWithC();
      assert.equal(filter.filter('${UNDEFINED:OPTIONAL}'), '');
      assert.equal(filter.filterStrict('${UNDEFINED:OPTIONAL}'), '');
      assert.equal(filter.filter('a-${UNDEFINED:OPTIONAL}b'), 'a-b');
      assert.equal(filter.filter('${TOKEN_C:OPTIONAL}'), 'Value-of-C');
    });

    it('substitutes tokens separated by text but not directly adjacent ones (Java quirk)', () => {
      const filter = filterWithC();
      assert.equal(filter.filter('${TOKEN_C}/${TOKEN_C}'), 'Value-of-C/Value-of-C');
      assert.equal(filter.filter('x${TOKEN_C}y${TOKEN_C:LOWER}z'), 'xValue-of-Cyvalue-of-cz');
      assert.equal(filter.filter('${TOKEN_C}${TOKEN_C}'), 'Value-of-C${TOKEN_C}');
    });

    it('lets a modifier run to the last brace of the line, as Java does', () => {
      // The greedy modifier group makes the modifier "UPPER} and ${TOKEN_C", i.e. unknown.
      assert.equal(filterWithC().filter('${TOKEN_C:UPPER} and ${TOKEN_C}'), 'Value-of-C');
    });

    it('keeps text across line breaks that Java would drop', () => {
      const filter = filterWithC();
      assert.equal(filter.filter('ab\nc${TOKEN_C}'), 'ab\ncValue-of-C');
      assert.equal(filter.filter('line1\n${TOKEN_C}'), 'line1\n${TOKEN_C}');
    });

    it('handles unterminated tokens and long brace runs promptly', () => {
      const filter = filterWithC();
      const nested = '${' + '{a}'.repeat(2000);
      const open = '${' + '{'.repeat(5000);
      assert.equal(filter.filter(nested), nested);
      assert.equal(filter.filter(open), open);
    });
  });

  describe('#filterStrict', () => {
    it('throws TokenUndefinedError naming the token', () => {
      assert.throws(
        () => filterWithC().filterStrict('${UNDEFINED}'),
        (error: unknown) => error instanceof TokenUndefinedError && error.tokenName === 'UNDEFINED',
      );
    });

    it('resolves a defined token with an unknown modifier', () => {
      assert.equal(filterWithC().filterStrict('${TOKEN_C:BOGUS}'), 'Value-of-C');
    });
  });

  describe('#filterValues', () => {
    it('filters every value of a map in place', () => {
      const filter = new TokenFilter({ TOKEN_A: 'value-of-a' });
      const map = new Map([
        ['1', 'x${TOKEN_A}'],
        ['2', '${TOKEN_C}'],
      ]);
      filter.filterValues(map);
      assert.deepEqual(
        [...map],
        [
          ['1', 'xvalue-of-a'],
          ['2', '${TOKEN_C}'],
        ],
      );
      assert.throws(() => {
        filter.filterValuesStrict(map);
      }, TokenUndefinedError);
    });
  });

  describe('token management', () => {
    it('sets, reads, unsets and replaces tokens', () => {
      const filter = new TokenFilter();
      filter.setToken('A', '1');
      assert.equal(filter.getToken('A'), '1');
      filter.unsetToken('A');
      assert.equal(filter.getToken('A'), undefined);
      filter.setTokens({ B: '2' });
      assert.deepEqual([...filter.getTokens()], [['B', '2']]);
    });
  });
});

describe('standardTokens', () => {
  const provider = new StubProvider('stub');

  it('builds the six standard tokens from the login credentials and local time', () => {
    const user = new SimpleAuthenticatedUser({
      identifier: 'alice',
      authenticationProvider: provider,
      credentials: new Credentials({
        username: 'Alice',
        password: 'pw',
        request: { remoteAddress: '10.0.0.5', remoteHostname: 'host.example' },
      }),
    });
    const tokens = standardTokens(user, new Date(2024, 0, 2, 3, 4, 5));
    assert.deepEqual(Object.fromEntries(tokens), {
      [StandardToken.DATE]: '20240102',
      [StandardToken.TIME]: '030405',
      [StandardToken.USERNAME]: 'Alice',
      [StandardToken.PASSWORD]: 'pw',
      [StandardToken.CLIENT_HOSTNAME]: 'host.example',
      [StandardToken.CLIENT_ADDRESS]: '10.0.0.5',
    });
  });

  it('falls back to the identifier and omits what is unknown', () => {
    const user = new SimpleAuthenticatedUser({
      identifier: 'bob',
      authenticationProvider: provider,
      credentials: new Credentials(),
    });
    const tokens = standardTokens(user, new Date(2024, 11, 31, 23, 59, 59));
    assert.deepEqual([...tokens.keys()].sort(), ['GUAC_DATE', 'GUAC_TIME', 'GUAC_USERNAME']);
    assert.equal(tokens.get('GUAC_USERNAME'), 'bob');
    assert.equal(tokens.get('GUAC_DATE'), '20241231');
  });
});
