import assert from 'node:assert/strict';
import { resolve } from 'node:path';
import { describe, it } from 'node:test';
import { canonicalPropertyName, resolveGuacamoleHome } from '../../src/config/environment.js';

/** An `exists` that answers from a fixed set of paths and records what it was asked. */
function existing(...paths: string[]): { exists: (path: string) => boolean; asked: string[] } {
  const asked: string[] = [];
  return {
    asked,
    exists: (path) => {
      asked.push(path);
      return paths.includes(path);
    },
  };
}

void describe('resolveGuacamoleHome', () => {
  void it('uses GUACAMOLE_HOME when set, without checking that it exists', () => {
    const fs = existing();
    assert.equal(
      resolveGuacamoleHome({ GUACAMOLE_HOME: '/srv/guac' }, '/home/u', fs.exists),
      '/srv/guac',
    );
    assert.deepEqual(fs.asked, []);
  });

  void it('makes a relative GUACAMOLE_HOME absolute, and an empty one the working directory', () => {
    const fs = existing();
    assert.equal(
      resolveGuacamoleHome({ GUACAMOLE_HOME: 'conf' }, '/h', fs.exists),
      resolve('conf'),
    );
    assert.equal(resolveGuacamoleHome({ GUACAMOLE_HOME: '' }, '/h', fs.exists), process.cwd());
  });

  void it('uses ~/.guacamole when it exists', () => {
    const fs = existing('/home/u/.guacamole', '/etc');
    assert.equal(resolveGuacamoleHome({}, '/home/u', fs.exists), '/home/u/.guacamole');
  });

  void it('falls back to /etc/guacamole when ~/.guacamole is missing and /etc exists', () => {
    const fs = existing('/etc');
    assert.equal(resolveGuacamoleHome({}, '/home/u', fs.exists), '/etc/guacamole');
    assert.ok(!fs.asked.includes('/etc/guacamole'), '/etc/guacamole itself is never checked');
  });

  void it('keeps ~/.guacamole when neither it nor /etc exists', () => {
    const fs = existing();
    assert.equal(resolveGuacamoleHome({}, '/home/u', fs.exists), '/home/u/.guacamole');
  });

  void it('reads process.env and the real home directory by default', () => {
    const saved = process.env.GUACAMOLE_HOME;
    process.env.GUACAMOLE_HOME = '/from/process/env';
    try {
      assert.equal(resolveGuacamoleHome(), '/from/process/env');
    } finally {
      if (saved === undefined) delete process.env.GUACAMOLE_HOME;
      else process.env.GUACAMOLE_HOME = saved;
    }
  });
});

void describe('canonicalPropertyName', () => {
  void it('upper-cases hyphenated names and joins their words with underscores', () => {
    assert.equal(canonicalPropertyName('guacd-hostname'), 'GUACD_HOSTNAME');
    assert.equal(canonicalPropertyName('api-session-timeout'), 'API_SESSION_TIMEOUT');
    assert.equal(canonicalPropertyName('postgresql-hostname'), 'POSTGRESQL_HOSTNAME');
    assert.equal(
      canonicalPropertyName('enable-file-environment-properties'),
      'ENABLE_FILE_ENVIRONMENT_PROPERTIES',
    );
  });

  void it('splits camel case, capital runs and digit runs into words', () => {
    assert.equal(canonicalPropertyName('guacdHostname'), 'GUACD_HOSTNAME');
    assert.equal(canonicalPropertyName('HTTPPort'), 'HTTP_PORT');
    assert.equal(canonicalPropertyName('saml-idp-x509'), 'SAML_IDP_X_509');
    assert.equal(canonicalPropertyName('ldap2-port'), 'LDAP_2_PORT');
  });

  void it('drops separators that are not part of a word group', () => {
    assert.equal(canonicalPropertyName('a.b_c'), 'A_B_C');
    assert.equal(canonicalPropertyName('  padded--name  '), 'PADDED_NAME');
  });

  void it('upper-cases the whole name when no word group matches', () => {
    assert.equal(canonicalPropertyName('--'), '--');
    assert.equal(canonicalPropertyName(''), '');
  });

  void it("treats non-ASCII letters as letters, like Java's \\p{javaLowerCase}", () => {
    assert.equal(canonicalPropertyName('café-port'), 'CAFÉ_PORT');
  });
});
