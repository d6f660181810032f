import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { Configuration } from '../../src/config/configuration.js';
import {
  ALLOWED_LANGUAGES,
  API_MAX_REQUEST_SIZE,
  API_SESSION_TIMEOUT,
  CASE_SENSITIVITY,
  CORE_PROPERTIES,
  ENABLE_ENVIRONMENT_PROPERTIES,
  ENABLE_FILE_ENVIRONMENT_PROPERTIES,
  EXTENSION_PRIORITY,
  HTTP_BASE_PATH,
  HTTP_BIND_ADDRESS,
  HTTP_PORT,
  LOG_LEVEL,
  SKIP_IF_UNAVAILABLE,
} from '../../src/config/properties.js';

void describe('core properties', () => {
  void it('have the defaults of spec §1.5 and of this server', () => {
    const config = new Configuration();
    assert.equal(config.get(ENABLE_ENVIRONMENT_PROPERTIES), false);
    assert.equal(config.get(ENABLE_FILE_ENVIRONMENT_PROPERTIES), false);
    assert.equal(config.get(HTTP_PORT), 8080);
    assert.equal(config.get(HTTP_BIND_ADDRESS), '0.0.0.0');
    assert.equal(config.get(HTTP_BASE_PATH), '/');
    assert.equal(config.get(LOG_LEVEL), 'info');
    assert.equal(config.get(API_SESSION_TIMEOUT), 60);
    assert.equal(config.get(API_MAX_REQUEST_SIZE), 2097152);
    assert.equal(config.get(CASE_SENSITIVITY), 'enabled');
    assert.equal(config.get(ALLOWED_LANGUAGES), undefined);
    assert.equal(config.get(EXTENSION_PRIORITY), undefined);
    assert.equal(config.get(SKIP_IF_UNAVAILABLE), undefined);
  });

  void it('are all listed once in CORE_PROPERTIES, each with a description', () => {
    const names = CORE_PROPERTIES.map((property) => property.name);
    assert.equal(new Set(names).size, names.length);
    assert.deepEqual(names.toSorted(), [
      'allowed-languages',
      'api-max-request-size',
      'api-session-timeout',
      'case-sensitivity',
      'enable-environment-properties',
      'enable-file-environment-properties',
      'extension-priority',
      'http-base-path',
      'http-bind-address',
      'http-port',
      'log-level',
      'skip-if-unavailable',
    ]);
    for (const property of CORE_PROPERTIES) assert.match(property.description, /\.$/);
  });

  void it('parse their own default text back to their default value', () => {
    for (const property of CORE_PROPERTIES) {
      if (property.defaultText === undefined) continue;
      assert.deepEqual(property.parse(property.defaultText), property.defaultValue, property.name);
    }
  });

  void it('accept "warn" as a log level and every case-sensitivity mode', () => {
    assert.equal(LOG_LEVEL.parse('warn'), 'warn');
    for (const mode of ['enabled', 'usernames', 'group-names', 'disabled']) {
      assert.equal(CASE_SENSITIVITY.parse(mode), mode);
    }
  });

  void it('split extension-priority and the sets on commas only', () => {
    assert.deepEqual(EXTENSION_PRIORITY.parse('ldap, *, totp'), ['ldap', '*', 'totp']);
    assert.deepEqual(SKIP_IF_UNAVAILABLE.parse('ldap,  mysql'), new Set(['ldap', 'mysql']));
    assert.deepEqual(ALLOWED_LANGUAGES.parse('en;de'), new Set(['en;de']));
  });

  void it('accept a request-size limit beyond 32 bits, since Java reads it as a long', () => {
    assert.equal(API_MAX_REQUEST_SIZE.parse('4294967296'), 4294967296);
  });

  void it('keep http-port within 1..65535', () => {
    assert.throws(() => HTTP_PORT.parse('0'), {
      message: 'Property "http-port" must be between 1 and 65535.',
    });
  });
});
