import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import * as config from '../../src/config/index.js';

void describe('config/index', () => {
  void it('exports the public surface', () => {
    assert.deepEqual(Object.keys(config).sort(), [
      'ALLOWED_LANGUAGES',
      'API_MAX_REQUEST_SIZE',
      'API_SESSION_TIMEOUT',
      'CASE_SENSITIVITY',
      'CASE_SENSITIVITY_VALUES',
      'CORE_PROPERTIES',
      'Configuration',
      'ConfigurationError',
      'ENABLE_ENVIRONMENT_PROPERTIES',
      'ENABLE_FILE_ENVIRONMENT_PROPERTIES',
      'EXTENSION_PRIORITY',
      'HTTP_BASE_PATH',
      'HTTP_BIND_ADDRESS',
      'HTTP_PORT',
      'LOG_LEVEL',
      'LOG_LEVELS',
      'PROPERTIES_FILE_NAME',
      'PropertyValueError',
      'SECRET_MASK',
      'SKIP_IF_UNAVAILABLE',
      'booleanProperty',
      'canonicalPropertyName',
      'describeOrigin',
      'enumProperty',
      'integerProperty',
      'loadConfiguration',
      'longProperty',
      'orderedListProperty',
      'parsePropertiesText',
      'readPropertiesFile',
      'resolveGuacamoleHome',
      'stringListProperty',
      'stringProperty',
      'stringSetProperty',
    ]);
  });
});
