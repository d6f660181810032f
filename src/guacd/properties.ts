/**
 * @module The guacd connection properties of guacamole.properties: `guacd-mode` (ours: which proxy),
 * and `guacd-hostname`, `guacd-port` and `guacd-ssl`, with Java's defaults.
 */
import {
  booleanProperty,
  enumProperty,
  integerProperty,
  stringProperty,
  type Property,
} from '../config/property.js';

/** The proxy modes of {@link GUACD_MODE}. */
export const GUACD_MODES = ['auto', 'embedded', 'external'] as const;

/** Which proxy connections go through: {@link GUACD_MODES}. */
export type GuacdMode = (typeof GUACD_MODES)[number];

/**
 * Which proxy serves connections: `embedded` (the bundled proxy, in-process), `external` (guacd at
 * guacd-hostname:guacd-port) or `auto` (external when a guacd-* property is set or something answers on
 * localhost:4822 at start-up, else embedded).
 */
export const GUACD_MODE = enumProperty('guacd-mode', GUACD_MODES, {
  description:
    'Which proxy serves connections: auto (an external guacd when guacd-hostname, guacd-port or guacd-ssl is set or one answers on localhost:4822 at start-up, else the bundled proxy), embedded (the bundled proxy, in-process) or external (guacd at guacd-hostname:guacd-port).',
  default: 'auto',
});

/** The host guacd listens on. */
export const GUACD_HOSTNAME = stringProperty('guacd-hostname', {
  description: 'The host name or address of guacd.',
  default: 'localhost',
});

/** The port guacd listens on. */
export const GUACD_PORT = integerProperty('guacd-port', {
  description: 'The TCP port guacd listens on.',
  default: 4822,
  min: 1,
  max: 65535,
});

/** Whether guacd expects TLS (guacd started with `-C`/`-K`). */
export const GUACD_SSL = booleanProperty('guacd-ssl', {
  description: 'Whether the connection to guacd uses SSL/TLS.',
  default: false,
});

/** Every guacd property, for validation and documentation. */
export const GUACD_PROPERTIES: readonly Property<unknown>[] = Object.freeze([
  GUACD_MODE,
  GUACD_HOSTNAME,
  GUACD_PORT,
  GUACD_SSL,
]);
