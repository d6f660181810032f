/**
 * @module Tests of SessionRegistry and GuacamoleSession with an injected clock: token format, idle expiry,
 * the open-tunnel exception, extension-invalidated sessions, the unref'd sweep timer, logout and
 * shutdown, and tunnel bookkeeping.
 */
import assert from 'node:assert/strict';
import { describe, it, mock } from 'node:test';
import { setImmediate as nextTurn } from 'node:timers/promises';
import {
  AuthenticationService,
  GuacamoleSession,
  ListenerService,
  SessionRegistry,
  generateAuthToken,
  tokensEqual,
} from '../../src/auth/index.js';
import { Configuration, parsePropertiesText } from '../../src/config/index.js';
import { ResourceNotFoundError } from '../../src/extensions/api.js';
import {
  credentials,
  FakeTunnel,
  ManualClock,
  RecordingListener,
  StubContext,
  StubProvider,
} from './support.js';

const MINUTE = 60_000;

/** Logs `alice` in through a stub provider that has a context, on the given registry. */
async function login(
  sessions: SessionRegistry,
  listener = new RecordingListener(),
): Promise<{ token: string; session: GuacamoleSession; context: StubContext }> {
  const provider = new StubProvider('stub', { authenticate: true, context: true });
  const auth = new AuthenticationService({
    providers: [provider],
    sessions,
    listeners: [listener],
  });
  const { token, session } = await auth.authenticate(credentials('alice'));
  const context = session.getUserContext('stub').undecorated;
  assert.ok(context instanceof StubContext);
  return { token, session, context };
}

describe('generateAuthToken', () => {
  it('gives 64 upper-case hex digits from 32 random bytes, as Java does', () => {
    const tokens = new Set(Array.from({ length: 50 }, () => generateAuthToken()));
    assert.equal(tokens.size, 50);
    for (const token of tokens) assert.match(token, /^[0-9A-F]{64}$/);
  });
});

describe('tokensEqual', () => {
  it('compares whole tokens of any length', () => {
    const token = generateAuthToken();
    assert.equal(tokensEqual(token, Buffer.from(token).toString()), true);
    assert.equal(tokensEqual(token, token.slice(0, 63)), false);
    assert.equal(tokensEqual(token, token.toLowerCase()), false);
    assert.equal(tokensEqual('', ''), true);
  });
});

describe('SessionRegistry', () => {
  it('stores sessions by token without marking them as used on lookup', async () => {
    const clock = new ManualClock();
    const sessions = new SessionRegistry({ now: clock.now, sweepIntervalMs: 0 });
    const { token, session } = await login(sessions);
    clock.advance(5_000);
    assert.equal(sessions.get(token), session);
    assert.equal(session.lastAccessedTime, clock.time - 5_000);
    assert.equal(sessions.get(''), undefined);
    assert.equal(sessions.get(undefined), undefined);
    assert.equal(sessions.get(token.toLowerCase()), undefined);
    assert.equal(sessions.size, 1);
  });

  it('expires a session idle for api-session-timeout minutes, not before', async () => {
    const clock = new ManualClock();
    const listener = new RecordingListener();
    const sessions = new SessionRegistry({ now: clock.now, sweepIntervalMs: 0, timeoutMinutes: 5 });
    const { token, session, context } = await login(sessions, listener);
    clock.advance(5 * MINUTE - 1);
    assert.equal(await sessions.sweep(), 0);
    session.getUserContexts();
    clock.advance(5 * MINUTE - 1);
    assert.equal(await sessions.sweep(), 0);
    clock.advance(1);
    assert.equal(await sessions.sweep(), 1);
    assert.equal(sessions.get(token), undefined);
    assert.equal(context.invalidated, 1);
    assert.equal(listener.types().at(-1), 'UserSessionInvalidatedEvent');
  });

  it('never expires a session while it has an open tunnel', async () => {
    const clock = new ManualClock();
    const sessions = new SessionRegistry({ now: clock.now, sweepIntervalMs: 0, timeoutMinutes: 1 });
    const { token, session } = await login(sessions);
    const tunnel = new FakeTunnel();
    session.addTunnel(tunnel);
    clock.advance(24 * 60 * MINUTE);
    assert.equal(await sessions.sweep(), 0);
    assert.equal(sessions.get(token), session);
    tunnel.close();
    assert.equal(session.hasTunnels(), false);
    assert.equal(await sessions.sweep(), 1);
  });

  it('evicts a session an extension marked invalid, closing its tunnels', async () => {
    const clock = new ManualClock();
    const sessions = new SessionRegistry({ now: clock.now, sweepIntervalMs: 0 });
    const { session, context } = await login(sessions);
    const tunnel = new FakeTunnel();
    session.addTunnel(tunnel);
    context.valid = false;
    assert.equal(session.isValid(), false);
    assert.equal(await sessions.sweep(), 1);
    assert.equal(tunnel.closed, true);
  });

  it('sweeps on an unref-ed timer every minute', async () => {
    mock.timers.enable({ apis: ['setInterval'] });
    try {
      const clock = new ManualClock();
      const sessions = new SessionRegistry({ now: clock.now, timeoutMinutes: 1 });
      const { token } = await login(sessions);
      clock.advance(MINUTE);
      mock.timers.tick(MINUTE - 1);
      await nextTurn();
      assert.equal(sessions.size, 1);
      mock.timers.tick(1);
      await nextTurn();
      assert.equal(sessions.get(token), undefined);
      await sessions.shutdown();
    } finally {
      mock.timers.reset();
    }
  });

  it('keeps no ref-ed timer alive', async () => {
    const timeouts = (): number =>
      process.getActiveResourcesInfo().filter((resource) => resource === 'Timeout').length;
    const before = timeouts();
    const sessions = new SessionRegistry();
    assert.equal(timeouts(), before);
    await sessions.shutdown();
  });

  it('destroys a session on logout', async () => {
    const sessions = new SessionRegistry({ sweepIntervalMs: 0 });
    const { token, context } = await login(sessions);
    assert.equal(await sessions.destroy(token), true);
    assert.equal(await sessions.destroy(token), false);
    assert.equal(context.invalidated, 1);
  });

  it('invalidates every session at shutdown, once', async () => {
    const sessions = new SessionRegistry({ sweepIntervalMs: 0 });
    const listener = new RecordingListener();
    const first = await login(sessions, listener);
    const second = await login(sessions, listener);
    await Promise.all([sessions.shutdown(), sessions.shutdown()]);
    assert.equal(sessions.size, 0);
    assert.equal(first.context.invalidated, 1);
    assert.equal(second.context.invalidated, 1);
    assert.equal(
      listener.types().filter((type) => type === 'UserSessionInvalidatedEvent').length,
      2,
    );
  });

  it('takes its timeout from api-session-timeout', () => {
    const file = parsePropertiesText('api-session-timeout: 15\n', 'guacamole.properties');
    const sessions = SessionRegistry.fromConfiguration(new Configuration({ file }), {
      sweepIntervalMs: 0,
    });
    assert.equal(sessions.timeoutMs, 15 * MINUTE);
    assert.equal(new SessionRegistry({ sweepIntervalMs: 0 }).timeoutMs, 60 * MINUTE);
  });
});

