/** @module `POST /api/tokens` and `DELETE /api/tokens/{token}` (spec §6.2): bodies, errors, sources. */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import {
  AbstractAuthenticationProvider,
  createEnvironment,
  CredentialsInfo,
  Field,
  InsufficientCredentialsError,
  SimpleAuthenticatedUser,
  type AuthenticatedUser,
  type Credentials,
} from '../../src/extensions/api.js';
import { errorBody, startRest, USERNAME_PASSWORD, type RestHarness } from './support.js';

/** Records what providers see; asks for a TOTP code from `needs-code`. */
class SpyProvider extends AbstractAuthenticationProvider {
  readonly seen: Credentials[] = [];

  constructor() {
    super(createEnvironment({ guacamoleHome: '/nonexistent' }));
  }

  getIdentifier(): string {
    return 'spy';
  }

  override authenticateUser(credentials: Credentials): AuthenticatedUser | null {
    this.seen.push(credentials);
    if (
      credentials.username === 'needs-code' &&
      credentials.getParameter('guac-totp') !== '123456'
    ) {
      throw new InsufficientCredentialsError(
        'Verification code required.',
        new CredentialsInfo([new Field('guac-totp', 'GUAC_TOTP_CODE')]),
        { translatableMessage: { key: 'TOTP.INFO_CODE_REQUIRED' } },
      );
    }
    if (credentials.username !== 'needs-code') return null;
    return new SimpleAuthenticatedUser({
      identifier: 'needs-code',
      authenticationProvider: this,
      credentials,
    });
  }
}

describe('POST /api/tokens', () => {
  let rest: RestHarness;
  const spy = new SpyProvider();
  before(async () => {
    rest = await startRest({ providers: [spy] });
  });
  after(async () => {
    await rest.close();
  });

  it('answers a successful login with the token, user, data source and data sources', async () => {
    const reply = await rest.request('POST', '/api/tokens', {
      form: { username: 'alice', password: 'secret' },
    });
    assert.equal(reply.status, 200);
    assert.match(reply.headers.get('content-type') ?? '', /^application\/json/);
    const body = reply.json() as Record<string, unknown>;
    assert.match(String(body.authToken), /^[0-9A-F]{64}$/);
    assert.deepEqual(
      { ...body, authToken: 'T' },
      {
        authToken: 'T',
        username: 'alice',
        dataSource: 'default',
        availableDataSources: ['default'],
      },
    );
  });

  it('answers wrong credentials with 403 INVALID_CREDENTIALS and the login fields', async () => {
    const reply = await rest.request('POST', '/api/tokens', {
      form: { username: 'alice', password: 'wrong' },
    });
    assert.equal(reply.status, 403);
    assert.deepEqual(
      reply.json(),
      errorBody('Permission Denied.', 'INVALID_CREDENTIALS', { expected: USERNAME_PASSWORD }),
    );
  });

  it('answers a request without any credentials the same way (how the login form appears)', async () => {
    const reply = await rest.request('POST', '/api/tokens');
    assert.equal(reply.status, 403);
    assert.deepEqual(
      reply.json(),
      errorBody('Permission Denied.', 'INVALID_CREDENTIALS', { expected: USERNAME_PASSWORD }),
    );
  });

  it('reports INSUFFICIENT_CREDENTIALS with the extra fields and translatable message', async () => {
    const reply = await rest.request('POST', '/api/tokens', {
      form: { username: 'needs-code', password: 'x' },
    });
    assert.equal(reply.status, 403);
    assert.deepEqual(reply.json(), {
      message: 'Verification code required.',
      translatableMessage: { key: 'TOTP.INFO_CODE_REQUIRED' },
      statusCode: null,
      expected: [{ name: 'guac-totp', type: 'GUAC_TOTP_CODE' }],
      patches: null,
      type: 'INSUFFICIENT_CREDENTIALS',
    });
  });

  it('gives providers every form field, and never the query string', async () => {
    spy.seen.length = 0;
    const reply = await rest.request('POST', '/api/tokens?from-query=1', {
      form: [
        ['username', 'needs-code'],
        ['password', 'x'],
        ['guac-totp', '123456'],
        ['guac-totp', 'second'],
      ],
      headers: { 'X-Extra': 'header value' },
    });
    assert.equal(reply.status, 200);
    const credentials = spy.seen.at(-1);
    assert.ok(credentials);
    assert.equal(credentials.getParameter('guac-totp'), '123456');
    assert.deepEqual(credentials.getRequest().getParameterValues('guac-totp'), [
      '123456',
      'second',
    ]);
    assert.equal(credentials.getParameter('from-query'), undefined);
    assert.equal(credentials.getHeader('x-extra'), 'header value');
    assert.equal(credentials.getRemoteAddress(), '127.0.0.1');
    assert.equal(credentials.getRemoteHostname(), '127.0.0.1');
  });

  it('falls back to HTTP Basic when the form has neither username nor password', async () => {
    const basic = `Basic ${Buffer.from('alice:secret').toString('base64')}`;
    const reply = await rest.request('POST', '/api/tokens', { headers: { Authorization: basic } });
    assert.equal(reply.status, 200);
    assert.equal((reply.json() as { username: string }).username, 'alice');
  });

  it('splits Basic credentials at the first colon and decodes UTF-8', async () => {
    spy.seen.length = 0;
    const basic = `Basic ${Buffer.from('bøb:pa:ss').toString('base64')}`;
    await rest.request('POST', '/api/tokens', { headers: { Authorization: basic } });
    assert.equal(spy.seen.at(-1)?.username, 'bøb');
    assert.equal(spy.seen.at(-1)?.password, 'pa:ss');
  });

  it('ignores Basic credentials when the form has a username', async () => {
    const basic = `Basic ${Buffer.from('alice:secret').toString('base64')}`;
    const reply = await rest.request('POST', '/api/tokens', {
      headers: { Authorization: basic },
      form: { username: 'alice' },
    });
    assert.equal(reply.status, 403);
  });

  it('ignores a Basic header without a colon', async () => {
    const basic = `Basic ${Buffer.from('alice').toString('base64')}`;
    const reply = await rest.request('POST', '/api/tokens', { headers: { Authorization: basic } });
    assert.equal(reply.status, 403);
    assert.equal((reply.json() as { type: string }).type, 'INVALID_CREDENTIALS');
  });

  it('answers malformed Basic base64 as Java does: 500 "Unexpected internal error"', async () => {
    const reply = await rest.request('POST', '/api/tokens', {
      headers: { Authorization: 'Basic !!!' },
    });
    assert.equal(reply.status, 500);
    assert.deepEqual(reply.json(), errorBody('Unexpected internal error', 'INTERNAL_ERROR'));
  });

  it('refreshes an existing session with the token field, keeping the token', async () => {
    const token = await rest.login();
    const reply = await rest.request('POST', '/api/tokens', { form: { token } });
    assert.equal(reply.status, 200);
    assert.equal((reply.json() as { authToken: string }).authToken, token);
  });

  it('destroys the session named by the header token when credentials are refused', async () => {
    const token = await rest.login();
    const reply = await rest.request('POST', '/api/tokens', {
      token,
      form: { username: 'alice', password: 'wrong' },
    });
    assert.equal(reply.status, 403);
    assert.equal((await rest.request('HEAD', '/api/session', { token })).status, 403);
  });
});

