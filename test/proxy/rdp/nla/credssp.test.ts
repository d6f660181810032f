/**
 * @module The full CredSSP exchange in memory against a scripted NTLMv2 server that checks everything
 * independently (NTProofStr from the password it knows, MIC, signatures and sequence numbers, the
 * public-key binding per version, TSCredentials), then the failures: TSRequest errorCode named as an
 * NTSTATUS (769 for logon failures, 515 otherwise), a forged server binding, missing fields.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import { describe, it } from 'node:test';
import { GuacamoleError } from '../../../../src/protocol/index.js';
import { CredSspClient } from '../../../../src/proxy/rdp/nla/credssp.js';
import { encodeTsRequest } from '../../../../src/proxy/rdp/nla/ts-request.js';
import { FakeCredSspServer, type FakeCredSspOptions } from './fake-credssp-server.js';

const PUBLIC_KEY = randomBytes(270);
const ACCOUNT = { user: 'alice', domain: 'TESTDOM', password: 'pässword' };

function client(password = ACCOUNT.password): CredSspClient {
  return new CredSspClient({
    ...ACCOUNT,
    password,
    workstation: 'GUAC',
    publicKey: PUBLIC_KEY,
  });
}

/** Runs the exchange to its end or first error. */
function run(credssp: CredSspClient, options: Partial<FakeCredSspOptions> = {}): FakeCredSspServer {
  const server = new FakeCredSspServer({ ...ACCOUNT, publicKey: PUBLIC_KEY, ...options });
  let message = credssp.start();
  for (let round = 1; ; round++) {
    assert.ok(round <= 3, 'the exchange ends in three client messages');
    const reply = server.handle(message);
    if (reply === undefined) return server;
    const step = credssp.receive(reply);
    assert.equal(step.done, round === 2);
    message = step.reply;
  }
}

const failsWith = (status: number, pattern: RegExp) => (error: unknown) =>
  error instanceof GuacamoleError && error.status.guac === status && pattern.test(error.message);

describe('CredSSP client', () => {
  it('authenticates and delivers the credentials for versions 2 to 6, with and without MIC', () => {
    for (const version of [2, 3, 4, 5, 6]) {
      for (const timestamp of [true, false]) {
        const credssp = client();
        const server = run(credssp, { version, timestamp });
        assert.equal(credssp.version, version);
        assert.deepEqual(server.problems, [], `version ${version}`);
        assert.equal(server.micVerified, timestamp);
        assert.deepEqual(server.credentials, ACCOUNT);
      }
    }
  });

  it('names the NTSTATUS of a refused logon (769) and of other failures (515)', () => {
    assert.throws(
      () => run(client('wrong'), { errorCode: 0xc000006d }),
      failsWith(769, /incorrect \(STATUS_LOGON_FAILURE, 0xC000006D\)/),
    );
    assert.throws(
      () => run(client('wrong'), { errorCode: 0xc0000224 }),
      failsWith(769, /STATUS_PASSWORD_MUST_CHANGE/),
    );
    assert.throws(
      () => run(client('wrong'), { errorCode: 0xc0000001 }),
      failsWith(515, /NTSTATUS 0xC0000001/),
    );
  });

  it('refuses a server whose binding does not match the certificate, before sending the password', () => {
    const credssp = client();
    assert.throws(() => run(credssp, { badBinding: true }), failsWith(515, /public-key binding/));
  });

  it('refuses TSRequests without the expected field', () => {
    const noChallenge = client();
    noChallenge.start();
    assert.throws(
      () => noChallenge.receive(encodeTsRequest({ version: 6 })),
      failsWith(515, /no NTLM challenge/),
    );
    const old = client();
    old.start();
    assert.throws(
      () => old.receive(encodeTsRequest({ version: 1 })),
      failsWith(515, /CredSSP version 1/),
    );
    const credssp = client();
    const server = new FakeCredSspServer({ ...ACCOUNT, publicKey: PUBLIC_KEY });
    const challenge = server.handle(credssp.start());
    assert.ok(challenge !== undefined);
    credssp.receive(challenge);
    assert.throws(
      () => credssp.receive(encodeTsRequest({ version: 6 })),
      failsWith(515, /no pubKeyAuth/),
    );
  });
});
