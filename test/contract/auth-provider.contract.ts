/**
 * @module The conformance suite every authentication provider must pass (the user-mapping provider, the
 * example extension, and the database, LDAP and JSON providers to come). A test file calls
 * {@link authProviderContract} with a factory and a few fixture users.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { AuthenticationService, SessionRegistry } from '../../src/auth/index.js';
import {
  AbstractAuthenticationProvider,
  ClientError,
  createEnvironment,
  CredentialsError,
  InsufficientCredentialsError,
  InvalidCredentialsError,
  SimpleAuthenticatedUser,
  SimpleUserContext,
  UnauthorizedError,
  Credentials,
  type AuthenticatedUser,
  type AuthenticationProvider,
  type Connection,
  type MaybePromise,
  type UserContext,
} from '../../src/extensions/api.js';

/** A connection a fixture user must see, as its configuration should carry it. */
export interface ContractConnection {
  /** The protocol. */
  readonly protocol: string;
  /** Every parameter, exactly (tokens unsubstituted). */
  readonly parameters: Readonly<Record<string, string>>;
}

/** A user the provider knows. */
export interface ContractUser {
  /** Builds credentials that log this user in. */
  readonly credentials: () => Credentials;
  /** The identifier the provider must report. */
  readonly identifier: string;
  /** Exactly the connections the user is authorized for, by identifier. */
  readonly connections: Readonly<Record<string, ContractConnection>>;
}

/** What a rejected login must produce. */
export type RejectionExpectation = 'null' | 'invalid';

/** The parameters of the suite. */
export interface AuthProviderContractOptions {
  /** Called after every test in the suite has run. */
  readonly cleanup?: () => MaybePromise<void>;
  /** Creates the provider (once for the suite, and once more to test shutdown). */
  readonly create: () => MaybePromise<AuthenticationProvider>;
  /** The identifier the provider must have. */
  readonly identifier: string;
  /** Credentials that need more fields, and the field names the error must ask for (if the provider has such a step). */
  readonly insufficient?: {
    readonly credentials: () => Credentials;
    readonly expectedFields: readonly string[];
  };
  /** The suite's name, e.g. the provider's. */
  readonly name: string;
  /** Credentials of nobody the provider knows, and what they must produce. Default expectation: null. */
  readonly unknownUser: {
    readonly credentials: () => Credentials;
    readonly expect?: RejectionExpectation;
  };
  /** At least one known user. */
  readonly users: readonly [ContractUser, ...ContractUser[]];
  /** A known user with a wrong password, and what it must produce. */
  readonly wrongPassword?: {
    readonly credentials: () => Credentials;
    readonly expect: RejectionExpectation;
  };
}

/** A provider standing for "some other extension". */
class ForeignProvider extends AbstractAuthenticationProvider {
  getIdentifier(): string {
    return 'contract-foreign';
  }
}

/** A user and an empty context from {@link ForeignProvider}. */
function foreignFixture(): { user: AuthenticatedUser; context: UserContext } {
  const foreign = new ForeignProvider(createEnvironment({ guacamoleHome: '/nonexistent' }));
  const credentials = new Credentials({ username: 'contract-foreign-user', password: 'x' });
  const user = new SimpleAuthenticatedUser({
    identifier: 'contract-foreign-user',
    authenticationProvider: foreign,
    credentials,
  });
  const context = new SimpleUserContext(foreign, { username: user.identifier, configurations: {} });
  return { user, context };
}

async function authenticate(
  provider: AuthenticationProvider,
  credentials: Credentials,
): Promise<AuthenticatedUser> {
  const user = await provider.authenticateUser(await provider.updateCredentials(credentials));
  assert.ok(user, 'the provider must authenticate a fixture user');
  return user;
}

async function expectRejection(
  provider: AuthenticationProvider,
  credentials: Credentials,
  expectation: RejectionExpectation,
): Promise<void> {
  if (expectation === 'null') {
    assert.equal((await provider.authenticateUser(credentials)) ?? null, null);
    return;
  }
  await assert.rejects(
    async () => await provider.authenticateUser(credentials),
    (error: unknown) =>
      error instanceof InvalidCredentialsError &&
      error instanceof UnauthorizedError &&
      error.credentialsInfo.expected.every((field) => field.name !== '' && field.type !== ''),
  );
}

/** Every connection reachable from the root group, walking child groups. */
async function reachableConnections(context: UserContext): Promise<Set<string>> {
  const groups = await context.getConnectionGroupDirectory();
  const found = new Set<string>();
  const seen = new Set<string>();
  const queue = [await context.getRootConnectionGroup()];
  for (let group = queue.shift(); group !== undefined; group = queue.shift()) {
    if (seen.has(group.identifier)) continue;
    seen.add(group.identifier);
    for (const id of await group.getConnectionIdentifiers()) found.add(id);
    queue.push(...(await groups.getAll(await group.getConnectionGroupIdentifiers())));
  }
  return found;
}

