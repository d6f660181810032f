/**
 * @module Every property this server reads, gathered from the modules that declare them (plus the
 * HTTPS listener settings, declared here). Start-up validates them all at once, and a test checks that
 * guacamole.properties.example documents each one.
 */
import { CORE_PROPERTIES, stringProperty, type Property } from './config/index.js';
import { GUACD_PROPERTIES } from './guacd/index.js';
import { WEB_PROPERTIES } from './web/index.js';

/** A PEM certificate (chain) file; with {@link HTTP_TLS_KEY} the server listens with HTTPS. */
export const HTTP_TLS_CERTIFICATE = stringProperty('http-tls-certificate', {
  description:
    'A PEM certificate (chain) file, relative to GUACAMOLE_HOME; with http-tls-key set too, the server speaks HTTPS (default: unset, plain HTTP).',
});

/** The PEM private key of {@link HTTP_TLS_CERTIFICATE}. */
export const HTTP_TLS_KEY = stringProperty('http-tls-key', {
  description:
    'The PEM private key file of http-tls-certificate, relative to GUACAMOLE_HOME (default: unset).',
});

/** The HTTPS listener settings. */
export const HTTP_TLS_PROPERTIES: readonly Property<unknown>[] = Object.freeze([
  HTTP_TLS_CERTIFICATE,
  HTTP_TLS_KEY,
]);

/** Every declared property, in the order guacamole.properties.example lists them. */
export const ALL_PROPERTIES: readonly Property<unknown>[] = [
  ...CORE_PROPERTIES,
  ...HTTP_TLS_PROPERTIES,
  ...GUACD_PROPERTIES,
  ...WEB_PROPERTIES,
];
