/**
 * @module The auth layer's public surface: the AuthenticationService (spec §3.9), sessions and their
 * registry, the provider facade, listeners, and the built-in user-mapping.xml provider.
 */
export {
  AuthenticationService,
  type AuthenticationResult,
  type AuthenticationServiceOptions,
} from './authentication-service.js';
export { DecoratedUserContext, type DecorationArgs } from './decorated-user-context.js';
export {
  GuacamoleSession,
  type GuacamoleSessionInit,
  type SessionTunnel,
} from './guacamole-session.js';
export { describeError, ListenerService } from './listener-service.js';
export {
  AuthenticationProviderFacade,
  type ProviderFacadeOptions,
  type ProviderLike,
} from './provider-facade.js';
export {
  generateAuthToken,
  SESSION_SWEEP_INTERVAL_MS,
  SessionRegistry,
  tokensEqual,
  type SessionRegistryOptions,
} from './session-registry.js';
export * from './user-mapping/index.js';
