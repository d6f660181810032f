/**
 * @module The REST error body (webapp `APIError`) and the two error kinds the REST layer adds: raw HTTP
 * answers that bypass the body (Jersey's `WebApplicationException`s) and failed directory patches.
 */
import {
  ClientError,
  CredentialsError,
  getTranslatableMessage,
  InsufficientCredentialsError,
  InvalidCredentialsError,
  ResourceNotFoundError,
  SecurityError,
  type Field,
  type GuacamoleError,
  type TranslatableMessage,
} from '../extensions/api.js';
import { StreamError } from '../tunnel/index.js';

/** The `type` of an error body (`APIError.Type`). */
export type ApiErrorType =
  | 'BAD_REQUEST'
  | 'INVALID_CREDENTIALS'
  | 'INSUFFICIENT_CREDENTIALS'
  | 'INTERNAL_ERROR'
  | 'NOT_FOUND'
  | 'PERMISSION_DENIED'
  | 'STREAM_ERROR';

/** One outcome of a directory patch (`APIPatchOutcome`, `APIPatchError` when `error` is set). */
export interface ApiPatchOutcome {
  readonly op: string;
  identifier: string | null;
  readonly path: string;
  readonly error?: TranslatableMessage;
}

/** The JSON body of every REST error; unlike most API objects, nulls are written out. */
export interface ApiErrorBody {
  readonly message: string;
  readonly translatableMessage: TranslatableMessage;
  readonly statusCode: number | null;
  readonly expected: readonly Field[] | null;
  readonly patches: readonly ApiPatchOutcome[] | null;
  readonly type: ApiErrorType;
}

/** The key the frontend shows untranslated messages with, `{MESSAGE}` being the text. */
export const UNTRANSLATED_MESSAGE_KEY = 'APP.TEXT_UNTRANSLATED';

/** A directory patch with failed items (`APIPatchFailureException`, HTTP 400). */
export class PatchFailureError extends ClientError {
  /** Every item's outcome, failures included. */
  readonly patches: readonly ApiPatchOutcome[];

  /**
   * @param message the summary
   * @param patches every item's outcome
   */
  constructor(message: string, patches: readonly ApiPatchOutcome[]) {
    super(message);
    this.patches = patches;
  }
}

/**
 * An answer that is not an error body: what JAX-RS itself sends for an unknown path (404), a wrong
 * method (405), an unsupported media type (415) or a body Jackson cannot read (400, plain text).
 */
export class HttpAnswer extends Error {
  /** The HTTP status. */
  readonly status: number;
  /** Extra headers, e.g. `Allow`. */
  readonly headers: Readonly<Record<string, string>>;
  /** The plain-text body, empty by default. */
  readonly body: string;

  /**
   * @param status the HTTP status
   * @param body a plain-text body; default none
   * @param headers extra headers; default none
   */
  constructor(status: number, body = '', headers: Readonly<Record<string, string>> = {}) {
    super(body === '' ? `HTTP ${status}` : body);
    this.status = status;
    this.body = body;
    this.headers = headers;
  }
}

/**
 * Classifies an error as `APIError.Type.fromGuacamoleException` does, in the same order.
 * @param error the error
 * @returns its REST type
 */
export function apiErrorType(error: GuacamoleError): ApiErrorType {
  if (error instanceof InsufficientCredentialsError) return 'INSUFFICIENT_CREDENTIALS';
  if (error instanceof InvalidCredentialsError) return 'INVALID_CREDENTIALS';
  if (error instanceof SecurityError) return 'PERMISSION_DENIED';
  if (error instanceof ResourceNotFoundError) return 'NOT_FOUND';
  if (error instanceof ClientError) return 'BAD_REQUEST';
  if (error instanceof StreamError) return 'STREAM_ERROR';
  return 'INTERNAL_ERROR';
}

/**
 * Builds the error body of a GuacamoleError.
 * @param error the error
 * @returns the body, with Java's defaults for everything the error does not carry
 */
export function toApiError(error: GuacamoleError): ApiErrorBody {
  const message = error.message;
  return {
    message,
    translatableMessage: getTranslatableMessage(error) ?? {
      key: UNTRANSLATED_MESSAGE_KEY,
      variables: { MESSAGE: message },
    },
    // Only stream errors carry their Guacamole status code (`GuacamoleStreamException`).
    statusCode: error instanceof StreamError ? error.status.guac : null,
    expected: error instanceof CredentialsError ? error.credentialsInfo.expected : null,
    patches: error instanceof PatchFailureError ? error.patches : null,
    type: apiErrorType(error),
  };
}
