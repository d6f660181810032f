import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ExtensionError, parseManifest } from '../../src/extensions/index.js';
import { ServerError } from '../../src/protocol/index.js';

// Real manifests from apache/guacamole-client (resource templates with ${project.version} filled in).
const TOTP = {
  guacamoleVersion: '1.6.0',
  name: 'TOTP TFA Authentication Backend',
  namespace: 'totp',
  authProviders: ['org.apache.guacamole.auth.totp.TOTPAuthenticationProvider'],
  translations: ['translations/ca.json', 'translations/en.json'],
  js: ['totp.min.js'],
  css: ['totp.min.css'],
  resources: { 'templates/authenticationCodeField.html': 'text/html' },
};
const POSTGRESQL = {
  guacamoleVersion: '1.6.0',
  name: 'PostgreSQL Authentication',
  namespace: 'postgresql',
  authProviders: [
    'org.apache.guacamole.auth.postgresql.PostgreSQLAuthenticationProvider',
    'org.apache.guacamole.auth.postgresql.PostgreSQLSharedAuthenticationProvider',
  ],
  css: ['styles/jdbc.css'],
  html: ['html/shared-connection.html'],
  translations: ['translations/en.json'],
};
const SSL = {
  guacamoleVersion: '1.6.0',
  name: 'SSL Authentication Extension',
  namespace: 'ssl',
  authProviders: ['org.apache.guacamole.auth.ssl.SSLAuthenticationProvider'],
  listeners: ['org.apache.guacamole.auth.ssl.SSLAuthenticationEventListener'],
  css: ['styles/sso-providers.css'],
  js: ['ssl.min.js'],
  html: ['html/sso-providers.html', 'html/sso-provider-ssl.html'],
  translations: ['translations/en.json'],
};

/** Parses and returns the error thrown, failing if none is. */
function rejection(text: string, file = 'ext.jar'): ExtensionError {
  try {
    parseManifest(text, file);
  } catch (error) {
    assert.ok(error instanceof ExtensionError);
    return error;
  }
  assert.fail('the manifest was accepted');
}

void describe('parseManifest', () => {
  void it('accepts real Apache manifests and keeps every list in manifest order', () => {
    const totp = parseManifest(JSON.stringify(TOTP), 'guacamole-auth-totp-1.6.0.jar');
    assert.equal(totp.namespace, 'totp');
    assert.deepEqual(totp.authProviders, TOTP.authProviders);
    assert.deepEqual(totp.resources, [['templates/authenticationCodeField.html', 'text/html']]);
    assert.deepEqual(totp.listeners, []);
    assert.equal(totp.smallIcon, undefined);
    const pg = parseManifest(JSON.stringify(POSTGRESQL), 'guacamole-auth-jdbc-postgresql.jar');
    assert.deepEqual(pg.authProviders, POSTGRESQL.authProviders);
    assert.deepEqual(pg.html, ['html/shared-connection.html']);
    const ssl = parseManifest(JSON.stringify(SSL), 'guacamole-auth-sso-ssl.jar');
    assert.deepEqual(ssl.listeners, SSL.listeners);
    assert.deepEqual(ssl.html, SSL.html);
  });

  void it('accepts bytes, a UTF-8 byte-order mark and icons', () => {
    const text = '\uFEFF{"guacamoleVersion":"*","smallIcon":"a/s.png","largeIcon":"a/l.png"}';
    const manifest = parseManifest(new TextEncoder().encode(text), 'branding.jar');
    assert.equal(manifest.guacamoleVersion, '*');
    assert.equal(manifest.smallIcon, 'a/s.png');
    assert.equal(manifest.largeIcon, 'a/l.png');
  });

  void it('treats null values as absent, as Jackson does', () => {
    const manifest = parseManifest(
      '{"guacamoleVersion":"1.6.0","name":null,"js":null,"resources":null}',
      'x.jar',
    );
    assert.equal(manifest.name, undefined);
    assert.deepEqual(manifest.js, []);
    assert.deepEqual(manifest.resources, []);
  });

  void it('leaves a missing guacamoleVersion to the version check', () => {
    assert.equal(parseManifest('{}', 'x.jar').guacamoleVersion, undefined);
  });

  void it('rejects an unknown key, naming the file and the key', () => {
    const error = rejection('{"guacamoleVersion":"1.6.0","priority":3}', 'custom.jar');
    assert.match(error.message, /^Extension "custom\.jar" could not be loaded: /);
    assert.match(error.reason, /unknown key "priority"/);
    assert.equal(error.file, 'custom.jar');
  });

  void it('names every unknown key, including miscased known ones', () => {
    const error = rejection('{"guacamoleVersion":"1.6.0","JS":[],"authproviders":[]}');
    assert.match(error.reason, /unknown keys "JS", "authproviders"/);
  });

  void it('rejects wrong types, naming where', () => {
    assert.match(rejection('{"js":"app.js"}').reason, /"js": .*expected array/);
    assert.match(rejection('{"css":["a.css",3]}').reason, /"css\[1\]": .*expected string/);
    assert.match(rejection('{"resources":{"a.html":1}}').reason, /"resources\.a\.html": /);
    assert.match(rejection('{"guacamoleVersion":1.6}').reason, /"guacamoleVersion": /);
  });

  void it('rejects text that is not JSON', () => {
    const error = rejection('{"guacamoleVersion": "1.6.0",}', 'broken.jar');
    assert.match(error.message, /Extension "broken\.jar" could not be loaded: /);
    assert.match(error.reason, /^guac-manifest\.json is not valid JSON: /);
    assert.match(rejection('').reason, /not valid JSON/);
  });

  void it("rejects JSON null with Java's message, and non-objects", () => {
    assert.equal(
      rejection('null').reason,
      'Contents of guac-manifest.json must be a valid JSON object.',
    );
    assert.match(rejection('[]').reason, /must contain a JSON object/);
    assert.match(rejection('"1.6.0"').reason, /must contain a JSON object/);
  });

  void it('throws a ServerError subclass', () => {
    assert.ok(rejection('null') instanceof ServerError);
  });
});
