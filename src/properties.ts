/**
 * @module Every property this server reads, gathered from the modules that declare them. Start-up validates
 * them all at once, and a test checks that guacamole.properties.example documents each one.
 */
import { CORE_PROPERTIES, type Property } from './config/index.js';
import { GUACD_PROPERTIES } from './guacd/index.js';

/** Every declared property, in the order guacamole.properties.example lists them. */
export const ALL_PROPERTIES: readonly Property<unknown>[] = [
  ...CORE_PROPERTIES,
  ...GUACD_PROPERTIES,
];
