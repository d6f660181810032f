/**
 * @module Events and listeners (guacamole-ext `net/event/*`). Listeners run in order; one that throws
 * stops the chain, and where Java allows it the error vetoes the action (see each event).
 */
import type { Tunnel } from '../../tunnel/index.js';
import type { AuthenticatedUser } from './authenticated-user.js';
import type { Credentials } from './credentials.js';
import type { DirectoryType } from './directory.js';
import type { Environment } from './environment.js';
import type { AuthenticationProvider } from './provider.js';
import type { MaybePromise } from './types.js';

/** Fired once when the application has started; a listener error is logged, not fatal. */
export class ApplicationStartedEvent {
  /** Discriminant for `switch (event.type)`. */
  readonly type = 'ApplicationStartedEvent' as const;
}

/** Fired once when the application shuts down; a listener error is logged. */
export class ApplicationShutdownEvent {
  /** Discriminant. */
  readonly type = 'ApplicationShutdownEvent' as const;
}

/**
 * Fired before any provider authenticates; throwing aborts the login with that error and no failure
 * event (how a ban answers 429).
 */
export class AuthenticationRequestReceivedEvent {
  /** Discriminant. */
  readonly type = 'AuthenticationRequestReceivedEvent' as const;

  /** @param credentials the credentials after every provider's `updateCredentials` */
  constructor(readonly credentials: Credentials) {}
}

/**
 * Fired after a successful login or re-authentication; throwing turns it into a failure (the
 * failure event is fired and the error reaches the client).
 */
export class AuthenticationSuccessEvent {
  /** Discriminant. */
  readonly type = 'AuthenticationSuccessEvent' as const;

  /**
   * @param authenticatedUser the user
   * @param existingSession true when an existing session was refreshed with its token
   */
  constructor(
    readonly authenticatedUser: AuthenticatedUser,
    readonly existingSession: boolean,
  ) {}

  /** The credentials the user authenticated with (`authenticatedUser.getCredentials()`). */
  get credentials(): Credentials {
    return this.authenticatedUser.getCredentials();
  }

  /** The provider that authenticated the user. */
  get authenticationProvider(): AuthenticationProvider {
    return this.authenticatedUser.getAuthenticationProvider();
  }
}

/** Fired when a login fails; throwing replaces the original error with the listener's. */
export class AuthenticationFailureEvent {
  /** Discriminant. */
  readonly type = 'AuthenticationFailureEvent' as const;

  /**
   * @param credentials the credentials that failed
   * @param authenticationProvider the provider that caused the failure, or undefined
   * @param failure the error, or undefined when no provider recognised the user
   */
  constructor(
    readonly credentials: Credentials,
    readonly authenticationProvider: AuthenticationProvider | undefined,
    readonly failure: unknown,
  ) {}
}

/** Fired when a tunnel has been opened; throwing makes the tunnel request fail. */
export class TunnelConnectEvent {
  /** Discriminant. */
  readonly type = 'TunnelConnectEvent' as const;

  /**
   * @param authenticatedUser the user who connected
   * @param credentials that user's credentials
   * @param tunnel the new tunnel
   */
  constructor(
    readonly authenticatedUser: AuthenticatedUser,
    readonly credentials: Credentials,
    readonly tunnel: Tunnel,
  ) {}
}

/** Fired when a tunnel is being closed by the user; throwing keeps it open (a veto). */
export class TunnelCloseEvent {
  /** Discriminant. */
  readonly type = 'TunnelCloseEvent' as const;

  /**
   * @param authenticatedUser the tunnel's user
   * @param credentials that user's credentials
   * @param tunnel the tunnel
   */
  constructor(
    readonly authenticatedUser: AuthenticatedUser,
    readonly credentials: Credentials,
    readonly tunnel: Tunnel,
  ) {}
}

/** Fired when a session ends by logout, expiry or shutdown; a listener error is logged. */
export class UserSessionInvalidatedEvent {
  /** Discriminant. */
  readonly type = 'UserSessionInvalidatedEvent' as const;

  /** @param authenticatedUser the session's user */
  constructor(readonly authenticatedUser: AuthenticatedUser) {}
}

/** Directory operations reported by the REST layer (`DirectoryEvent.Operation`). */
export type DirectoryOperation = 'ADD' | 'GET' | 'UPDATE' | 'REMOVE';

/** What both directory events carry. */
export interface DirectoryEventInit {
  /** The user performing the operation. */
  readonly authenticatedUser: AuthenticatedUser;
  /** The provider whose directory it is. */
  readonly authenticationProvider: AuthenticationProvider;
  /** The kind of directory. */
  readonly directoryType: DirectoryType;
  /** The object, if known. */
  readonly object?: unknown;
  /** The object's identifier, if known. */
  readonly objectIdentifier?: string | undefined;
  /** The operation. */
  readonly operation: DirectoryOperation;
}

/** Fired after a REST directory operation succeeded. */
export class DirectorySuccessEvent {
  /** Discriminant. */
  readonly type = 'DirectorySuccessEvent' as const;

  /** @param details what happened, to what, by whom */
  constructor(readonly details: DirectoryEventInit) {}
}

/** Fired after a REST directory operation failed. */
export class DirectoryFailureEvent {
  /** Discriminant. */
  readonly type = 'DirectoryFailureEvent' as const;

  /**
   * @param details what was attempted, on what, by whom
   * @param failure the error
   */
  constructor(
    readonly details: DirectoryEventInit,
    readonly failure: unknown,
  ) {}
}

/** Every event a listener can receive. */
export type GuacamoleEvent =
  | ApplicationStartedEvent
  | ApplicationShutdownEvent
  | AuthenticationRequestReceivedEvent
  | AuthenticationSuccessEvent
  | AuthenticationFailureEvent
  | TunnelConnectEvent
  | TunnelCloseEvent
  | UserSessionInvalidatedEvent
  | DirectorySuccessEvent
  | DirectoryFailureEvent;

/**
 * Receives events (`Listener`). Throw a GuacamoleError to veto where the event allows it.
 * @example
 * ```ts
 * export default class DenyMallory implements Listener {
 *   handleEvent(event: GuacamoleEvent): void {
 *     if (event.type === 'AuthenticationSuccessEvent' && event.authenticatedUser.identifier === 'mallory')
 *       throw new SecurityError('Not today.');
 *   }
 * }
 * ```
 */
export interface Listener {
  /**
   * @param event the event
   * @throws {GuacamoleError} to veto, where the event allows it
   */
  handleEvent(event: GuacamoleEvent): MaybePromise<void>;
}

/** A listener class as an extension module exports it; the loader passes the environment. */
export type ListenerClass = new (environment: Environment) => Listener;
