/**
 * @module `api/session` (spec §6.1–6.2): where the token comes from, HEAD and DELETE, 403 for a missing
 * or unknown token, expiry with a manual clock (never while a tunnel is open), and JAX-RS's 404 and 405.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { errorBody, startRest, type RestHarness } from './support.js';

const PERMISSION_DENIED = errorBody('Permission Denied.', 'PERMISSION_DENIED');

describe('api/session', () => {
  let rest: RestHarness;
  before(async () => {
    rest = await startRest();
  });
  after(async () => {
    await rest.close();
  });

  describe('token sources', () => {
    it('accepts the Guacamole-Token header', async () => {
      const token = await rest.login();
      assert.equal((await rest.request('HEAD', '/api/session', { token })).status, 204);
    });

    it('accepts the token query parameter', async () => {
      const token = await rest.login();
      const reply = await rest.request('HEAD', `/api/session?token=${token}`);
      assert.equal(reply.status, 204);
    });

    it('prefers the header, and treats an empty header as absent', async () => {
      const token = await rest.login();
      const wrongHeader = await rest.request('GET', `/api/session/tunnels?token=${token}`, {
        token: 'not-a-token',
      });
      assert.equal(wrongHeader.status, 403);
      const emptyHeader = await rest.request('GET', `/api/session/tunnels?token=${token}`, {
        headers: { 'Guacamole-Token': '' },
      });
      assert.equal(emptyHeader.status, 200);
    });

    it('treats an empty query token as absent', async () => {
      const reply = await rest.request('GET', '/api/session/tunnels?token=');
      assert.equal(reply.status, 403);
      assert.deepEqual(reply.json(), PERMISSION_DENIED);
    });

    it('answers a missing or unknown token with 403 PERMISSION_DENIED, never 401', async () => {
      for (const token of [undefined, 'F'.repeat(64)]) {
        const reply = await rest.request('GET', '/api/session/data/default/self', {
          ...(token === undefined ? {} : { token }),
        });
        assert.equal(reply.status, 403);
        assert.deepEqual(reply.json(), PERMISSION_DENIED);
      }
    });
  });

  describe('HEAD and DELETE', () => {
    it('logs out with DELETE (204), after which the token is refused', async () => {
      const token = await rest.login();
      assert.equal((await rest.request('DELETE', '/api/session', { token })).status, 204);
      assert.equal((await rest.request('HEAD', '/api/session', { token })).status, 403);
      assert.equal((await rest.request('DELETE', '/api/session', { token })).status, 403);
    });

    it('answers GET with 405 and the allowed methods', async () => {
      const token = await rest.login();
      const reply = await rest.request('GET', '/api/session', { token });
      assert.equal(reply.status, 405);
      assert.equal(reply.headers.get('allow'), 'DELETE, HEAD, OPTIONS');
      assert.equal(reply.text, '');
    });

    it('does not count HEAD as activity (the frontend polls it every 15 s)', async () => {
      const token = await rest.login();
      const session = rest.sessions.get(token);
      assert.ok(session);
      const before = session.lastAccessedTime;
      rest.clock.advance(1000);
      await rest.request('HEAD', '/api/session', { token });
      assert.equal(session.lastAccessedTime, before);
      await rest.request('GET', '/api/session/data/default/self', { token });
      assert.equal(session.lastAccessedTime, before + 1000);
    });
  });

  describe('expiry', () => {
    it('expires an idle session after api-session-timeout at the next sweep', async () => {
      const token = await rest.login();
      rest.clock.advance(59 * 60_000);
      await rest.sessions.sweep();
      assert.equal((await rest.request('HEAD', '/api/session', { token })).status, 204);
      rest.clock.advance(60_000);
      await rest.sessions.sweep();
      assert.equal((await rest.request('HEAD', '/api/session', { token })).status, 403);
    });

    it('keeps a session with an open tunnel, however idle', async () => {
      const token = await rest.login();
      const session = rest.sessions.get(token);
      assert.ok(session);
      let closeListener: (() => void) | undefined;
      session.addTunnel({
        uuid: '7e57e57e-0000-4000-8000-000000000000',
        close: () => closeListener?.(),
        onClose: (listener) => {
          closeListener = listener;
          return () => undefined;
        },
      });
      rest.clock.advance(24 * 60 * 60_000);
      await rest.sessions.sweep();
      assert.equal((await rest.request('HEAD', '/api/session', { token })).status, 204);
      closeListener?.();
      rest.clock.advance(61 * 60_000);
      await rest.sessions.sweep();
      assert.equal((await rest.request('HEAD', '/api/session', { token })).status, 403);
    });
  });

  describe('unknown paths', () => {
    it('checks the token before the path: 403 for a bad token, then an empty 404', async () => {
      assert.equal((await rest.request('GET', '/api/session/nowhere')).status, 403);
      const token = await rest.login();
      const reply = await rest.request('GET', '/api/session/nowhere', { token });
      assert.equal(reply.status, 404);
      assert.equal(reply.text, '');
    });

    it('answers unknown API paths with an empty 404, and is case-sensitive', async () => {
      for (const path of ['/api/nowhere', '/api/Languages', '/api/TOKENS']) {
        const reply = await rest.request('GET', path);
        assert.equal(reply.status, 404, path);
        assert.equal(reply.text, '');
      }
    });

    it('answers a malformed escape in the path with an empty 400', async () => {
      const token = await rest.login();
      const reply = await rest.request('GET', '/api/session/data/default/connections/%E0%A4%A', {
        token,
      });
      assert.deepEqual([reply.status, reply.text], [400, '']);
    });

    it("answers an unknown data source with 404 and Java's message", async () => {
      const token = await rest.login();
      const reply = await rest.request('GET', '/api/session/data/nope/self', { token });
      assert.equal(reply.status, 404);
      assert.deepEqual(
        reply.json(),
        errorBody('Session not associated with authentication provider "nope".', 'NOT_FOUND'),
      );
    });
  });
});
