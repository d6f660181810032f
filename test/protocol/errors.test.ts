import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ClientBadTypeError,
  ClientError,
  ClientOverrunError,
  ClientTimeoutError,
  ClientTooManyError,
  ConnectionClosedError,
  errorFromStatus,
  errorFromWireCode,
  GuacamoleError,
  isClientError,
  ResourceClosedError,
  ResourceConflictError,
  ResourceNotFoundError,
  SecurityError,
  ServerBusyError,
  ServerError,
  SessionClosedError,
  SessionConflictError,
  SessionTimeoutError,
  UnauthorizedError,
  UnsupportedError,
  UpstreamError,
  UpstreamNotFoundError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
} from '../../src/protocol/errors.js';
import { GuacamoleStatus, type StatusName } from '../../src/protocol/status.js';

type ErrorClass = abstract new (...args: never[]) => GuacamoleError;

/** `GuacamoleStatus.toException` (§4): the class each non-SUCCESS status becomes. */
const CLASS_OF: Readonly<Record<Exclude<StatusName, 'SUCCESS'>, ErrorClass>> = {
  UNSUPPORTED: UnsupportedError,
  SERVER_ERROR: ServerError,
  SERVER_BUSY: ServerBusyError,
  UPSTREAM_TIMEOUT: UpstreamTimeoutError,
  UPSTREAM_ERROR: UpstreamError,
  RESOURCE_NOT_FOUND: ResourceNotFoundError,
  RESOURCE_CONFLICT: ResourceConflictError,
  RESOURCE_CLOSED: ResourceClosedError,
  UPSTREAM_NOT_FOUND: UpstreamNotFoundError,
  UPSTREAM_UNAVAILABLE: UpstreamUnavailableError,
  SESSION_CONFLICT: SessionConflictError,
  SESSION_TIMEOUT: SessionTimeoutError,
  SESSION_CLOSED: SessionClosedError,
  CLIENT_BAD_REQUEST: ClientError,
  CLIENT_UNAUTHORIZED: UnauthorizedError,
  CLIENT_FORBIDDEN: SecurityError,
  CLIENT_TIMEOUT: ClientTimeoutError,
  CLIENT_OVERRUN: ClientOverrunError,
  CLIENT_BAD_TYPE: ClientBadTypeError,
  CLIENT_TOO_MANY: ClientTooManyError,
};

/** The codes whose messages the HTTP tunnel shows the client (§11 item 13). */
const CLIENT_CODES = new Set([768, 769, 771, 776, 781, 783, 797, 516, 517, 518]);

const ERROR_STATUSES = Object.values(GuacamoleStatus).filter((s) => s.name !== 'SUCCESS');

void describe('errorFromStatus', () => {
  for (const status of ERROR_STATUSES) {
    void it(`builds an error that keeps ${status.name} and the message`, () => {
      const message = `Test message: ${status.name}`;
      const error = errorFromStatus(status, message);
      assert.equal(error.status, status);
      assert.equal(error.message, message);
      assert.ok(error instanceof GuacamoleError);
      assert.ok(error instanceof Error);
    });
  }

  for (const [name, type] of Object.entries(CLASS_OF)) {
    void it(`builds a ${type.name} for ${name}`, () => {
      const error = errorFromStatus(GuacamoleStatus[name as StatusName], 'x');
      assert.equal(error.constructor, type);
      assert.equal(error.name, type.name);
    });
  }

  void it('refuses SUCCESS, which is not an error', () => {
    assert.throws(() => errorFromStatus(GuacamoleStatus.SUCCESS, 'ok'), RangeError);
  });
});

