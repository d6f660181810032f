/**
 * @module Tests of the guacd properties: names and defaults as in Java (plus our guacd-mode), and their
 * parsing.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GUACD_HOSTNAME,
  GUACD_MODE,
  GUACD_PORT,
  GUACD_PROPERTIES,
  GUACD_SSL,
} from '../../src/guacd/index.js';

describe('guacd properties', () => {
  it("declares guacd-mode (auto), then guacd-hostname, guacd-port and guacd-ssl with Java's defaults", () => {
    assert.deepEqual(
      GUACD_PROPERTIES.map((p) => [p.name, p.defaultValue]),
      [
        ['guacd-mode', 'auto'],
        ['guacd-hostname', 'localhost'],
        ['guacd-port', 4822],
        ['guacd-ssl', false],
      ],
    );
  });

  it('parses values', () => {
    assert.equal(GUACD_HOSTNAME.parse('guacd.internal'), 'guacd.internal');
    assert.equal(GUACD_PORT.parse('4823'), 4823);
    assert.equal(GUACD_SSL.parse('TRUE'), true);
    assert.throws(() => GUACD_PORT.parse('port'));
    assert.throws(() => GUACD_PORT.parse('70000'));
    assert.throws(() => GUACD_SSL.parse('yes'));
    assert.equal(GUACD_MODE.parse('embedded'), 'embedded');
    assert.throws(
      () => GUACD_MODE.parse('Embedded'),
      /Valid values are: "auto", "embedded", "external"/,
    );
  });
});
