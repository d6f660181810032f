import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { ConfigurationError } from '../../src/config/configuration-error.js';
import { Configuration, describeOrigin, SECRET_MASK } from '../../src/config/configuration.js';
import type { ConfigurationSources } from '../../src/config/configuration.js';
import {
  ENABLE_ENVIRONMENT_PROPERTIES,
  ENABLE_FILE_ENVIRONMENT_PROPERTIES,
  HTTP_PORT,
  LOG_LEVEL,
} from '../../src/config/properties.js';
import { parsePropertiesText } from '../../src/config/properties-file.js';
import { integerProperty, stringProperty } from '../../src/config/property.js';
import { ServerError } from '../../src/protocol/errors.js';

const HOSTNAME = stringProperty('guacd-hostname', { description: 'H.', default: 'localhost' });
const PASSWORD = stringProperty('db-password', { description: 'P.', secret: true });
const PORT = integerProperty('guacd-port', { description: 'P.', default: 4822 });

/** A Configuration over guacamole.properties text (or none) and an environment. */
function configuration(
  text: string | undefined,
  env: NodeJS.ProcessEnv = {},
  readTextFile?: (path: string) => string,
): Configuration {
  const sources: ConfigurationSources = {
    env,
    file: text === undefined ? undefined : parsePropertiesText(text, 'guacamole.properties'),
    ...(readTextFile === undefined ? {} : { readTextFile }),
  };
  return new Configuration(sources);
}

const ENV_ON = 'enable-environment-properties: true\n';
const BOTH_ON = `${ENV_ON}enable-file-environment-properties: true\n`;

