/**
 * @module Tests of AuthenticationService against spec §3.9: credential updates, first-match
 * authentication and Insufficient/Invalid precedence, contexts from every provider, decoration order,
 * re-authentication with a token, skip-if-unavailable, and the events with their vetoes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  AuthenticationService,
  SessionRegistry,
  type AuthenticationServiceOptions,
} from '../../src/auth/index.js';
import {
  ClientError,
  ClientTooManyError,
  CredentialsError,
  CredentialsInfo,
  InsufficientCredentialsError,
  InvalidCredentialsError,
  SecurityError,
  ServerError,
  UnauthorizedError,
  type AuthenticationFailureEvent,
  type AuthenticationSuccessEvent,
  type GuacamoleEvent,
} from '../../src/extensions/api.js';
import {
  credentials,
  describeLayers,
  RecordingListener,
  StubProvider,
  type StubBehaviour,
} from './support.js';

function service(
  providers: StubProvider[],
  options: Partial<AuthenticationServiceOptions> = {},
): AuthenticationService {
  return new AuthenticationService({
    providers,
    sessions: new SessionRegistry({ sweepIntervalMs: 0 }),
    ...options,
  });
}

function stubs(...behaviours: StubBehaviour[]): StubProvider[] {
  return behaviours.map((behaviour, i) => new StubProvider(`p${i + 1}`, behaviour));
}

const invalid = (message: string): InvalidCredentialsError =>
  new InvalidCredentialsError(message, CredentialsInfo.USERNAME_PASSWORD);
const insufficient = (message: string): InsufficientCredentialsError =>
  new InsufficientCredentialsError(message, CredentialsInfo.EMPTY);

describe('AuthenticationService', () => {
  describe('credential updates', () => {
    it('passes the credentials through every provider in order before authenticating', async () => {
      const listener = new RecordingListener();
      const seen: (string | undefined)[] = [];
      const setter = new StubProvider('p1', {
        updateCredentials: (c) => {
          c.username = 'from-header';
          return c;
        },
      });
      const observer = new StubProvider('p2', {
        authenticate: (c) => {
          seen.push(c.username);
          return null;
        },
      });
      const authenticator = new StubProvider('p3', { authenticate: true });
      const auth = service([setter, observer, authenticator], { listeners: [listener] });
      const result = await auth.authenticate(credentials());
      assert.deepEqual(seen, ['from-header']);
      assert.equal(result.authenticatedUser.identifier, 'from-header');
      assert.deepEqual(
        [setter, observer, authenticator].map((provider) => provider.calls[0]),
        ['updateCredentials', 'updateCredentials', 'updateCredentials'],
      );
      const received = listener.events[0];
      assert.equal(received?.type, 'AuthenticationRequestReceivedEvent');
      assert.equal(received.credentials.username, 'from-header');
    });

    it('aborts with the error of a failing updateCredentials and reports it', async () => {
      const listener = new RecordingListener();
      const failure = new ServerError('down');
      const [p1, p2] = stubs({ updateCredentials: failure }, { authenticate: true });
      const auth = service([p1 as StubProvider, p2 as StubProvider], { listeners: [listener] });
      await assert.rejects(auth.authenticate(credentials('a')), failure);
      assert.deepEqual(p2?.calls, []);
      const event = listener.events.at(-1) as AuthenticationFailureEvent;
      assert.equal(event.type, 'AuthenticationFailureEvent');
      assert.equal(event.failure, failure);
      assert.equal(event.authenticationProvider?.getIdentifier(), 'p1');
    });
  });

  describe('first-match authentication', () => {
    it('takes the first non-null user and asks no further provider', async () => {
      const providers = stubs({}, { authenticate: true }, { authenticate: true });
      const result = await service(providers).authenticate(credentials('alice'));
      assert.equal(result.dataSource, 'p2');
      assert.equal(result.authenticatedUser.getAuthenticationProvider(), providers[1]);
      assert.equal(providers[2]?.calls.includes('authenticateUser'), false);
    });

    it('asks every provider for a context, whoever authenticated the user', async () => {
      const providers = stubs({ context: true }, { authenticate: true }, { context: true });
      const result = await service(providers).authenticate(credentials('alice'));
      assert.deepEqual(result.availableDataSources, ['p1', 'p3']);
      for (const provider of providers) assert.ok(provider.calls.includes('getUserContext'));
      assert.equal(result.session.getUserContext('p3').getAuthenticationProvider(), providers[2]);
    });

    it('fails with INVALID_CREDENTIALS "Permission Denied." when nobody recognises the user', async () => {
      const listener = new RecordingListener();
      await assert.rejects(
        service(stubs({}, {}), { listeners: [listener] }).authenticate(credentials('x', 'y')),
        (error: unknown) =>
          error instanceof InvalidCredentialsError &&
          error.message === 'Permission Denied.' &&
          error.credentialsInfo === CredentialsInfo.USERNAME_PASSWORD,
      );
      const failure = listener.events.at(-1) as AuthenticationFailureEvent;
      assert.equal(failure.authenticationProvider, undefined);
      assert.equal(failure.failure, undefined);
    });

    const precedence: {
      readonly name: string;
      readonly errors: readonly Error[];
      readonly expected: number;
    }[] = [
      {
        name: 'Insufficient after Invalid wins',
        errors: [invalid('a'), insufficient('b')],
        expected: 1,
      },
      {
        name: 'Insufficient before Invalid wins',
        errors: [insufficient('a'), invalid('b')],
        expected: 0,
      },
      { name: 'the first of two Invalids wins', errors: [invalid('a'), invalid('b')], expected: 0 },
      {
        name: 'the first of two Insufficients wins',
        errors: [insufficient('a'), insufficient('b')],
        expected: 0,
      },
      {
        name: 'a plain CredentialsError is not displaced by Insufficient',
        errors: [new CredentialsError('a'), insufficient('b')],
        expected: 0,
      },
      {
        name: 'the first Insufficient beats Invalids on both sides',
        errors: [invalid('a'), insufficient('b'), invalid('c'), insufficient('d')],
        expected: 1,
      },
    ];
    for (const { name, errors, expected } of precedence) {
      it(`rethrows the remembered credentials error: ${name}`, async () => {
        const listener = new RecordingListener();
        const providers = stubs(...errors.map((error) => ({ authenticate: error })));
        await assert.rejects(
          service(providers, { listeners: [listener] }).authenticate(credentials('u')),
          (error: unknown) => error === errors[expected],
        );
        const failure = listener.events.at(-1) as AuthenticationFailureEvent;
        assert.equal(failure.authenticationProvider?.getIdentifier(), `p${expected + 1}`);
        assert.equal(failure.failure, errors[expected]);
      });
    }

    it('lets a later provider authenticate after a credentials error', async () => {
      const providers = stubs({ authenticate: invalid('no') }, { authenticate: true });
      const result = await service(providers).authenticate(credentials('alice'));
      assert.equal(result.dataSource, 'p2');
    });

    it('aborts at once on a non-credentials error, even a client error', async () => {
      for (const failure of [new ServerError('db down'), new ClientError('bad request')]) {
        const providers = stubs(
          { authenticate: invalid('no') },
          { authenticate: failure },
          { authenticate: true },
        );
        await assert.rejects(service(providers).authenticate(credentials('a')), failure);
        assert.deepEqual(providers[2]?.calls, ['updateCredentials']);
      }
    });
  });

  describe('skip-if-unavailable', () => {
    it('skips a listed provider whose authenticateUser fails internally', async () => {
      const providers = stubs({ authenticate: new ServerError('db down') }, { authenticate: true });
      const auth = service(providers, { skipIfUnavailable: new Set(['p1']) });
      assert.equal((await auth.authenticate(credentials('a'))).dataSource, 'p2');
    });

    it('skips a listed provider whose getUserContext fails internally', async () => {
      const providers = stubs({ authenticate: true }, { context: new TypeError('bug') });
      const auth = service(providers, { skipIfUnavailable: new Set(['p2']) });
      assert.deepEqual((await auth.authenticate(credentials('a'))).availableDataSources, []);
    });

    it('never skips credential or other client errors', async () => {
      const providers = stubs({ authenticate: new ClientError('bad') }, { authenticate: true });
      const auth = service(providers, { skipIfUnavailable: new Set(['p1']) });
      await assert.rejects(auth.authenticate(credentials('a')), ClientError);
    });

    it('aborts the login when a getUserContext failure is not tolerated', async () => {
      const failure = new ServerError('ldap down');
      const providers = stubs({ authenticate: true }, { context: failure });
      await assert.rejects(service(providers).authenticate(credentials('a')), failure);
    });
  });

  describe('decoration', () => {
    it('wraps each context by every other provider, in provider order', async () => {
      const [a, b, c] = stubs(
        { decorates: true, context: true },
        { decorates: true, context: true, authenticate: true },
        { decorates: true },
      ) as [StubProvider, StubProvider, StubProvider];
      const result = await service([a, b, c]).authenticate(credentials('alice'));
      const [contextA, contextB] = result.session.getUserContexts();
      assert.ok(contextA && contextB);
      assert.equal(describeLayers(contextA), 'p3(p2(p1#1))');
      assert.equal(describeLayers(contextB), 'p3(p1(p2#1))');
      assert.deepEqual(
        a.calls.filter((call) => call.startsWith('decorate')),
        ['decorate:p2#1'],
      );
      assert.deepEqual(
        c.calls.filter((call) => call.startsWith('decorate')),
        ['decorate:p2(p1#1)', 'decorate:p1(p2#1)'],
      );
      assert.equal(contextB.undecorated.getAuthenticationProvider(), b);
      assert.equal(contextB.getAuthenticationProvider().getIdentifier(), 'p2');
    });

    it('keeps the context when a decorator returns null', async () => {
      const providers = stubs({ context: true, authenticate: true }, {});
      const result = await service(providers).authenticate(credentials('a'));
      assert.equal(describeLayers(result.session.getUserContext('p1')), 'p1#1');
    });

    it('aborts the login with a decorator error and names the decorator', async () => {
      const listener = new RecordingListener();
      const veto = new InsufficientCredentialsError('TOTP code needed', CredentialsInfo.EMPTY);
      const providers = stubs({ context: true, authenticate: true }, { decorateError: veto });
      const auth = service(providers, { listeners: [listener] });
      await assert.rejects(auth.authenticate(credentials('a')), veto);
      const failure = listener.events.at(-1) as AuthenticationFailureEvent;
      assert.equal(failure.authenticationProvider?.getIdentifier(), 'p2');
      assert.equal(auth.sessions.size, 0);
    });
  });

  describe('re-authentication with a token', () => {
    it('keeps the token, updates through the original provider and redecorates', async () => {
      const [a, b] = stubs(
        { context: true, decorates: true },
        { context: true, authenticate: true, decorates: true },
      ) as [StubProvider, StubProvider];
      const auth = service([a, b]);
      const first = await auth.authenticate(credentials('alice'));
      a.calls.length = 0;
      b.calls.length = 0;
      const second = await auth.authenticate(credentials('alice'), first.token);
      assert.equal(second.token, first.token);
      assert.equal(second.session, first.session);
      assert.equal(second.existingSession, true);
      assert.ok(b.calls.includes('updateAuthenticatedUser'));
      assert.ok(!a.calls.includes('updateAuthenticatedUser'));
      assert.ok(!a.calls.includes('authenticateUser') && !b.calls.includes('authenticateUser'));
      assert.ok(!a.calls.includes('getUserContext') && !b.calls.includes('getUserContext'));
      assert.ok(a.calls.includes('updateUserContext') && b.calls.includes('updateUserContext'));
      assert.deepEqual(
        a.calls.filter((call) => call.startsWith('redecorate')),
        ['redecorate:p1(p2#1)->p2#2'],
      );
      const [contextA, contextB] = second.session.getUserContexts();
      assert.ok(contextA && contextB);
      assert.equal(describeLayers(contextA), "p2'(p1#2)");
      assert.equal(describeLayers(contextB), "p1'(p2#2)");
    });

    it('drops a context whose provider returns null on update', async () => {
      const providers = stubs(
        { context: true, dropContextOnUpdate: true },
        { context: true, authenticate: true },
      );
      const auth = service(providers);
      const first = await auth.authenticate(credentials('alice'));
      assert.deepEqual(first.availableDataSources, ['p1', 'p2']);
      const second = await auth.authenticate(credentials('alice'), first.token);
      assert.deepEqual(second.availableDataSources, ['p2']);
    });

    it('fails with "User re-authentication failed." when the provider rejects it', async () => {
      const providers = stubs({ authenticate: true, rejectReauthentication: true });
      const auth = service(providers);
      const first = await auth.authenticate(credentials('alice'));
      await assert.rejects(
        auth.authenticate(credentials('alice'), first.token),
        (error: unknown) =>
          error instanceof SecurityError && error.message === 'User re-authentication failed.',
      );
    });

    it('treats an unknown token as a new login', async () => {
      const auth = service(stubs({ authenticate: true }));
      const result = await auth.authenticate(credentials('alice'), 'f'.repeat(64));
      assert.equal(result.existingSession, false);
      assert.notEqual(result.token, 'f'.repeat(64));
    });
  });

  describe('events and vetoes', () => {
    it('fires request-received then success, flagging refreshed sessions', async () => {
      const listener = new RecordingListener();
      const auth = service(stubs({ authenticate: true }), { listeners: [listener] });
      const { token } = await auth.authenticate(credentials('alice', 'pw'));
      await auth.authenticate(credentials('alice'), token);
      assert.deepEqual(listener.types(), [
        'AuthenticationRequestReceivedEvent',
        'AuthenticationSuccessEvent',
        'AuthenticationRequestReceivedEvent',
        'AuthenticationSuccessEvent',
      ]);
      const [first, second] = listener.events.filter(
        (event): event is AuthenticationSuccessEvent => event.type === 'AuthenticationSuccessEvent',
      );
      assert.equal(first?.existingSession, false);
      assert.equal(second?.existingSession, true);
      assert.equal(first.credentials.password, 'pw');
      assert.equal(first.authenticationProvider.getIdentifier(), 'p1');
    });

    it('lets a request-received veto abort before any provider, without a failure event', async () => {
      const ban = new ClientTooManyError('Too many failed attempts.');
      const listener = new RecordingListener(
        new Map([['AuthenticationRequestReceivedEvent', ban]]),
      );
      const providers = stubs({ authenticate: true });
      await assert.rejects(
        service(providers, { listeners: [listener] }).authenticate(credentials('a')),
        ban,
      );
      assert.deepEqual(listener.types(), ['AuthenticationRequestReceivedEvent']);
      assert.deepEqual(providers[0]?.calls, ['updateCredentials']);
    });

    it('turns a success veto into a failure and drops the new session', async () => {
      const veto = new SecurityError('Not today.');
      const listener = new RecordingListener(new Map([['AuthenticationSuccessEvent', veto]]));
      const context = stubs({ authenticate: true, context: true });
      const auth = service(context, { listeners: [listener] });
      await assert.rejects(auth.authenticate(credentials('a')), veto);
      const failure = listener.events.at(-1) as AuthenticationFailureEvent;
      assert.equal(failure.type, 'AuthenticationFailureEvent');
      assert.equal(failure.authenticationProvider, undefined);
      assert.equal(failure.failure, veto);
      assert.equal(auth.sessions.size, 0);
    });

    it('lets a failure listener replace the error (a ban answering 429)', async () => {
      const ban = new ClientTooManyError('Too many failed attempts.');
      const listener = new RecordingListener(new Map([['AuthenticationFailureEvent', ban]]));
      await assert.rejects(
        service(stubs({}), { listeners: [listener] }).authenticate(credentials('a')),
        ban,
      );
    });

    it('stops at the first vetoing listener', async () => {
      const first = new RecordingListener(
        new Map([['AuthenticationRequestReceivedEvent', new SecurityError('x')]]),
      );
      const second = new RecordingListener();
      await assert.rejects(
        service(stubs({ authenticate: true }), { listeners: [first, second] }).authenticate(
          credentials('a'),
        ),
      );
      assert.deepEqual(second.events, [] as GuacamoleEvent[]);
    });
  });

  describe('sessions', () => {
    it('looks sessions up by token and destroys them on logout', async () => {
      const providers = stubs({ authenticate: true, context: true });
      const auth = service(providers);
      const { token, session } = await auth.authenticate(credentials('alice'));
      assert.match(token, /^[0-9A-F]{64}$/);
      assert.equal(auth.getSession(token), session);
      assert.throws(() => auth.getSession('nope'), UnauthorizedError);
      assert.throws(() => auth.getSession(undefined), { message: 'Permission Denied.' });
      assert.equal(await auth.destroySession(token), true);
      assert.equal(await auth.destroySession(token), false);
      assert.throws(() => auth.getSession(token), UnauthorizedError);
    });

    it('shuts down once: sessions invalidated, then every provider', async () => {
      const providers = stubs({ authenticate: true, context: true }, {});
      const auth = service(providers);
      const { session } = await auth.authenticate(credentials('alice'));
      await Promise.all([auth.shutdown(), auth.shutdown()]);
      await auth.shutdown();
      assert.equal(auth.sessions.size, 0);
      assert.deepEqual(
        providers.map((provider) => provider.shutdowns),
        [1, 1],
      );
      assert.equal(session.getDataSources().length, 1);
    });
  });
});
