/**
 * @module The configuration layer's public surface: GUACAMOLE_HOME, guacamole.properties, typed
 * property declarations and the validated {@link Configuration}.
 */
export { ConfigurationError } from './configuration-error.js';
export { Configuration, describeOrigin, SECRET_MASK } from './configuration.js';
export type {
  ConfigurationSources,
  EffectiveSetting,
  RawValue,
  ValueOrigin,
} from './configuration.js';
export { canonicalPropertyName, resolveGuacamoleHome } from './environment.js';
export { loadConfiguration, PROPERTIES_FILE_NAME } from './load-config.js';
export type { LoadConfigurationOptions, LoadedConfiguration } from './load-config.js';
export * from './properties.js';
export { parsePropertiesText, readPropertiesFile } from './properties-file.js';
export type {
  ParsedProperties,
  PropertiesSyntaxProblem,
  PropertyEntry,
} from './properties-file.js';
export {
  booleanProperty,
  enumProperty,
  integerProperty,
  longProperty,
  orderedListProperty,
  PropertyValueError,
  stringListProperty,
  stringProperty,
  stringSetProperty,
} from './property.js';
export type { IntegerOptions, Property, PropertyOptions } from './property.js';
