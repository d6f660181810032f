import assert from 'node:assert/strict';
import { copyFileSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { fileURLToPath } from 'node:url';
import { ConfigurationError } from '../../src/config/configuration-error.js';
import { loadConfiguration, PROPERTIES_FILE_NAME } from '../../src/config/load-config.js';
import {
  ALLOWED_LANGUAGES,
  API_MAX_REQUEST_SIZE,
  CASE_SENSITIVITY,
  CORE_PROPERTIES,
  EXTENSION_PRIORITY,
  HTTP_BIND_ADDRESS,
  HTTP_PORT,
  LOG_LEVEL,
} from '../../src/config/properties.js';
import { integerProperty, stringProperty } from '../../src/config/property.js';
import { ServerError } from '../../src/protocol/errors.js';

const FIXTURES = fileURLToPath(new URL('../fixtures/properties/', import.meta.url));
const GUACD_PORT = integerProperty('guacd-port', { description: 'P.', default: 4822 });

/** Catches the ConfigurationError `fn` throws. */
function configurationError(fn: () => unknown): ConfigurationError {
  try {
    fn();
  } catch (error) {
    assert.ok(
      error instanceof ConfigurationError,
      `expected a ConfigurationError, got ${String(error)}`,
    );
    return error;
  }
  assert.fail('expected a ConfigurationError');
}

void describe('loadConfiguration', () => {
  const root = mkdtempSync(join(tmpdir(), 'guac-load-config-'));
  after(() => {
    rmSync(root, { recursive: true, force: true });
  });
  let homes = 0;
  /** A fresh GUACAMOLE_HOME holding `guacamole.properties` with the given text or fixture. */
  const home = (content?: { fixture: string } | { text: string }): string => {
    const dir = join(root, `home-${String(++homes)}`);
    mkdirSync(dir);
    const target = join(dir, PROPERTIES_FILE_NAME);
    if (content !== undefined && 'fixture' in content)
      copyFileSync(join(FIXTURES, content.fixture), target);
    if (content !== undefined && 'text' in content) writeFileSync(target, content.text, 'latin1');
    return dir;
  };

  void it('reads GUACAMOLE_HOME/guacamole.properties and returns a typed configuration', () => {
    const dir = home({ fixture: 'valid.properties' });
    const loaded = loadConfiguration({ home: dir, env: {}, properties: CORE_PROPERTIES });
    const { configuration } = loaded;
    assert.equal(loaded.file, join(dir, 'guacamole.properties'));
    assert.deepEqual(loaded.warnings, []);
    assert.equal(configuration.get(HTTP_PORT), 9090);
    assert.equal(configuration.get(HTTP_BIND_ADDRESS), '127.0.0.1');
    assert.equal(configuration.get(LOG_LEVEL), 'debug');
    assert.equal(configuration.get(API_MAX_REQUEST_SIZE), 0);
    assert.equal(configuration.get(CASE_SENSITIVITY), 'usernames');
    assert.deepEqual(configuration.get(ALLOWED_LANGUAGES), new Set(['en', 'de', 'pt_BR']));
    assert.deepEqual(configuration.get(EXTENSION_PRIORITY), ['openid', '*']);
  });

  void it('returns keys no declared property uses, without failing on them', () => {
    const dir = home({ fixture: 'valid.properties' });
    const loaded = loadConfiguration({ home: dir, env: {}, properties: CORE_PROPERTIES });
    assert.deepEqual(loaded.unknownKeys, ['postgresql-hostname']);
  });

  void it('counts the enable-* switches as declared even when the caller omits them', () => {
    const dir = home({ text: 'enable-environment-properties=false\nguacd-port=1\n' });
    const loaded = loadConfiguration({ home: dir, env: {}, properties: [GUACD_PORT] });
    assert.deepEqual(loaded.unknownKeys, []);
  });

  void it('runs on defaults with a warning when guacamole.properties does not exist', () => {
    const dir = home();
    const loaded = loadConfiguration({ home: dir, env: {}, properties: CORE_PROPERTIES });
    assert.equal(loaded.file, undefined);
    assert.deepEqual(loaded.warnings, [
      `Unable to read guacamole.properties: "${join(dir, 'guacamole.properties')}" does not exist.`,
    ]);
    assert.equal(loaded.configuration.get(HTTP_PORT), 8080);
    assert.deepEqual(loaded.unknownKeys, []);
  });

  void it('treats a missing GUACAMOLE_HOME, or one that is a file, like a missing file', () => {
    const asFile = join(root, 'plain-file');
    writeFileSync(asFile, '');
    for (const dir of [join(root, 'no-such-home'), asFile]) {
      const loaded = loadConfiguration({ home: dir, env: {}, properties: CORE_PROPERTIES });
      assert.equal(loaded.file, undefined);
      assert.equal(loaded.warnings.length, 1);
    }
  });

  void it('fails when guacamole.properties exists but cannot be read', () => {
    const dir = home();
    mkdirSync(join(dir, 'guacamole.properties'));
    const error = configurationError(() =>
      loadConfiguration({ home: dir, env: {}, properties: CORE_PROPERTIES }),
    );
    assert.match(error.message, /guacamole\.properties" cannot be read: EISDIR/);
  });

  void it('reports every problem at once, in line order, as file:line: property "name": problem', () => {
    const dir = home({ fixture: 'invalid.properties' });
    const file = join(dir, 'guacamole.properties');
    const error = configurationError(() =>
      loadConfiguration({ home: dir, env: {}, properties: CORE_PROPERTIES }),
    );
    assert.ok(error instanceof ServerError);
    assert.deepEqual(error.problems, [
      `${file}:2: property "http-port": Property "http-port" must be an integer.`,
      `${file}:3: property "log-level": "INFO" is not a valid value for property "log-level". ` +
        'Valid values are: "debug", "error", "info", "trace", "warn", "warning"',
      `${file}:4: property "enable-file-environment-properties": ` +
        'Property "enable-file-environment-properties" must be either "true" or "false".',
      `${file}:5: property "api-max-request-size": Property "api-max-request-size" must be at least 0.`,
      `${file}:6: Malformed \\uxxxx encoding.`,
      `${file}:7: property "api-session-timeout": Property "api-session-timeout" must be at least 1.`,
    ]);
    assert.equal(error.message, error.problems.join('\n'));
  });

  void it('names the environment variable or *_FILE file for values that came from there', () => {
    const portFile = join(root, 'port-secret');
    writeFileSync(portFile, '4822\n');
    const dir = home({
      text: 'http-port = x\nenable-environment-properties = true\nenable-file-environment-properties = true\n',
    });
    const env = { LOG_LEVEL: 'loud', GUACD_PORT_FILE: portFile };
    const error = configurationError(() =>
      loadConfiguration({ home: dir, env, properties: [...CORE_PROPERTIES, GUACD_PORT] }),
    );
    assert.deepEqual(error.problems, [
      `${join(dir, 'guacamole.properties')}:1: property "http-port": Property "http-port" must be an integer.`,
      'environment variable LOG_LEVEL: property "log-level": "loud" is not a valid value for ' +
        'property "log-level". Valid values are: "debug", "error", "info", "trace", "warn", "warning"',
      `file "${portFile}" (from environment variable GUACD_PORT_FILE): property "guacd-port": ` +
        'Property "guacd-port" must be an integer.',
    ]);
  });

  void it('validates properties declared by other modules, reporting a shared name once', () => {
    const dir = home({ text: 'guacd-port = 99999999999\nguacd-hostname = ok\n' });
    const again = integerProperty('guacd-port', { description: 'Same name elsewhere.' });
    const error = configurationError(() =>
      loadConfiguration({ home: dir, env: {}, properties: [GUACD_PORT, again] }),
    );
    assert.equal(error.problems.length, 1);
    assert.match(
      error.problems[0] ?? '',
      /:1: property "guacd-port": Property "guacd-port" must be an integer\.$/,
    );
  });

  void it('returns unreadable *_FILE files as warnings and uses the default', () => {
    const dir = home({ text: 'enable-file-environment-properties: true\n' });
    const missing = join(root, 'absent-secret');
    const loaded = loadConfiguration({
      home: dir,
      env: { GUACD_PORT_FILE: missing },
      properties: [GUACD_PORT],
    });
    assert.equal(loaded.configuration.get(GUACD_PORT), 4822);
    assert.equal(loaded.warnings.length, 1);
    assert.match(loaded.warnings[0] ?? '', /^Property "guacd-port" could not be read from file/);
  });

  void it('reads the file as ISO-8859-1', () => {
    const dir = home();
    writeFileSync(join(dir, 'guacamole.properties'), Buffer.from([0x6e, 0x3d, 0x4a, 0xe9]));
    const name = stringProperty('n', { description: 'N.' });
    const loaded = loadConfiguration({ home: dir, env: {}, properties: [name] });
    assert.equal(loaded.configuration.get(name), 'Jé');
  });
});
