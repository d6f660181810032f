/**
 * @module Credential errors and CredentialsInfo (guacamole-ext `net/auth/credentials/*`): what a provider
 * throws to ask for a login form (Invalid) or for more fields (Insufficient), plus translatable client
 * errors. All credential errors are UnauthorizedErrors (HTTP 403).
 */
import {
  ClientError,
  ClientTooManyError,
  SecurityError,
  UnauthorizedError,
  type GuacamoleErrorOptions,
} from '../../protocol/index.js';
import { Field, FieldType, type TranslatableMessage } from './fields.js';

/**
 * The fields a client must present (`CredentialsInfo`).
 * @example
 * ```ts
 * throw new InsufficientCredentialsError(
 *   'Authentication code required.',
 *   new CredentialsInfo([new Field('guac-totp', 'GUAC_TOTP_CODE')]),
 * );
 * ```
 */
export class CredentialsInfo {
  /** No fields at all. */
  static readonly EMPTY: CredentialsInfo = new CredentialsInfo([]);
  /** The ordinary login form: `username` (USERNAME) and `password` (PASSWORD). */
  static readonly USERNAME_PASSWORD: CredentialsInfo = new CredentialsInfo([
    new Field('username', FieldType.USERNAME),
    new Field('password', FieldType.PASSWORD),
  ]);

  /** The expected fields, in display order (`expected` in the REST error body). */
  readonly expected: readonly Field[];

  /** @param expected the fields the client should present */
  constructor(expected: readonly Field[]) {
    this.expected = Object.freeze([...expected]);
  }
}

/** CredentialsInfo plus the values to submit, as handed out for sharing links (`UserCredentials`). */
export class UserCredentials extends CredentialsInfo {
  /** Field values by field name, e.g. `{ key: '<share key>' }`. */
  readonly values: Readonly<Record<string, string>>;

  /**
   * @param expected the fields
   * @param values their values by name
   */
  constructor(expected: readonly Field[], values: Readonly<Record<string, string>>) {
    super(expected);
    this.values = Object.freeze({ ...values });
  }
}

/** Options of the credential and translatable errors. */
export interface TranslatableErrorOptions extends GuacamoleErrorOptions {
  /** The message the frontend translates instead of showing the plain one. */
  readonly translatableMessage?: TranslatableMessage;
}

/**
 * Base of the credential errors (`GuacamoleCredentialsException`): the login failed and these fields
 * are what the client should send. Throw a subclass.
 */
export class CredentialsError extends UnauthorizedError {
  /** The fields the client should present. */
  readonly credentialsInfo: CredentialsInfo;
  /** The message the frontend translates, or undefined to show the plain message. */
  readonly translatableMessage: TranslatableMessage | undefined;

  /**
   * @param message the message (shown to the user when not translatable)
   * @param credentialsInfo the fields expected; default none
   * @param options cause, code and translatable message
   */
  constructor(
    message: string,
    credentialsInfo: CredentialsInfo = CredentialsInfo.EMPTY,
    options: TranslatableErrorOptions = {},
  ) {
    super(message, options);
    this.credentialsInfo = credentialsInfo;
    this.translatableMessage = options.translatableMessage;
  }
}

/**
 * Wrong or missing credentials (`GuacamoleInvalidCredentialsException`, REST type
 * `INVALID_CREDENTIALS`): the frontend shows the login form with the expected fields.
 * @example
 * ```ts
 * throw new InvalidCredentialsError('Invalid login.', CredentialsInfo.USERNAME_PASSWORD);
 * ```
 */
export class InvalidCredentialsError extends CredentialsError {}

/**
 * Credentials accepted so far, but more are needed (`GuacamoleInsufficientCredentialsException`, REST
 * type `INSUFFICIENT_CREDENTIALS`): the frontend keeps what was typed and adds the expected fields.
 * It takes precedence over any InvalidCredentialsError from another provider.
 * @example
 * ```ts
 * throw new InsufficientCredentialsError('Enter your code.', new CredentialsInfo([
 *   new Field('guac-totp', 'GUAC_TOTP_CODE'),
 * ]));
 * ```
 */
export class InsufficientCredentialsError extends CredentialsError {}

/** A client error with a translatable message (`TranslatableGuacamoleClientException`, HTTP 400). */
export class TranslatableClientError extends ClientError {
  /** The message the frontend translates. */
  readonly translatableMessage: TranslatableMessage;

  /**
   * @param message the untranslated message
   * @param translatableMessage the key and variables
   * @param options cause and code
   */
  constructor(
    message: string,
    translatableMessage: TranslatableMessage,
    options: GuacamoleErrorOptions = {},
  ) {
    super(message, options);
    this.translatableMessage = translatableMessage;
  }
}

/** Too many requests with a translatable message (`TranslatableGuacamoleClientTooManyException`, 429). */
export class TranslatableClientTooManyError extends ClientTooManyError {
  /** The message the frontend translates. */
  readonly translatableMessage: TranslatableMessage;

  /**
   * @param message the untranslated message
   * @param translatableMessage the key and variables
   * @param options cause and code
   */
  constructor(
    message: string,
    translatableMessage: TranslatableMessage,
    options: GuacamoleErrorOptions = {},
  ) {
    super(message, options);
    this.translatableMessage = translatableMessage;
  }
}

/** Permission denied with a translatable message (`TranslatableGuacamoleSecurityException`, 403). */
export class TranslatableSecurityError extends SecurityError {
  /** The message the frontend translates. */
  readonly translatableMessage: TranslatableMessage;

  /**
   * @param message the untranslated message
   * @param translatableMessage the key and variables
   * @param options cause and code
   */
  constructor(
    message: string,
    translatableMessage: TranslatableMessage,
    options: GuacamoleErrorOptions = {},
  ) {
    super(message, options);
    this.translatableMessage = translatableMessage;
  }
}

/**
 * Reads the translatable message of any error that carries one (the REST error body's
 * `translatableMessage`; absent means `APP.TEXT_UNTRANSLATED`).
 * @param error any thrown value
 * @returns its translatable message, or undefined
 */
export function getTranslatableMessage(error: unknown): TranslatableMessage | undefined {
  if (typeof error !== 'object' || error === null || !('translatableMessage' in error)) {
    return undefined;
  }
  const message = error.translatableMessage;
  if (typeof message !== 'object' || message === null || !('key' in message)) return undefined;
  return typeof message.key === 'string' ? (message as TranslatableMessage) : undefined;
}
