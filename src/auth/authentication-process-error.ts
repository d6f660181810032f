/**
 * @module AuthenticationProcessError (webapp `GuacamoleAuthenticationProcessException`): an internal
 * wrapper recording which provider a login failed in, so the failure event can name it.
 */
import {
  CredentialsInfo,
  InvalidCredentialsError,
  type AuthenticationProvider,
} from '../extensions/api.js';

/** A login failure and the provider it happened in; never leaves the AuthenticationService. */
export class AuthenticationProcessError extends Error {
  /** The provider that failed, or undefined (no provider recognised the user, or a listener vetoed). */
  readonly provider: AuthenticationProvider | undefined;
  /** The underlying failure, or undefined when there is none. */
  readonly failure: unknown;

  /**
   * @param message what was being done
   * @param provider the failing provider, if any
   * @param failure the underlying error, if any
   */
  constructor(message: string, provider: AuthenticationProvider | undefined, failure: unknown) {
    super(message, { cause: failure });
    this.provider = provider;
    this.failure = failure;
  }

  /**
   * The error the client sees: the failure itself, or, when nothing failed explicitly, Java's
   * `InvalidCredentialsError("Permission Denied.")` asking for username and password.
   * @returns the error to rethrow
   */
  toClientFailure(): unknown {
    if (this.failure === undefined) {
      return new InvalidCredentialsError('Permission Denied.', CredentialsInfo.USERNAME_PASSWORD);
    }
    return this.failure;
  }
}
