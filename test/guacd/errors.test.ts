/**
 * @module Tests of the guacd error mapping, applied directly: Java's exceptions for every Node failure.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  ConnectTimeout,
  formatAddress,
  mapConnectError,
  mapGuacdIoError,
} from '../../src/guacd/errors.js';
import {
  ConnectionClosedError,
  ResourceNotFoundError,
  ServerError,
  UpstreamTimeoutError,
} from '../../src/protocol/index.js';

const TCP = { hostname: 'guacd.example', port: 4822, ssl: false };
const TLS = { ...TCP, ssl: true };

function ioError(code: string, message = `simulated ${code}`): Error {
  return Object.assign(new Error(message), { code });
}

describe('mapGuacdIoError', () => {
  for (const code of ['ECONNRESET', 'EPIPE', 'ECONNABORTED', 'ERR_STREAM_DESTROYED', 'ETIMEDOUT']) {
    it(`maps ${code} to ConnectionClosedError "Connection to guacd is closed."`, () => {
      const error = mapGuacdIoError(ioError(code));
      assert.ok(error instanceof ConnectionClosedError);
      assert.equal(error.message, 'Connection to guacd is closed.');
      assert.equal(error.status.guac, 512);
    });
  }

  it('maps any other error to ServerError quoting it', () => {
    const error = mapGuacdIoError(ioError('ERR_SSL_DECRYPTION_FAILED', 'bad record mac'));
    assert.ok(error instanceof ServerError && !(error instanceof ConnectionClosedError));
    assert.equal(error.message, 'I/O error on the connection to guacd: bad record mac');
    assert.equal(mapGuacdIoError('weird').message, 'I/O error on the connection to guacd: weird');
  });

  it('passes GuacamoleErrors through', () => {
    const original = new ResourceNotFoundError('x');
    assert.equal(mapGuacdIoError(original), original);
  });
});

describe('mapConnectError', () => {
  it('maps a TCP connect timeout to UpstreamTimeoutError "Connection timed out."', () => {
    const error = mapConnectError(new ConnectTimeout(15000), TCP);
    assert.ok(error instanceof UpstreamTimeoutError);
    assert.equal(error.message, 'Connection timed out.');
    assert.ok(error.cause instanceof ConnectTimeout);
  });

  it('maps a TLS connect timeout to ServerError, as SSLGuacamoleSocket', () => {
    const error = mapConnectError(new ConnectTimeout(15000), TLS);
    assert.ok(error instanceof ServerError);
    assert.equal(
      error.message,
      'Unable to connect to guacd at guacd.example:4822 over SSL/TLS: Connection timed out.',
    );
  });

  it('maps refused and other failures to ServerError naming host:port and the OS error', () => {
    const refused = ioError('ECONNREFUSED', 'connect ECONNREFUSED 10.0.0.1:4822');
    const error = mapConnectError(refused, TCP);
    assert.ok(error instanceof ServerError);
    assert.equal(
      error.message,
      'Unable to connect to guacd at guacd.example:4822: connect ECONNREFUSED 10.0.0.1:4822',
    );
    assert.equal(error.cause, refused);
    const dns = mapConnectError(ioError('ENOTFOUND', 'getaddrinfo ENOTFOUND x'), TLS);
    assert.ok(dns instanceof ServerError);
    assert.match(dns.message, / over SSL\/TLS: getaddrinfo ENOTFOUND x$/);
  });
});

describe('formatAddress', () => {
  it('brackets IPv6 literals', () => {
    assert.equal(formatAddress({ hostname: '::1', port: 4822 }), '[::1]:4822');
    assert.equal(formatAddress({ hostname: 'localhost', port: 4822 }), 'localhost:4822');
  });
});
