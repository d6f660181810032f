/**
 * @module VeNCrypt against a scripted server whose every write is cut into 1-byte pieces: sub-type
 * choice, Plain without TLS, TLSVnc over anonymous TLS, X509Plain over a verified certificate, and each
 * way the negotiation can fail.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type tls from 'node:tls';
import { after, before, describe, it } from 'node:test';
import {
  RfbAuthenticationError,
  VeNCryptSubtype as Sub,
  chooseSubtype,
  plainCredentials,
  vncAuthResponse,
  type VncClientOptions,
} from '../../../src/proxy/vnc/index.js';
import { rfb, type FakeVncConnection } from '../../fakes/fake-vnc-server.js';
import { run } from './harness.js';

const CHALLENGE = Buffer.from('000102030405060708090a0b0c0d0e0f', 'hex');
const ANONYMOUS: tls.TlsOptions = {
  ciphers: 'aNULL:@SECLEVEL=0',
  minVersion: 'TLSv1.2',
  maxVersion: 'TLSv1.2',
};

/** The server side up to the client's sub-type choice; returns the chosen sub-type. */
async function negotiate(c: FakeVncConnection, subtypes: number[]): Promise<number> {
  await c.send(Buffer.from('RFB 003.008\n'));
  await c.read(12);
  await c.send(rfb.u8(1, 19));
  assert.equal((await c.read(1))[0], 19);
  await c.send(rfb.u8(0, 2));
  assert.deepEqual([...(await c.read(2))], [0, 2]);
  await c.send(rfb.u8(0, subtypes.length), rfb.u32(...subtypes));
  return (await c.read(4)).readUInt32BE(0);
}

/** SecurityResult OK, ClientInit, ServerInit. */
async function finish(c: FakeVncConnection): Promise<void> {
  await c.send(rfb.u32(0));
  await c.read(1);
  await c.send(rfb.serverInit(4, 3));
  await c.waitClosed();
}

/** Runs a script and resolves with the ServerInit's sub-type, or rejects with the client's error. */
async function connect(
  script: (c: FakeVncConnection) => Promise<void>,
  options: VncClientOptions,
): Promise<number | undefined> {
  const r = await run(script, options, { maxPiece: 1 });
  try {
    return await new Promise((resolve, reject) => {
      r.client.once('ready', (init) => {
        resolve(init.subtype);
      });
      void r.ended.then((error) => {
        reject(error ?? new Error('closed'));
      });
    });
  } finally {
    r.client.close();
    await r.server.close();
    assert.deepEqual(r.server.errors, []);
  }
}

async function failure(
  script: (c: FakeVncConnection) => Promise<void>,
  options: VncClientOptions = {},
) {
  const r = await run(script, options, { maxPiece: 1 });
  const error = await r.ended;
  await r.server.close();
  assert.ok(error, 'the connection failed');
  return error;
}

