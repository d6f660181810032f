/**
 * @module Tests of AuthenticationProviderFacade (spec §2.6): inert providers that failed to start, and
 * the skip-if-unavailable policy for runtime errors.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { AuthenticationProviderFacade } from '../../src/auth/index.js';
import {
  ClientError,
  InvalidCredentialsError,
  ServerError,
  type AuthenticationProvider,
} from '../../src/extensions/api.js';
import { credentials, RecordingLogger, StubContext, StubProvider } from './support.js';

describe('AuthenticationProviderFacade', () => {
  describe('.create', () => {
    it('wraps the provider a factory returns', async () => {
      const provider = new StubProvider('ok');
      const facade = await AuthenticationProviderFacade.create(() => provider);
      assert.equal(facade.provider, provider);
      assert.equal(facade.isInert, false);
      assert.equal(facade.getIdentifier(), 'ok');
      assert.equal(facade.is(provider), true);
      assert.equal(facade.is(facade), true);
      assert.equal(facade.is(new StubProvider('ok')), false);
    });

    it('turns a failing constructor into an inert provider and logs it', async () => {
      const logger = new RecordingLogger();
      const facade = await AuthenticationProviderFacade.create(
        (): AuthenticationProvider => {
          throw new Error('missing ldap-user-base-dn');
        },
        { logger },
      );
      assert.equal(facade.isInert, true);
      assert.match(logger.at('error')[0] ?? '', /failed to start: missing ldap-user-base-dn/);
    });

    it('also accepts an async factory that rejects', async () => {
      const facade = await AuthenticationProviderFacade.create(async () => {
        await Promise.resolve();
        throw new Error('no');
      });
      assert.equal(facade.isInert, true);
    });
  });

  describe('an inert provider', () => {
    const facade = new AuthenticationProviderFacade(undefined);
    const owner = new StubProvider('owner', { authenticate: true });
    const context = new StubContext(owner, 'ctx');

    it('has a random but stable identifier', () => {
      const id = facade.getIdentifier();
      assert.match(id, /^[0-9a-f-]{36}$/);
      assert.equal(facade.getIdentifier(), id);
      assert.notEqual(new AuthenticationProviderFacade(undefined).getIdentifier(), id);
    });

    it('authenticates nobody, has no data and leaves everything unchanged', async () => {
      const input = credentials('a', 'b');
      const user = owner.authenticateUser(input);
      assert.ok(user);
      assert.equal(await facade.updateCredentials(input), input);
      assert.equal(await facade.authenticateUser(input), null);
      assert.equal(await facade.getUserContext(user), null);
      assert.equal(await facade.getResource(), undefined);
      assert.equal(await facade.decorate(context, user, input), context);
      assert.equal(await facade.redecorate(context, context, user, input), context);
      assert.equal(await facade.updateUserContext(context, user, input), null);
      assert.equal(await facade.updateAuthenticatedUser(user, input), null);
      await facade.shutdown();
    });
  });

  describe('runtime failures', () => {
    const failing = (error: Error): StubProvider =>
      new StubProvider('flaky', { authenticate: error, context: error });

    it('rethrows client errors (credentials included) even when tolerated', async () => {
      for (const error of [new InvalidCredentialsError('no'), new ClientError('bad')]) {
        const facade = new AuthenticationProviderFacade(failing(error), {
          skipIfUnavailable: new Set(['flaky']),
        });
        await assert.rejects(facade.authenticateUser(credentials('a')), error);
      }
    });

    it('skips a tolerated provider with a warning', async () => {
      const logger = new RecordingLogger();
      const provider = failing(new ServerError('db down'));
      const facade = new AuthenticationProviderFacade(provider, {
        skipIfUnavailable: new Set(['flaky']),
        logger,
      });
      assert.equal(await facade.authenticateUser(credentials('a')), null);
      const user = new StubProvider('x', { authenticate: true }).authenticateUser(credentials('a'));
      assert.ok(user);
      assert.equal(await facade.getUserContext(user), null);
      assert.match(
        logger.at('warn')[0] ?? '',
        /"flaky" authentication provider has been skipped .*: db down/,
      );
    });

    it('rethrows other errors (non-Guacamole ones too) and suggests skip-if-unavailable', async () => {
      const logger = new RecordingLogger();
      const bug = new TypeError('undefined is not a function');
      const facade = new AuthenticationProviderFacade(failing(bug), { logger });
      await assert.rejects(facade.authenticateUser(credentials('a')), bug);
      assert.match(logger.at('warn')[0] ?? '', /skip-if-unavailable: flaky/);
    });
  });

  describe('providers from extension modules', () => {
    it("treats the loader's inert placeholder as a provider that failed to start", async () => {
      const placeholder = { inert: true as const, getIdentifier: () => 'placeholder-id' };
      const facade = new AuthenticationProviderFacade(placeholder);
      assert.equal(facade.isInert, true);
      assert.equal(await facade.authenticateUser(credentials('a')), null);
    });

    it('gives a partial provider the defaults of AbstractAuthenticationProvider', async () => {
      const owner = new StubProvider('owner', { authenticate: true });
      const context = new StubContext(owner, 'ctx');
      const input = credentials('a');
      const user = owner.authenticateUser(input);
      assert.ok(user);
      const partial = new AuthenticationProviderFacade({ getIdentifier: () => 'partial' });
      assert.equal(await partial.updateCredentials(input), input);
      assert.equal(await partial.authenticateUser(input), null);
      assert.equal(await partial.getUserContext(user), null);
      assert.equal(await partial.updateAuthenticatedUser(user, input), user);
      assert.equal(await partial.updateUserContext(context, user, input), context);
      assert.equal(await partial.decorate(context, user, input), context);
      assert.equal(await partial.redecorate(context, context, user, input), context);
      assert.equal(await partial.getResource(), undefined);
      await partial.shutdown();
    });

    it('uses decorate for a missing redecorate', async () => {
      const owner = new StubProvider('owner', { authenticate: true });
      const input = credentials('a');
      const user = owner.authenticateUser(input);
      assert.ok(user);
      const wrapped: unknown[] = [];
      const facade = new AuthenticationProviderFacade({
        getIdentifier: () => 'decorator',
        decorate: (context) => {
          wrapped.push(context);
          return null;
        },
      });
      const fresh = new StubContext(owner, 'fresh');
      await facade.redecorate(new StubContext(owner, 'old'), fresh, user, input);
      assert.deepEqual(wrapped, [fresh]);
    });
  });

  describe('.wrap', () => {
    it('does not wrap a facade twice', () => {
      const facade = AuthenticationProviderFacade.wrap(new StubProvider('x'));
      assert.equal(AuthenticationProviderFacade.wrap(facade), facade);
    });
  });
});