describe('GuacamoleSession', () => {
  it('tracks tunnels by UUID and forgets one when it closes', async () => {
    const { session } = await login(new SessionRegistry({ sweepIntervalMs: 0 }));
    const a = new FakeTunnel();
    const b = new FakeTunnel();
    session.addTunnel(a);
    session.addTunnel(b);
    assert.deepEqual([...session.getTunnels().keys()].sort(), [a.uuid, b.uuid].sort());
    a.close();
    assert.deepEqual([...session.getTunnels().keys()], [b.uuid]);
    assert.equal(session.removeTunnel(b.uuid), true);
    assert.equal(session.removeTunnel(b.uuid), false);
    assert.equal(b.closed, false);
    assert.equal(session.hasTunnels(), false);
  });

  it('counts reading the user, contexts or tunnels as activity', async () => {
    const clock = new ManualClock();
    const { session } = await login(new SessionRegistry({ now: clock.now, sweepIntervalMs: 0 }));
    clock.advance(1_000);
    session.getAuthenticatedUser();
    assert.equal(session.lastAccessedTime, clock.time);
    clock.advance(1_000);
    session.getTunnels();
    assert.equal(session.lastAccessedTime, clock.time);
  });

  it('finds contexts by data source and reports the missing ones', async () => {
    const { session } = await login(new SessionRegistry({ sweepIntervalMs: 0 }));
    assert.deepEqual(session.getDataSources(), ['stub']);
    assert.throws(
      () => session.getUserContext('mysql'),
      (error: unknown) =>
        error instanceof ResourceNotFoundError &&
        error.message === 'Session not associated with authentication provider "mysql".',
    );
  });

  it('invalidates once, closing tunnels and logging listener failures', async () => {
    const listener = new RecordingListener(
      new Map([['UserSessionInvalidatedEvent', new Error('listener bug')]]),
    );
    const { session, context } = await login(new SessionRegistry({ sweepIntervalMs: 0 }), listener);
    const tunnel = new FakeTunnel();
    session.addTunnel(tunnel);
    await Promise.all([session.invalidate(), session.invalidate()]);
    assert.equal(tunnel.closed, true);
    assert.equal(context.invalidated, 1);
    assert.equal(
      listener.types().filter((type) => type === 'UserSessionInvalidatedEvent').length,
      1,
    );
  });

  it('works without listeners', async () => {
    const user = new StubProvider('s', { authenticate: true }).authenticateUser(credentials('x'));
    assert.ok(user);
    const session = new GuacamoleSession({
      authenticatedUser: user,
      userContexts: [],
      listeners: new ListenerService(),
    });
    assert.equal(session.isValid(), true);
    await session.invalidate();
  });
});
