/**
 * @module RdpClient with NLA against a scripted server on port 0 that selects PROTOCOL_HYBRID and plays
 * CredSSP over the TLS stream, writing every reply one byte at a time: the requested protocols per
 * `security`, a full exchange ending in activation, a TSRequest errorCode and a server hanging up
 * during CredSSP (both 769), a forged binding (515), HYBRID_EX's Early User Authorization Result.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { X509Certificate } from 'node:crypto';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { afterEach, before, describe, it } from 'node:test';
import type { GuacamoleError } from '../../../../src/protocol/index.js';
import { RdpClient, parseRdpSettings } from '../../../../src/proxy/rdp/index.js';
import { certificatePublicKey } from '../../../../src/proxy/rdp/nla/index.js';
import { within } from '../../helpers.js';
import { FakeRdpServer, activate, connectionConfirm } from '../fake-server.js';
import { FakeCredSspServer, type FakeCredSspOptions } from './fake-credssp-server.js';

let key = '';
let cert = '';
let publicKey: Buffer = Buffer.alloc(0);

before(() => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'nla-cert-'));
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1', '-subj', '/CN=x'];
  args.push('-keyout', path.join(dir, 'k'), '-out', path.join(dir, 'c'));
  assert.equal(spawnSync('openssl', args).status, 0);
  key = readFileSync(path.join(dir, 'k'), 'utf8');
  cert = readFileSync(path.join(dir, 'c'), 'utf8');
  rmSync(dir, { recursive: true });
  publicKey = certificatePublicKey(new X509Certificate(cert));
});

const ACCOUNT = { user: 'alice', domain: 'TESTDOM', password: 'secret' };

function connect(port: number, extra: Record<string, string> = {}): RdpClient {
  const settings = parseRdpSettings({
    hostname: '127.0.0.1',
    port: String(port),
    username: ACCOUNT.user,
    domain: ACCOUNT.domain,
    password: ACCOUNT.password,
    'ignore-cert': 'true',
    width: '64',
    height: '48',
    ...extra,
  });
  return new RdpClient(net.connect({ host: '127.0.0.1', port }), settings);
}

function fakeCredSsp(options: Partial<FakeCredSspOptions> = {}): FakeCredSspServer {
  return new FakeCredSspServer({ ...ACCOUNT, publicKey, ...options });
}

async function failure(client: RdpClient): Promise<GuacamoleError> {
  const [error] = (await within(once(client, 'error'))) as [GuacamoleError];
  return error;
}

describe('RdpClient with NLA', () => {
  let server: FakeRdpServer | undefined;
  afterEach(async () => {
    await server?.close();
    server = undefined;
  });

  it('asks for TLS or CredSSP by default and for CredSSP alone with security=nla', async () => {
    const requested: number[] = [];
    server = await FakeRdpServer.start(async (c) => {
      const request = await c.next();
      requested.push(request?.data.readUInt32LE(request.data.length - 4) ?? -1);
      c.close();
    });
    for (const security of ['any', 'nla', 'nla-ext', 'tls']) {
      const client = connect(server.port, { security });
      await within(once(client, 'close'));
    }
    assert.deepEqual(requested, [3, 2, 10, 1]);
  });

  it('authenticates with CredSSP before MCS and activates, with 1-byte writes', async () => {
    const credssp = fakeCredSsp();
    server = await FakeRdpServer.start(async (c) => {
      c.split = true;
      await activate(c, { key, cert, credssp: (request) => credssp.handle(request) });
    });
    const client = connect(server.port, { security: 'nla' });
    try {
      assert.deepEqual(await within(once(client, 'ready')), [64, 48]);
      await within(server.done());
      assert.deepEqual(credssp.problems, []);
      assert.ok(credssp.micVerified);
      assert.deepEqual(credssp.credentials, ACCOUNT);
    } finally {
      client.close();
    }
  });

  it('ends with 769 naming the NTSTATUS when the server returns an errorCode', async () => {
    const credssp = fakeCredSsp({ password: 'other', errorCode: 0xc000006d });
    server = await FakeRdpServer.start(async (c) => {
      await c.next();
      await c.write(connectionConfirm(2));
      await c.startTls(key, cert);
      await c.credssp((request) => credssp.handle(request));
    });
    const error = await failure(connect(server.port));
    assert.equal(error.status.guac, 769);
    assert.match(error.message, /STATUS_LOGON_FAILURE/);
  });

  it('ends with 769 when the server hangs up during CredSSP, and 515 for a forged binding', async () => {
    server = await FakeRdpServer.start(async (c) => {
      await c.next();
      await c.write(connectionConfirm(2));
      await c.startTls(key, cert);
      let first = true;
      await c.credssp(() => {
        if (!first) return undefined;
        first = false;
        c.close();
        return undefined;
      });
    });
    const closed = await failure(connect(server.port));
    assert.equal(closed.status.guac, 769);
    assert.match(closed.message, /closed the connection during CredSSP/);
    await server.close();

    const credssp = fakeCredSsp({ badBinding: true });
    let sentAfter = 0;
    server = await FakeRdpServer.start(async (c) => {
      await c.next();
      await c.write(connectionConfirm(2));
      await c.startTls(key, cert);
      await c.credssp((request) => {
        if (credssp.micVerified) sentAfter++;
        return credssp.handle(request);
      });
    });
    const forged = await failure(connect(server.port));
    assert.equal(forged.status.guac, 515);
    assert.match(forged.message, /public-key binding does not match/);
    assert.equal(sentAfter, 0, 'no authInfo (password) after a bad binding');
    assert.equal(credssp.credentials, undefined);
  });

  it('reads the Early User Authorization Result with HYBRID_EX', async () => {
    /** A server selecting HYBRID_EX that sends `result` after CredSSP; resolves with the next frame. */
    const script = async (result: number) => {
      const credssp = fakeCredSsp();
      let reached: (frame: Buffer | undefined) => void = () => undefined;
      const next = new Promise<Buffer | undefined>((resolve) => (reached = resolve));
      const fake = await FakeRdpServer.start(async (c) => {
        await c.next();
        await c.write(connectionConfirm(8));
        await c.startTls(key, cert);
        await c.credssp((request) => credssp.handle(request));
        const early = Buffer.alloc(4);
        early.writeUInt32LE(result);
        await c.write(early);
        reached((await c.next())?.data);
      });
      return { fake, next };
    };
    const allowed = await script(0);
    server = allowed.fake;
    const client = connect(server.port, { security: 'nla-ext' });
    const mcs = await within(allowed.next);
    // MCS Connect Initial (BER application tag 101 after the X.224 Data header).
    assert.deepEqual([...(mcs?.subarray(7, 9) ?? [])], [0x7f, 0x65]);
    client.close();
    await server.close();

    const denied = await script(5);
    server = denied.fake;
    const error = await failure(connect(server.port, { security: 'nla-ext' }));
    assert.equal(error.status.guac, 769);
    assert.match(error.message, /ACCESS_DENIED/);
    assert.equal(await within(denied.next), undefined, 'no MCS after ACCESS_DENIED');
  });
});
