/**
 * @module JSDoc types for the parts of guacamole-common-js that the fixes use; no runtime code.
 */

/**
 * @typedef {object} GuacamoleStatus a Guacamole.Status
 * @property {number} code the Guacamole status code
 * @property {string | undefined} message the human-readable message, if any
 */

/**
 * @typedef {object} GuacamoleStatusCodes Guacamole.Status.Code (the constants used here)
 * @property {number} SUCCESS 0x0000
 * @property {number} SERVER_ERROR 0x0200
 * @property {number} UPSTREAM_TIMEOUT 0x0202
 * @property {number} RESOURCE_NOT_FOUND 0x0204
 * @property {number} UPSTREAM_NOT_FOUND 0x0207
 * @property {(status: number) => number} fromHTTPCode maps an HTTP status to a Guacamole code
 * @property {(code: number) => number} fromWebSocketCode maps a WebSocket close code to one
 */

/**
 * @typedef {object} GuacamoleNamespace the default export of guacamole-common-js (the parts used)
 * @property {(new (code: number, message?: string | null) => GuacamoleStatus) & { Code: GuacamoleStatusCodes }} Status
 * @property {(new () => object) & { State: Record<'CONNECTING' | 'OPEN' | 'CLOSED' | 'UNSTABLE', number>, INTERNAL_DATA_OPCODE: string }} Tunnel
 * @property {new (...tunnels: object[]) => object} ChainedTunnel
 */

export {};