void describe('error classes', () => {
  for (const [name, type] of Object.entries(CLASS_OF)) {
    void it(`gives a new ${type.name} the status ${name}`, () => {
      const Concrete = type as unknown as new (message: string) => GuacamoleError;
      assert.equal(new Concrete('m').status, GuacamoleStatus[name as StatusName]);
    });
  }

  void it('defaults a plain GuacamoleError to SERVER_ERROR', () => {
    assert.equal(new GuacamoleError('m').status, GuacamoleStatus.SERVER_ERROR);
  });

  void it('gives ConnectionClosedError SERVER_ERROR, as a ServerError', () => {
    const error = new ConnectionClosedError('closed');
    assert.equal(error.status, GuacamoleStatus.SERVER_ERROR);
    assert.ok(error instanceof ServerError);
    assert.equal(isClientError(error), false);
  });

  void it('keeps the cause and the stable code', () => {
    const cause = new Error('socket reset');
    const error = new UpstreamError('guacd failed', { cause, code: 'GUAC_ERR_X' });
    assert.equal(error.cause, cause);
    assert.equal(error.code, 'GUAC_ERR_X');
    const plain = new UpstreamError('guacd failed');
    assert.equal(plain.code, undefined);
    assert.equal('cause' in plain, false);
  });

  void it('mirrors the guacamole-common hierarchy', () => {
    const parents: readonly (readonly [ErrorClass, ErrorClass])[] = [
      [ClientBadTypeError, ClientError],
      [ClientOverrunError, ClientError],
      [ClientTimeoutError, ClientError],
      [ClientTooManyError, ClientError],
      [ResourceClosedError, ClientError],
      [ResourceConflictError, ClientError],
      [ResourceNotFoundError, ClientError],
      [SecurityError, ClientError],
      [UnauthorizedError, SecurityError],
      [ConnectionClosedError, ServerError],
      [ServerBusyError, ServerError],
      [UnsupportedError, ServerError],
      [UpstreamNotFoundError, UpstreamError],
      [UpstreamTimeoutError, UpstreamError],
      [UpstreamUnavailableError, UpstreamError],
      [SessionClosedError, UpstreamError],
      [SessionConflictError, UpstreamError],
      [SessionTimeoutError, UpstreamError],
      [ClientError, GuacamoleError],
      [ServerError, GuacamoleError],
      [UpstreamError, GuacamoleError],
    ];
    for (const [child, parent] of parents) {
      assert.equal(Object.getPrototypeOf(child), parent, `${child.name} extends ${parent.name}`);
    }
  });
});

void describe('isClientError', () => {
  for (const status of ERROR_STATUSES) {
    const client = CLIENT_CODES.has(status.guac);
    void it(`${client ? 'shows' : 'hides'} the message of ${status.name} (${status.guac})`, () => {
      assert.equal(isClientError(errorFromStatus(status, 'm')), client);
    });
  }

  void it('is false for anything that is not a GuacamoleError', () => {
    for (const value of [new Error('x'), new TypeError('x'), 'ClientError', undefined, null, {}]) {
      assert.equal(isClientError(value), false);
    }
  });
});

void describe('errorFromWireCode', () => {
  for (const code of [
    undefined,
    '',
    'abc',
    '12abc',
    ' 516',
    '516 ',
    '0x0204',
    '5.16',
    '9999',
    '-1',
  ]) {
    void it(`maps the code ${JSON.stringify(code)} to SERVER_ERROR, keeping the message`, () => {
      const error = errorFromWireCode(code, 'No such connection.');
      assert.equal(error.constructor, ServerError);
      assert.equal(error.status, GuacamoleStatus.SERVER_ERROR);
      assert.equal(error.message, 'No such connection.');
    });
  }

  void it('maps the code 0 (SUCCESS inside an error) to SERVER_ERROR', () => {
    const error = errorFromWireCode('0', 'odd');
    assert.equal(error.status, GuacamoleStatus.SERVER_ERROR);
    assert.equal(error.message, 'odd');
  });

  for (const status of ERROR_STATUSES) {
    void it(`maps the code ${status.guac} to ${status.name}`, () => {
      const error = errorFromWireCode(String(status.guac), 'm');
      assert.equal(error.status, status);
      assert.equal(error.message, 'm');
      assert.equal(error.constructor, CLASS_OF[status.name]);
    });
  }

  void it("maps guacd's join failure to a ResourceNotFoundError the client may see", () => {
    const error = errorFromWireCode('516', 'No such connection.');
    assert.ok(error instanceof ResourceNotFoundError);
    assert.ok(isClientError(error));
  });

  void it("parses codes as Java's Integer.parseInt does: a leading '+' or zeros are allowed", () => {
    assert.equal(errorFromWireCode('0516', 'm').status, GuacamoleStatus.RESOURCE_NOT_FOUND);
    assert.equal(errorFromWireCode('+516', 'm').status, GuacamoleStatus.RESOURCE_NOT_FOUND);
  });
});