describe('VeNCrypt', () => {
  let dir = '';
  let key = '';
  let cert = '';

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'vencrypt-'));
    const result = spawnSync('openssl', [
      'req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-keyout', join(dir, 'key.pem'),
      '-out', join(dir, 'cert.pem'), '-subj', '/CN=localhost',
      '-addext', 'subjectAltName=DNS:localhost,IP:127.0.0.1', '-days', '2',
    ]); // prettier-ignore
    assert.equal(result.status, 0, `openssl failed: ${String(result.stderr)}`);
    key = readFileSync(join(dir, 'key.pem'), 'utf8');
    cert = readFileSync(join(dir, 'cert.pem'), 'utf8');
  });

  after(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('prefers an encrypted sub-type it has credentials for, in the server order', () => {
    const password = { username: undefined, password: 'pw' };
    const both = { username: 'ann', password: 'pw' };
    const none = { username: undefined, password: undefined };
    assert.equal(chooseSubtype([2, Sub.TLS_VNC, Sub.PLAIN], password), Sub.TLS_VNC);
    assert.equal(chooseSubtype([Sub.TLS_PLAIN, 2], password), 2);
    assert.equal(chooseSubtype([Sub.PLAIN, Sub.X509_PLAIN, Sub.TLS_PLAIN], both), Sub.X509_PLAIN);
    assert.equal(chooseSubtype([Sub.X509_VNC, 1], none), 1);
    // Nothing satisfiable: the first supported one, whose exchange reports the missing credentials.
    assert.equal(chooseSubtype([263, Sub.PLAIN], none), Sub.PLAIN);
    assert.equal(chooseSubtype([263, 30], both), undefined);
  });

  it('sends Plain credentials without TLS', async () => {
    let sent: Buffer | undefined;
    const subtype = await connect(
      async (c) => {
        assert.equal(await negotiate(c, [Sub.PLAIN]), Sub.PLAIN);
        sent = await c.read(8 + 3 + 6);
        await finish(c);
      },
      { username: 'ann', password: 'pässw' },
    );
    assert.equal(subtype, Sub.PLAIN);
    assert.deepEqual(sent, Buffer.from(plainCredentials('ann', 'pässw')));
    assert.equal(
      Buffer.from(plainCredentials('ann', 'pässw')).toString('hex', 0, 8),
      '0000000300000006',
    );
  });

  it('runs VNC Authentication inside anonymous TLS (TLSVnc)', async () => {
    let response: Buffer | undefined;
    const subtype = await connect(
      async (c) => {
        assert.equal(await negotiate(c, [Sub.TLS_VNC]), Sub.TLS_VNC);
        await c.send(rfb.u8(1));
        await c.startTls(ANONYMOUS);
        await c.send(CHALLENGE);
        response = await c.read(16);
        await finish(c);
      },
      { password: 'password' },
    );
    assert.equal(subtype, Sub.TLS_VNC);
    assert.deepEqual(response, Buffer.from(vncAuthResponse('password', CHALLENGE)));
  });

  it('runs Plain inside TLS with a certificate the client trusts (X509Plain)', async () => {
    let sent: Buffer | undefined;
    const subtype = await connect(
      async (c) => {
        assert.equal(await negotiate(c, [Sub.X509_PLAIN]), Sub.X509_PLAIN);
        await c.send(rfb.u8(1));
        await c.startTls({ key, cert });
        sent = await c.read(8 + 3 + 2);
        await finish(c);
      },
      { username: 'ann', password: 'pw', tls: { ca: cert, host: 'localhost' } },
    );
    assert.equal(subtype, Sub.X509_PLAIN);
    assert.equal(sent?.subarray(8).toString(), 'annpw');
  });

  it('refuses a certificate it does not trust', async () => {
    const error = await failure(
      async (c) => {
        await negotiate(c, [Sub.X509_NONE]);
        await c.send(rfb.u8(1));
        await c.startTls({ key, cert }).catch(() => undefined);
      },
      { tls: { host: 'localhost' } },
    );
    assert.equal(error.code, 'RFB_TLS_FAILED', error.message);
  });

  const failures: [string, (c: FakeVncConnection) => Promise<void>, string][] = [
    [
      'an old VeNCrypt version',
      async (c) => {
        await c.send(Buffer.from('RFB 003.008\n'));
        await c.read(12);
        await c.send(rfb.u8(1, 19));
        await c.read(1);
        await c.send(rfb.u8(0, 1));
        await c.waitClosed();
      },
      'RFB_VENCRYPT_VERSION',
    ],
    [
      'a refused version',
      async (c) => {
        await c.send(Buffer.from('RFB 003.008\n'));
        await c.read(12);
        await c.send(rfb.u8(1, 19));
        await c.read(1);
        await c.send(rfb.u8(0, 2));
        await c.read(2);
        await c.send(rfb.u8(1));
        await c.waitClosed();
      },
      'RFB_VENCRYPT_VERSION',
    ],
    [
      'no sub-types',
      async (c) => {
        await negotiate(c, []).catch(() => undefined);
        await c.waitClosed();
      },
      'RFB_UNSUPPORTED_SECURITY',
    ],
    [
      'only unsupported sub-types',
      async (c) => {
        await negotiate(c, [263, 30]).catch(() => undefined);
        await c.waitClosed();
      },
      'RFB_UNSUPPORTED_SECURITY',
    ],
    [
      'a refused TLS sub-type (ack 0)',
      async (c) => {
        await negotiate(c, [Sub.TLS_NONE]);
        await c.send(rfb.u8(0));
        await c.waitClosed();
      },
      'RFB_AUTH_FAILED',
    ],
    [
      'plain text after the ack instead of a TLS handshake',
      async (c) => {
        await negotiate(c, [Sub.TLS_NONE]);
        await c.send(rfb.u8(1), Buffer.from('no TLS here, sorry\n'));
        await c.waitClosed();
      },
      'RFB_TLS_FAILED',
    ],
    [
      'Plain without a username',
      async (c) => {
        await negotiate(c, [Sub.PLAIN]);
        await c.waitClosed();
      },
      'RFB_CREDENTIALS_REQUIRED',
    ],
    [
      'rejected Plain credentials',
      async (c) => {
        await negotiate(c, [Sub.PLAIN, 1]);
        await c.read(8 + 3 + 2);
        await c.send(rfb.u32(1), rfb.string('Authentication failure'));
        await c.waitClosed();
      },
      'RFB_AUTH_FAILED',
    ],
  ];
  for (const [what, script, code] of failures) {
    it(`fails with ${code} on ${what}`, async () => {
      const options =
        what === 'rejected Plain credentials' ? { username: 'ann', password: 'pw' } : {};
      const error = await failure(script, { password: 'pw', ...options });
      assert.equal(error.code, code, error.message);
      if (code === 'RFB_CREDENTIALS_REQUIRED' || code === 'RFB_AUTH_FAILED') {
        assert.ok(error instanceof RfbAuthenticationError);
      }
    });
  }
});
