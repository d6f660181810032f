/**
 * @module The web UI's guacamole.properties: which frontend is served at the application's base path.
 */
import { stringProperty, type Property } from '../config/index.js';

/**
 * The official Angular frontend to serve instead of the built-in UI: a `guacamole.war` or an unpacked
 * web app directory. Unset (the default) serves the built-in UI.
 */
export const GUACAMOLE_FRONTEND = stringProperty('guacamole-frontend', {
  description:
    'A guacamole.war or unpacked web app whose official frontend replaces the built-in UI; ' +
    'unset means the built-in UI.',
});

/** Every web UI property, for validation and documentation. */
export const WEB_PROPERTIES: readonly Property<unknown>[] = Object.freeze([GUACAMOLE_FRONTEND]);
