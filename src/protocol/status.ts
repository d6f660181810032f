/**
 * @module The single GuacamoleStatus table: every protocol status with its Guacamole code, HTTP status and
 * WebSocket close code, exactly as guacamole-common's GuacamoleStatus.java defines them.
 */

/** One row of the status table. */
export interface StatusEntry {
  /** The status name, as in GuacamoleStatus.java. */
  readonly name: StatusName;
  /** The Guacamole protocol status code (the `error` instruction, `Guacamole-Status-Code`). */
  readonly guac: number;
  /** The HTTP status used by the HTTP tunnel and the REST API. */
  readonly http: number;
  /** The WebSocket close code used by the WebSocket tunnel. */
  readonly ws: number;
}

// Constructor order in Java is (http, websocket, guac); the values below were checked row by row against it.
const TABLE = {
  SUCCESS: { guac: 0x0000, http: 200, ws: 1000 },
  UNSUPPORTED: { guac: 0x0100, http: 501, ws: 1011 },
  SERVER_ERROR: { guac: 0x0200, http: 500, ws: 1011 },
  SERVER_BUSY: { guac: 0x0201, http: 503, ws: 1008 },
  UPSTREAM_TIMEOUT: { guac: 0x0202, http: 504, ws: 1011 },
  UPSTREAM_ERROR: { guac: 0x0203, http: 502, ws: 1011 },
  RESOURCE_NOT_FOUND: { guac: 0x0204, http: 404, ws: 1002 },
  RESOURCE_CONFLICT: { guac: 0x0205, http: 409, ws: 1008 },
  RESOURCE_CLOSED: { guac: 0x0206, http: 404, ws: 1002 },
  UPSTREAM_NOT_FOUND: { guac: 0x0207, http: 502, ws: 1011 },
  UPSTREAM_UNAVAILABLE: { guac: 0x0208, http: 502, ws: 1011 },
  SESSION_CONFLICT: { guac: 0x0209, http: 409, ws: 1008 },
  SESSION_TIMEOUT: { guac: 0x020a, http: 408, ws: 1002 },
  SESSION_CLOSED: { guac: 0x020b, http: 404, ws: 1002 },
  CLIENT_BAD_REQUEST: { guac: 0x0300, http: 400, ws: 1002 },
  // 403 rather than 401 on purpose: browsers would otherwise pop up their own Basic-auth dialog.
  CLIENT_UNAUTHORIZED: { guac: 0x0301, http: 403, ws: 1008 },
  CLIENT_FORBIDDEN: { guac: 0x0303, http: 403, ws: 1008 },
  CLIENT_TIMEOUT: { guac: 0x0308, http: 408, ws: 1002 },
  CLIENT_OVERRUN: { guac: 0x030d, http: 413, ws: 1009 },
  CLIENT_BAD_TYPE: { guac: 0x030f, http: 415, ws: 1003 },
  CLIENT_TOO_MANY: { guac: 0x031d, http: 429, ws: 1008 },
} as const satisfies Record<string, Omit<StatusEntry, 'name'>>;

/** The name of a Guacamole status, e.g. `UPSTREAM_TIMEOUT`. */
export type StatusName = keyof typeof TABLE;

/** Every status by name: `GuacamoleStatus.UPSTREAM_TIMEOUT.guac === 514`. */
export const GuacamoleStatus = Object.freeze(
  Object.fromEntries(
    Object.entries(TABLE).map(([name, row]) => [name, Object.freeze({ name, ...row })]),
  ),
) as { readonly [N in StatusName]: StatusEntry & { readonly name: N } };

const BY_GUAC_CODE = new Map<number, StatusEntry>(
  Object.values(GuacamoleStatus).map((entry) => [entry.guac, entry]),
);

/**
 * Looks up a status by its Guacamole code, like `GuacamoleStatus.fromGuacamoleStatusCode`.
 * @param code the numeric Guacamole status code
 * @returns the status, or undefined when the code is not in the table
 */
export function statusFromGuacCode(code: number): StatusEntry | undefined {
  return BY_GUAC_CODE.get(code);
}
