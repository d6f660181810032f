/**
 * @module The core properties: the web app's own (spec §1.5) plus this server's HTTP listener settings.
 * Other modules declare theirs in `<module>/properties.ts`.
 */
import type { Property } from './property.js';
import {
  booleanProperty,
  enumProperty,
  integerProperty,
  longProperty,
  orderedListProperty,
  stringProperty,
  stringSetProperty,
} from './property.js';

/** Whether environment variables (`GUACD_HOSTNAME` for `guacd-hostname`) may supply missing values. */
export const ENABLE_ENVIRONMENT_PROPERTIES = booleanProperty('enable-environment-properties', {
  description:
    'Whether environment variables may supply properties missing from guacamole.properties.',
  default: false,
});

/** Whether files named by `<NAME>_FILE` environment variables may supply missing values. */
export const ENABLE_FILE_ENVIRONMENT_PROPERTIES = booleanProperty(
  'enable-file-environment-properties',
  {
    description:
      'Whether files named by *_FILE environment variables may supply missing properties.',
    default: false,
  },
);

/** The TCP port the HTTP server listens on. */
export const HTTP_PORT = integerProperty('http-port', {
  description: 'The TCP port the HTTP server listens on.',
  default: 8080,
  min: 1,
  max: 65535,
});

/** The address the HTTP server binds to. */
export const HTTP_BIND_ADDRESS = stringProperty('http-bind-address', {
  description: 'The address the HTTP server binds to.',
  default: '0.0.0.0',
});

/** The URL path the application is served under (Tomcat's context path). */
export const HTTP_BASE_PATH = stringProperty('http-base-path', {
  description: 'The URL path the application is served under.',
  default: '/',
});

/** Log levels accepted by `log-level`; `warn` is an alias of `warning` (`LogLevel`). */
export const LOG_LEVELS = ['error', 'warning', 'warn', 'info', 'debug', 'trace'] as const;

/** The lowest level that is logged. */
export const LOG_LEVEL = enumProperty('log-level', LOG_LEVELS, {
  description: 'The lowest level that is logged ("warn" means "warning").',
  default: 'info',
});

/** Minutes of inactivity after which an authentication token expires (`HashTokenSessionMap`). */
export const API_SESSION_TIMEOUT = integerProperty('api-session-timeout', {
  description: 'Minutes of inactivity after which a login session expires.',
  default: 60,
  min: 1,
});

/** Largest REST request body in bytes, 0 for unlimited (`RequestSizeFilter`, a Java long). */
export const API_MAX_REQUEST_SIZE = longProperty('api-max-request-size', {
  description: 'Largest REST API request body in bytes; 0 means unlimited.',
  default: 2097152,
  min: 0,
});

/** Values of `case-sensitivity` (`CaseSensitivity`). */
export const CASE_SENSITIVITY_VALUES = ['enabled', 'usernames', 'group-names', 'disabled'] as const;

/** Which identifiers compare case-sensitively. */
export const CASE_SENSITIVITY = enumProperty('case-sensitivity', CASE_SENSITIVITY_VALUES, {
  description: 'Which identifiers are case-sensitive: enabled, usernames, group-names or disabled.',
  default: 'enabled',
});

/** Language keys the frontend may offer; unset means all (`LanguageResourceService`). */
export const ALLOWED_LANGUAGES = stringSetProperty('allowed-languages', {
  description: 'Comma-separated language keys (such as en, de, pt_BR) to offer; unset means all.',
});

/** Extension namespaces in load order, `*` standing for all others (`ExtensionOrderProperty`). */
export const EXTENSION_PRIORITY = orderedListProperty('extension-priority', {
  description: 'Comma-separated extension namespaces in load order; * stands for all others.',
});

/** Authentication provider identifiers whose failures are tolerated (`ExtensionModule`). */
export const SKIP_IF_UNAVAILABLE = stringSetProperty('skip-if-unavailable', {
  description: 'Comma-separated auth provider identifiers whose outages do not block logins.',
});

/** Every core property, for validation and documentation. */
export const CORE_PROPERTIES: readonly Property<unknown>[] = Object.freeze([
  ENABLE_ENVIRONMENT_PROPERTIES,
  ENABLE_FILE_ENVIRONMENT_PROPERTIES,
  HTTP_PORT,
  HTTP_BIND_ADDRESS,
  HTTP_BASE_PATH,
  LOG_LEVEL,
  API_SESSION_TIMEOUT,
  API_MAX_REQUEST_SIZE,
  CASE_SENSITIVITY,
  ALLOWED_LANGUAGES,
  EXTENSION_PRIORITY,
  SKIP_IF_UNAVAILABLE,
]);