void describe('Configuration', () => {
  const dir = mkdtempSync(join(tmpdir(), 'guac-configuration-'));
  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });
  const secretFile = (name: string, content: string | Buffer): string => {
    const path = join(dir, name);
    writeFileSync(path, content);
    return path;
  };

  void describe('#get', () => {
    void it('parses the value from guacamole.properties', () => {
      assert.equal(configuration('guacd-port=4823').get(PORT), 4823);
    });

    void it('trims file values like Java String.trim, controls included but not U+00A0', () => {
      const config = configuration(
        'guacd-hostname = \\t\\u0001 host \\u0000\\r\nb=\\u00A0x\\u00A0',
      );
      assert.equal(config.get(HOSTNAME), 'host');
      assert.equal(config.get(stringProperty('b', { description: 'B.' })), '\u00A0x\u00A0');
    });

    void it('applies the default only when the property is absent', () => {
      assert.equal(configuration('').get(PORT), 4822);
      assert.equal(configuration(undefined).get(PORT), 4822);
      assert.equal(configuration('').get(PASSWORD), undefined);
    });

    void it('treats a present but empty value as a value, not as absent', () => {
      assert.equal(configuration('guacd-hostname=').get(HOSTNAME), '');
      assert.throws(() => configuration('guacd-port=').get(PORT), /must be an integer/);
    });

    void it('throws a ConfigurationError naming file, line and property for an invalid value', () => {
      const config = configuration('# c\nguacd-port = many');
      assert.throws(
        () => config.get(PORT),
        (error: unknown) => {
          assert.ok(error instanceof ConfigurationError);
          assert.ok(error instanceof ServerError);
          assert.deepEqual(error.problems, [
            'guacamole.properties:2: property "guacd-port": Property "guacd-port" must be an integer.',
          ]);
          return true;
        },
      );
    });
  });

  void describe('#require', () => {
    void it('returns a present value or the default', () => {
      assert.equal(configuration('guacd-port=1').require(PORT), 1);
      assert.equal(configuration('').require(HOSTNAME), 'localhost');
    });

    void it('throws "Property <name> is required." when there is neither', () => {
      assert.throws(() => configuration('').require(PASSWORD), {
        name: 'ConfigurationError',
        message: 'Property db-password is required.',
      });
    });
  });

  void describe('#has', () => {
    void it('is true only when a source supplies the property, not for a default', () => {
      assert.equal(configuration('guacd-port=1').has(PORT), true);
      assert.equal(configuration('').has(PORT), false);
    });
  });

  void describe('environment variables', () => {
    void it('are ignored unless guacamole.properties enables them', () => {
      const config = configuration('', { GUACD_HOSTNAME: 'env-host' });
      assert.equal(config.environmentEnabled, false);
      assert.equal(config.get(HOSTNAME), 'localhost');
    });

    void it('cannot enable themselves: ENABLE_ENVIRONMENT_PROPERTIES in the environment is not read', () => {
      const env = { ENABLE_ENVIRONMENT_PROPERTIES: 'true', GUACD_HOSTNAME: 'env-host' };
      assert.equal(configuration('', env).get(HOSTNAME), 'localhost');
      assert.equal(configuration(undefined, env).environmentEnabled, false);
    });

    void it('supply values missing from the file under the canonical name, untrimmed', () => {
      const config = configuration('enable-environment-properties=TRUE', {
        GUACD_HOSTNAME: ' env-host\n',
      });
      assert.equal(config.environmentEnabled, true);
      assert.equal(config.get(HOSTNAME), ' env-host\n');
      assert.deepEqual(config.raw('guacd-hostname')?.origin, {
        kind: 'environment',
        variable: 'GUACD_HOSTNAME',
      });
    });

    void it('lose to guacamole.properties, even to an empty value there', () => {
      const env = { GUACD_HOSTNAME: 'env-host' };
      assert.equal(
        configuration(`${ENV_ON}guacd-hostname=file-host`, env).get(HOSTNAME),
        'file-host',
      );
      assert.equal(configuration(`${ENV_ON}guacd-hostname=`, env).get(HOSTNAME), '');
    });

    void it('count when set to the empty string', () => {
      assert.throws(() => configuration(ENV_ON, { GUACD_PORT: '' }).get(PORT), {
        message: /^environment variable GUACD_PORT: property "guacd-port": .*must be an integer/,
      });
    });
  });

  void describe('*_FILE environment variables', () => {
    void it('are ignored unless enable-file-environment-properties is true', () => {
      const path = secretFile('off', 'secret');
      assert.equal(configuration(ENV_ON, { DB_PASSWORD_FILE: path }).get(PASSWORD), undefined);
    });

    void it('supply the whole file as UTF-8, untrimmed', () => {
      const path = secretFile('password', Buffer.from(' pässword\n', 'utf8'));
      const config = configuration(BOTH_ON, { DB_PASSWORD_FILE: path });
      assert.equal(config.fileEnvironmentEnabled, true);
      assert.equal(config.get(PASSWORD), ' pässword\n');
      assert.deepEqual(config.raw('db-password')?.origin, {
        kind: 'environment-file',
        variable: 'DB_PASSWORD_FILE',
        path,
      });
    });

    void it('work without environment properties when only the file switch is on', () => {
      const path = secretFile('alone', 'from-file');
      const config = configuration('enable-file-environment-properties=true', {
        DB_PASSWORD_FILE: path,
        DB_PASSWORD: 'from-env',
      });
      assert.equal(config.environmentEnabled, false);
      assert.equal(config.get(PASSWORD), 'from-file');
    });

    void it('can be enabled from the environment once environment properties are on', () => {
      const path = secretFile('via-env', 'from-file');
      const env = { ENABLE_FILE_ENVIRONMENT_PROPERTIES: 'true', DB_PASSWORD_FILE: path };
      assert.equal(configuration(ENV_ON, env).get(PASSWORD), 'from-file');
      assert.equal(configuration('', env).fileEnvironmentEnabled, false);
    });

    void it('come last: guacamole.properties, then the variable, then the file it names', () => {
      const path = secretFile('last', 'from-file');
      const env = { DB_PASSWORD: 'from-env', DB_PASSWORD_FILE: path };
      assert.equal(
        configuration(`${BOTH_ON}db-password=from-props`, env).get(PASSWORD),
        'from-props',
      );
      assert.equal(configuration(BOTH_ON, env).get(PASSWORD), 'from-env');
      assert.equal(configuration(BOTH_ON, { DB_PASSWORD_FILE: path }).get(PASSWORD), 'from-file');
    });

    void it('are treated as absent when unreadable, with a warning', () => {
      const missing = join(dir, 'no-such-file');
      const config = configuration(BOTH_ON, { GUACD_PORT_FILE: missing });
      assert.equal(config.get(PORT), 4822);
      assert.equal(config.has(PORT), false);
      assert.equal(config.warnings.length, 1);
      assert.match(
        config.warnings[0] ?? '',
        new RegExp(`^Property "guacd-port" could not be read from file "${missing}": ENOENT`),
      );
    });

    void it('are read once, so a validated value stays the same', () => {
      const reads: string[] = [];
      const config = configuration(BOTH_ON, { GUACD_PORT_FILE: '/run/secrets/port' }, (path) => {
        reads.push(path);
        return '4900';
      });
      assert.equal(config.get(PORT), 4900);
      assert.equal(config.get(PORT), 4900);
      assert.deepEqual(reads, ['/run/secrets/port']);
    });
  });

  void describe('the enable-* switches', () => {
    void it('default to false', () => {
      const config = configuration(undefined);
      assert.equal(config.get(ENABLE_ENVIRONMENT_PROPERTIES), false);
      assert.equal(config.get(ENABLE_FILE_ENVIRONMENT_PROPERTIES), false);
    });

    void it('leave the source off when invalid, yet report the value as an error', () => {
      const config = configuration('enable-environment-properties=yes', { GUACD_HOSTNAME: 'x' });
      assert.equal(config.environmentEnabled, false);
      assert.equal(config.get(HOSTNAME), 'localhost');
      assert.throws(
        () => config.get(ENABLE_ENVIRONMENT_PROPERTIES),
        /must be either "true" or "false"/,
      );
    });
  });

  void describe('#describe', () => {
    void it('lists each value with its source, masking secrets', () => {
      const path = secretFile('describe', 'hunter2');
      const config = configuration(`${BOTH_ON}http-port = 9000`, {
        DB_PASSWORD_FILE: path,
        GUACD_PORT: '1',
      });
      assert.deepEqual(config.describe([HTTP_PORT, PORT, PASSWORD, LOG_LEVEL, HOSTNAME]), [
        { name: 'http-port', value: '9000', source: 'guacamole.properties:3' },
        { name: 'guacd-port', value: '1', source: 'environment variable GUACD_PORT' },
        {
          name: 'db-password',
          value: SECRET_MASK,
          source: `file "${path}" (from environment variable DB_PASSWORD_FILE)`,
        },
        { name: 'log-level', value: 'info', source: 'default' },
        { name: 'guacd-hostname', value: 'localhost', source: 'default' },
      ]);
      assert.equal(SECRET_MASK, '********');
    });

    void it('shows an unset property as undefined, secret or not, and never throws', () => {
      const config = configuration('http-port=bad');
      assert.deepEqual(config.describe([PASSWORD, HTTP_PORT]), [
        { name: 'db-password', value: undefined, source: 'unset' },
        { name: 'http-port', value: 'bad', source: 'guacamole.properties:1' },
      ]);
    });
  });
});

void describe('describeOrigin', () => {
  void it('names a file and line, a variable, or a file named by a variable', () => {
    assert.equal(
      describeOrigin({ kind: 'file', file: '/etc/g.properties', line: 4 }),
      '/etc/g.properties:4',
    );
    assert.equal(describeOrigin({ kind: 'environment', variable: 'X' }), 'environment variable X');
    assert.equal(
      describeOrigin({ kind: 'environment-file', variable: 'X_FILE', path: '/s' }),
      'file "/s" (from environment variable X_FILE)',
    );
  });
});