describe('DELETE /api/tokens/{token}', () => {
  let rest: RestHarness;
  before(async () => {
    rest = await startRest();
  });
  after(async () => {
    await rest.close();
  });

  it('revokes the token with 204, then answers 404 "No such token."', async () => {
    const token = await rest.login();
    assert.equal((await rest.request('DELETE', `/api/tokens/${token}`)).status, 204);
    assert.equal((await rest.request('HEAD', '/api/session', { token })).status, 403);
    const again = await rest.request('DELETE', `/api/tokens/${token}`);
    assert.equal(again.status, 404);
    assert.deepEqual(again.json(), errorBody('No such token.', 'NOT_FOUND'));
  });

  it('answers other methods with 405', async () => {
    const reply = await rest.request('GET', '/api/tokens/abc');
    assert.equal(reply.status, 405);
    assert.equal(reply.headers.get('allow'), 'DELETE, OPTIONS');
  });
});

describe('api-max-request-size', () => {
  it("refuses a larger body with 413 and Java's CLIENT_OVERRUN body", async () => {
    const rest = await startRest({ properties: 'api-max-request-size: 64\n' });
    try {
      const reply = await rest.request('POST', '/api/tokens', {
        form: { username: 'alice', password: 'secret', padding: 'x'.repeat(100) },
      });
      assert.equal(reply.status, 413);
      assert.deepEqual(reply.json(), errorBody('Request body/entity too large.', 'BAD_REQUEST'));
      const huge = await rest.request('POST', '/api/tokens', {
        form: { username: 'alice', password: 'secret', padding: 'x'.repeat(5 << 20) },
      });
      assert.equal(huge.status, 413);
      const token = await rest.login();
      const json = await rest.request('PUT', '/api/session/data/default/self', {
        token,
        json: { attributes: { padding: 'x'.repeat(100) } },
      });
      assert.deepEqual(
        [json.status, json.json()],
        [413, errorBody('Request body/entity too large.', 'BAD_REQUEST')],
      );
      const small = await rest.request('POST', '/api/tokens', {
        form: { username: 'alice', password: 'secret' },
      });
      assert.equal(small.status, 200);
    } finally {
      await rest.close();
    }
  });

  it('limits nothing when set to 0', async () => {
    const rest = await startRest({ properties: 'api-max-request-size: 0\n' });
    try {
      const reply = await rest.request('POST', '/api/tokens', {
        form: { username: 'alice', password: 'secret', padding: 'x'.repeat(3 << 20) },
      });
      assert.equal(reply.status, 200);
    } finally {
      await rest.close();
    }
  });
});
