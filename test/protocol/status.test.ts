import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { GuacamoleStatus, statusFromGuacCode, type StatusName } from '../../src/protocol/status.js';

/** §4, row by row: name, Guacamole code, HTTP status, WebSocket close code. */
const TABLE: readonly (readonly [StatusName, number, number, number])[] = [
  ['SUCCESS', 0x0000, 200, 1000],
  ['UNSUPPORTED', 0x0100, 501, 1011],
  ['SERVER_ERROR', 0x0200, 500, 1011],
  ['SERVER_BUSY', 0x0201, 503, 1008],
  ['UPSTREAM_TIMEOUT', 0x0202, 504, 1011],
  ['UPSTREAM_ERROR', 0x0203, 502, 1011],
  ['RESOURCE_NOT_FOUND', 0x0204, 404, 1002],
  ['RESOURCE_CONFLICT', 0x0205, 409, 1008],
  ['RESOURCE_CLOSED', 0x0206, 404, 1002],
  ['UPSTREAM_NOT_FOUND', 0x0207, 502, 1011],
  ['UPSTREAM_UNAVAILABLE', 0x0208, 502, 1011],
  ['SESSION_CONFLICT', 0x0209, 409, 1008],
  ['SESSION_TIMEOUT', 0x020a, 408, 1002],
  ['SESSION_CLOSED', 0x020b, 404, 1002],
  ['CLIENT_BAD_REQUEST', 0x0300, 400, 1002],
  ['CLIENT_UNAUTHORIZED', 0x0301, 403, 1008],
  ['CLIENT_FORBIDDEN', 0x0303, 403, 1008],
  ['CLIENT_TIMEOUT', 0x0308, 408, 1002],
  ['CLIENT_OVERRUN', 0x030d, 413, 1009],
  ['CLIENT_BAD_TYPE', 0x030f, 415, 1003],
  ['CLIENT_TOO_MANY', 0x031d, 429, 1008],
];

void describe('GuacamoleStatus', () => {
  for (const [name, guac, http, ws] of TABLE) {
    void it(`maps ${name} to guac ${guac}, HTTP ${http} and WebSocket ${ws}`, () => {
      assert.deepEqual({ ...GuacamoleStatus[name] }, { name, guac, http, ws });
    });
  }

  void it('has exactly the 21 statuses of GuacamoleStatus.java', () => {
    assert.deepEqual(Object.keys(GuacamoleStatus).sort(), TABLE.map(([name]) => name).sort());
  });

  void it('answers 403, not 401, for CLIENT_UNAUTHORIZED so browsers show no Basic-auth dialog', () => {
    assert.equal(GuacamoleStatus.CLIENT_UNAUTHORIZED.http, 403);
  });

  void it('is frozen, table and rows', () => {
    assert.ok(Object.isFrozen(GuacamoleStatus));
    for (const entry of Object.values(GuacamoleStatus)) assert.ok(Object.isFrozen(entry));
  });
});

void describe('statusFromGuacCode', () => {
  for (const [name, guac] of TABLE) {
    void it(`finds ${name} by its code ${guac}`, () => {
      assert.equal(statusFromGuacCode(guac), GuacamoleStatus[name]);
    });
  }

  for (const code of [1, 0x00ff, 0x0101, 0x0302, 0x030e, 0x0400, -1, 512.5, NaN, Infinity]) {
    void it(`returns undefined for the unknown code ${code}`, () => {
      assert.equal(statusFromGuacCode(code), undefined);
    });
  }
});
