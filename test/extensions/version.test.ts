import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GUACAMOLE_VERSION,
  GuacamoleVersion,
  RUNNING_VERSION,
} from '../../src/extensions/index.js';

void describe('GuacamoleVersion', () => {
  void it('reports 1.6.0 as the running version', () => {
    assert.equal(GUACAMOLE_VERSION, '1.6.0');
    assert.equal(RUNNING_VERSION.text, '1.6.0');
  });

  void describe('#provides (the main-branch rule)', () => {
    const cases: readonly (readonly [string, boolean])[] = [
      ['*', true],
      ['0.0.0', true],
      ['1.6.0', true],
      ['1.5.5', true],
      ['1.0.0', true],
      ['1.6.1', false],
      ['1.7.0', false],
      ['2.0.0', false],
      ['0.9.14', false],
      ['1.6.0-RC1', false],
      ['0.0.0-x', false],
    ];
    for (const [required, expected] of cases) {
      void it(`${expected ? 'accepts' : 'rejects'} an extension requiring ${required}`, () => {
        assert.equal(RUNNING_VERSION.provides(new GuacamoleVersion(required)), expected);
      });
    }

    void it('accepts a required suffix only when the running suffix is the same', () => {
      const vendor = new GuacamoleVersion('1.6.0-acme');
      assert.equal(vendor.provides(new GuacamoleVersion('1.6.0-acme')), true);
      assert.equal(vendor.provides(new GuacamoleVersion('1.5.0-acme')), true);
      assert.equal(vendor.provides(new GuacamoleVersion('1.6.0')), true);
      assert.equal(vendor.provides(new GuacamoleVersion('1.6.0-other')), false);
    });
  });

  void it('parses a suffix greedily after three numbers', () => {
    const version = new GuacamoleVersion('1.6.0.1');
    assert.deepEqual(
      [version.major, version.minor, version.patch, version.suffix],
      [1, 6, 0, '.1'],
    );
    assert.equal(new GuacamoleVersion('007.1.2').major, 7);
  });

  void it('rejects strings that are not N.N.N[suffix]', () => {
    for (const text of [
      '1.6',
      'v1.6.0',
      '',
      '1.6.0\n',
      '1.6.0-\u2028',
      '1.a.0',
      '99999999999.0.0',
    ]) {
      assert.throws(() => new GuacamoleVersion(text), RangeError, JSON.stringify(text));
    }
  });
});
