/**
 * @module Tests of Credentials, RequestDetails, the credential errors, CredentialsInfo and Field JSON.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  API_VERSION,
  BooleanField,
  CredentialsError,
  CredentialsInfo,
  Credentials,
  Field,
  FieldType,
  GuacamoleStatus,
  InsufficientCredentialsError,
  InvalidCredentialsError,
  RedirectField,
  RequestDetails,
  SecurityError,
  TranslatableClientTooManyError,
  UnauthorizedError,
  UserCredentials,
  getTranslatableMessage,
} from '../../src/extensions/api.js';

describe('API_VERSION', () => {
  it('is a semver string', () => {
    assert.match(API_VERSION, /^\d+\.\d+\.\d+$/);
  });
});

describe('RequestDetails', () => {
  const details = new RequestDetails({
    headers: new Map<string, string | string[]>([
      ['X-Remote-User', 'alice'],
      ['Accept', ['a', 'b']],
    ]),
    parameters: { username: 'u', multi: ['1', '2'], absent: undefined },
    cookies: { JSESSIONID: 'x' },
    remoteAddress: '10.0.0.5',
    remoteHostname: 'host',
  });

  it('matches header names case-insensitively and keeps repeated values', () => {
    assert.equal(details.getHeader('x-remote-user'), 'alice');
    assert.equal(details.getHeader('X-REMOTE-USER'), 'alice');
    assert.deepEqual(details.getHeaders('accept'), ['a', 'b']);
    assert.deepEqual(details.getHeaders('missing'), []);
    assert.deepEqual(details.getHeaderNames().sort(), ['accept', 'x-remote-user']);
  });

  it('matches parameter names exactly and skips undefined values', () => {
    assert.equal(details.getParameter('username'), 'u');
    assert.equal(details.getParameter('USERNAME'), undefined);
    assert.deepEqual(details.getParameterValues('multi'), ['1', '2']);
    assert.deepEqual(details.getParameterNames().sort(), ['multi', 'username']);
  });

  it('exposes cookies and the client address', () => {
    assert.equal(details.getCookie('JSESSIONID'), 'x');
    assert.deepEqual(details.getCookieNames(), ['JSESSIONID']);
    assert.equal(details.remoteAddress, '10.0.0.5');
    assert.equal(details.remoteHostname, 'host');
  });
});

describe('Credentials', () => {
  it('reads the request through getRequest() and the helpers', () => {
    const credentials = new Credentials({
      username: 'alice',
      request: {
        parameters: { 'guac-totp': '123456' },
        headers: { 'Guacamole-Token': 't' },
        remoteAddress: '10.0.0.5',
      },
    });
    assert.equal(credentials.getRequest().getParameter('guac-totp'), '123456');
    assert.equal(credentials.getParameter('guac-totp'), '123456');
    assert.equal(credentials.getHeader('guacamole-token'), 't');
    assert.equal(credentials.getRemoteAddress(), '10.0.0.5');
    assert.equal(credentials.getRemoteHostname(), undefined);
  });

  it('is empty only without username, password, parameters and token header', () => {
    assert.equal(new Credentials().isEmpty(), true);
    assert.equal(new Credentials({ username: '' }).isEmpty(), false);
    assert.equal(new Credentials({ password: '' }).isEmpty(), false);
    assert.equal(new Credentials({ request: { parameters: { data: 'x' } } }).isEmpty(), false);
    assert.equal(
      new Credentials({ request: { headers: { 'Guacamole-Token': 'x' } } }).isEmpty(),
      false,
    );
    assert.equal(new Credentials({ request: { headers: { Other: 'x' } } }).isEmpty(), true);
  });

  it('lets providers replace the username, password and request', () => {
    const credentials = new Credentials();
    credentials.username = 'set-by-header';
    credentials.requestDetails = new RequestDetails({ remoteAddress: '::1' });
    assert.equal(credentials.username, 'set-by-header');
    assert.equal(credentials.getRemoteAddress(), '::1');
  });
});

describe('credential errors', () => {
  it('are UnauthorizedErrors with status CLIENT_UNAUTHORIZED (HTTP 403)', () => {
    const invalid = new InvalidCredentialsError(
      'Invalid login.',
      CredentialsInfo.USERNAME_PASSWORD,
    );
    const insufficient = new InsufficientCredentialsError('More.', CredentialsInfo.EMPTY);
    for (const error of [invalid, insufficient]) {
      assert.ok(error instanceof CredentialsError);
      assert.ok(error instanceof UnauthorizedError);
      assert.ok(error instanceof SecurityError);
      assert.equal(error.status, GuacamoleStatus.CLIENT_UNAUTHORIZED);
      assert.equal(error.status.http, 403);
    }
    assert.equal(invalid.name, 'InvalidCredentialsError');
    assert.equal(insufficient.credentialsInfo, CredentialsInfo.EMPTY);
  });

  it('default to no expected fields and carry a translatable message when given', () => {
    const error = new InvalidCredentialsError('x', undefined, {
      translatableMessage: { key: 'LOGIN.INFO_IDP_REDIRECT_PENDING' },
    });
    assert.deepEqual(error.credentialsInfo.expected, []);
    assert.deepEqual(getTranslatableMessage(error), { key: 'LOGIN.INFO_IDP_REDIRECT_PENDING' });
    assert.equal(getTranslatableMessage(new Error('plain')), undefined);
  });

  it('include translatable client errors with their own statuses', () => {
    const ban = new TranslatableClientTooManyError('Too many.', {
      key: 'LOGIN.ERROR_TOO_MANY_ATTEMPTS',
    });
    assert.equal(ban.status.http, 429);
    assert.equal(getTranslatableMessage(ban)?.key, 'LOGIN.ERROR_TOO_MANY_ATTEMPTS');
  });
});

describe('CredentialsInfo and fields', () => {
  it('serializes USERNAME_PASSWORD exactly as the REST API does', () => {
    assert.equal(
      JSON.stringify(CredentialsInfo.USERNAME_PASSWORD.expected),
      '[{"name":"username","type":"USERNAME"},{"name":"password","type":"PASSWORD"}]',
    );
    assert.deepEqual(CredentialsInfo.EMPTY.expected, []);
  });

  it('omits absent properties and includes subclass ones', () => {
    assert.equal(
      JSON.stringify(new Field('guac-totp', 'GUAC_TOTP_CODE')),
      '{"name":"guac-totp","type":"GUAC_TOTP_CODE"}',
    );
    assert.equal(
      JSON.stringify(new BooleanField('remember', 'true')),
      '{"name":"remember","type":"BOOLEAN","options":["true"]}',
    );
    const redirect = new RedirectField('sso', 'https://idp/', {
      key: 'LOGIN.INFO_IDP_REDIRECT_PENDING',
    });
    assert.deepEqual(JSON.parse(JSON.stringify(redirect)), {
      name: 'sso',
      type: FieldType.REDIRECT,
      redirectUrl: 'https://idp/',
      translatableMessage: { key: 'LOGIN.INFO_IDP_REDIRECT_PENDING' },
    });
  });

  it('carries values for sharing credentials', () => {
    const share = new UserCredentials([new Field('key', FieldType.QUERY_PARAMETER)], {
      key: 'abc',
    });
    assert.deepEqual(share.values, { key: 'abc' });
    assert.equal(share.expected[0]?.type, 'QUERY_PARAMETER');
  });
});