async function assertConnections(context: UserContext, user: ContractUser): Promise<void> {
  const directory = await context.getConnectionDirectory();
  const expected = Object.keys(user.connections).sort();
  assert.deepEqual([...(await directory.getIdentifiers())].sort(), expected);
  const reachable = await reachableConnections(context);
  for (const id of expected) {
    assert.ok(reachable.has(id), `connection ${id} must be reachable from the root group`);
    const connection: Connection | null | undefined = await directory.get(id);
    assert.ok(connection, `connection ${id} must be retrievable`);
    const configuration = await connection.getConfiguration();
    const want = user.connections[id];
    assert.equal(configuration.protocol, want?.protocol);
    assert.deepEqual(configuration.getParameters(), want?.parameters);
  }
}

/**
 * Defines the conformance suite for one provider.
 * @param options the provider factory and its fixtures
 */
export function authProviderContract(options: AuthProviderContractOptions): void {
  describe(`AuthenticationProvider contract: ${options.name}`, () => {
    let provider: AuthenticationProvider;
    before(async () => {
      provider = await options.create();
    });
    after(async () => {
      await provider.shutdown();
      await options.cleanup?.();
    });

    it('has a stable, non-empty identifier', () => {
      const identifier = provider.getIdentifier();
      assert.equal(identifier, options.identifier);
      assert.notEqual(identifier, '');
      assert.equal(provider.getIdentifier(), identifier);
    });

    it('returns credentials from updateCredentials', async () => {
      const updated = await provider.updateCredentials(options.users[0].credentials());
      assert.ok(updated instanceof Credentials);
    });

    it('does not authenticate unknown users', async () => {
      const { credentials, expect = 'null' } = options.unknownUser;
      await expectRejection(provider, credentials(), expect);
    });

    if (options.wrongPassword !== undefined) {
      const { credentials, expect } = options.wrongPassword;
      it(`answers a wrong password with ${expect === 'null' ? 'null' : 'InvalidCredentialsError'}`, async () => {
        await expectRejection(provider, credentials(), expect);
      });
    }

    if (options.insufficient !== undefined) {
      const { credentials, expectedFields } = options.insufficient;
      it('asks for more fields with InsufficientCredentialsError', async () => {
        await assert.rejects(
          async () => await provider.authenticateUser(credentials()),
          (error: unknown) =>
            error instanceof InsufficientCredentialsError &&
            error instanceof CredentialsError &&
            expectedFields.every((name) =>
              error.credentialsInfo.expected.some((field) => field.name === name),
            ),
        );
      });
    }

    for (const user of options.users) {
      describe(`user "${user.identifier}"`, () => {
        it('authenticates with its identifier, this provider and the login credentials', async () => {
          const credentials = user.credentials();
          const authenticated = await authenticate(provider, credentials);
          assert.equal(authenticated.identifier, user.identifier);
          assert.equal(authenticated.getAuthenticationProvider(), provider);
          assert.equal(authenticated.getCredentials().username, credentials.username);
        });

        it('gets a context listing exactly the authorized connections', async () => {
          const authenticated = await authenticate(provider, user.credentials());
          const context = await provider.getUserContext(authenticated);
          assert.ok(context, 'a user with connections must get a context');
          assert.equal(context.getAuthenticationProvider(), provider);
          assert.equal((await context.self()).identifier, user.identifier);
          await assertConnections(context, user);
        });

        it('keeps the user and the connections on re-authentication', async () => {
          const credentials = user.credentials();
          const authenticated = await authenticate(provider, credentials);
          const context = await provider.getUserContext(authenticated);
          assert.ok(context);
          const again = await provider.updateAuthenticatedUser(authenticated, user.credentials());
          assert.equal(again?.identifier, user.identifier);
          const updated = await provider.updateUserContext(context, again, user.credentials());
          assert.ok(updated, 'updateUserContext must keep a context for a valid user');
          await assertConnections(updated, user);
        });

        it('refreshes a session through the AuthenticationService with the same token', async () => {
          const service = new AuthenticationService({
            providers: [provider],
            sessions: new SessionRegistry({ sweepIntervalMs: 0 }),
          });
          const first = await service.authenticate(user.credentials());
          assert.equal(first.dataSource, options.identifier);
          assert.deepEqual(first.availableDataSources, [options.identifier]);
          const second = await service.authenticate(user.credentials(), first.token);
          assert.equal(second.token, first.token);
          assert.equal(second.authenticatedUser.identifier, user.identifier);
          await assertConnections(second.session.getUserContext(options.identifier), user);
          await service.sessions.shutdown();
        });
      });
    }

    it('fails only with client errors for a user another provider authenticated', async () => {
      const { user } = foreignFixture();
      try {
        await provider.getUserContext(user);
      } catch (error) {
        assert.ok(error instanceof ClientError, `unexpected ${String(error)}`);
      }
    });

    it('never claims another provider’s context when decorating it', async () => {
      const { user, context } = foreignFixture();
      const decorated = await provider.decorate(context, user, user.getCredentials());
      if (decorated !== null && decorated !== undefined) {
        assert.equal(decorated.getAuthenticationProvider(), context.getAuthenticationProvider());
      }
    });

    it('shuts down idempotently', async () => {
      const extra = await options.create();
      await extra.shutdown();
      await extra.shutdown();
    });
  });
}
