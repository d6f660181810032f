/**
 * @module The extension API: the ONE module auth extensions import (guacamole-ext's equivalent),
 * versioned with semver as {@link API_VERSION}. Everything a provider or listener needs is exported here.
 */

/**
 * The API's semver version: a major bump means an extension built against the previous one may break.
 * @example
 * ```ts
 * import { API_VERSION } from '<app>/extensions/api.js';
 * if (!API_VERSION.startsWith('1.')) throw new Error('Needs extension API 1.x');
 * ```
 */
export const API_VERSION = '1.0.0';

// guacamole-common: the error tree, statuses, configurations and client information.
export {
  ClientBadTypeError,
  ClientError,
  ClientOverrunError,
  ClientTimeoutError,
  ClientTooManyError,
  ConnectionClosedError,
  defaultClientInformation,
  GuacamoleConfiguration,
  GuacamoleError,
  GuacamoleStatus,
  isClientError,
  ResourceClosedError,
  ResourceConflictError,
  ResourceNotFoundError,
  SecurityError,
  ServerBusyError,
  ServerError,
  SessionClosedError,
  SessionConflictError,
  SessionTimeoutError,
  UnauthorizedError,
  UnsupportedError,
  UpstreamError,
  UpstreamNotFoundError,
  UpstreamTimeoutError,
  UpstreamUnavailableError,
  type ClientInformation,
  type GuacamoleConfigurationInit,
  type GuacamoleErrorOptions,
  type StatusEntry,
  type StatusName,
} from '../protocol/index.js';
export { Tunnel } from '../tunnel/index.js';

// Declaring and reading guacamole.properties properties.
export {
  booleanProperty,
  ConfigurationError,
  enumProperty,
  integerProperty,
  longProperty,
  orderedListProperty,
  stringListProperty,
  stringProperty,
  stringSetProperty,
  type IntegerOptions,
  type Property,
  type PropertyOptions,
} from '../config/index.js';

export * from './api/authenticated-user.js';
export * from './api/credentials-errors.js';
export * from './api/credentials.js';
export * from './api/delegating-user-context.js';
export * from './api/directory.js';
export * from './api/environment.js';
export * from './api/events.js';
export * from './api/fields.js';
export * from './api/objects.js';
export * from './api/permissions.js';
export * from './api/provider.js';
export * from './api/records.js';
export * from './api/simple/connection-group.js';
export * from './api/simple/connection.js';
export * from './api/simple/provider.js';
export * from './api/simple/user-context.js';
export * from './api/simple/user.js';
export * from './api/standard-tokens.js';
export * from './api/token-filter.js';
export * from './api/types.js';
export * from './api/user-context.js';
