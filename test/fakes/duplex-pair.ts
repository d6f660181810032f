/**
 * @module duplexPair: two connected in-memory Duplex ends for tests — the bundled proxy's own
 * createDuplexPair, so tests exercise exactly what the in-process GuacdSocket uses.
 */
export { createDuplexPair as duplexPair } from '../../src/proxy/index.js';
