/**
 * @module The guacd connection properties of guacamole.properties: `guacd-hostname`, `guacd-port` and
 * `guacd-ssl`, with Java's defaults.
 */
import {
  booleanProperty,
  integerProperty,
  stringProperty,
  type Property,
} from '../config/property.js';

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
  GUACD_HOSTNAME,
  GUACD_PORT,
  GUACD_SSL,
]);
