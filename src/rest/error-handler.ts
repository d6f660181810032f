/**
 * @module The REST API's one error mapper (webapp `RESTExceptionMapper`): a GuacamoleError becomes its
 * HTTP status and the `APIError` body, anything else a 500 "Unexpected internal error", and any
 * UnauthorizedError (credential errors included) destroys the session the request's token names.
 */
import type { ErrorRequestHandler, Request, Response } from 'express';
import type { AuthenticationService } from '../auth/index.js';
import {
  GuacamoleError,
  isClientError,
  ServerError,
  UnauthorizedError,
  type ExtensionLogger,
} from '../extensions/api.js';
import { HttpAnswer, toApiError } from './api-error.js';
import { getAuthenticationToken } from './request.js';

/** What the error mapper needs. */
export interface RestErrorHandlerOptions {
  /** Destroys the session of an unauthorized request. */
  readonly auth: AuthenticationService;
  /** Client errors are logged at debug, others at error. */
  readonly logger: ExtensionLogger;
}

/** Java's message for failures that are not GuacamoleErrors. */
export const UNEXPECTED_ERROR_MESSAGE = 'Unexpected internal error';

/** Express's own client errors (a malformed `%` escape in the path: 400) pass through as status only. */
function expressClientStatus(error: unknown): number | undefined {
  if (error instanceof GuacamoleError || typeof error !== 'object' || error === null)
    return undefined;
  const status = (error as { status?: unknown }).status;
  return typeof status === 'number' && status >= 400 && status < 500 ? status : undefined;
}

function describe(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

async function respond(
  options: RestErrorHandlerOptions,
  thrown: unknown,
  req: Request,
  res: Response,
): Promise<void> {
  const { auth, logger } = options;
  const passThrough =
    thrown instanceof HttpAnswer ? thrown : new HttpAnswer(expressClientStatus(thrown) ?? 0);
  if (passThrough.status !== 0) {
    if (res.headersSent) return void res.end();
    res.status(passThrough.status).set(passThrough.headers);
    if (passThrough.body === '') res.end();
    else res.type('text/plain').send(passThrough.body);
    return;
  }
  if (thrown instanceof UnauthorizedError) {
    // The header/query token, never the form's: the session that made the request goes away.
    if (await auth.destroySession(getAuthenticationToken(req))) {
      logger.debug('Implicitly invalidated the session of an unauthorized request.');
    }
  }
  let error: GuacamoleError;
  if (thrown instanceof GuacamoleError) {
    error = thrown;
    if (isClientError(error)) logger.debug(`Client request rejected: ${error.message}`);
    else logger.error(`Request could not be processed: ${error.message}`);
  } else {
    logger.error(`${UNEXPECTED_ERROR_MESSAGE}: ${describe(thrown)}`);
    error = new ServerError(UNEXPECTED_ERROR_MESSAGE, { cause: thrown });
  }
  if (res.headersSent) return void res.end();
  // A body left unread (too large, or never wanted) is not read on: the connection ends after this.
  if (!req.complete) res.set('Connection', 'close');
  res.status(error.status.http).json(toApiError(error));
}

/**
 * Creates the error middleware that ends the REST router.
 * @param options the authentication service and a logger
 * @returns Express error middleware
 */
export function createRestErrorHandler(options: RestErrorHandlerOptions): ErrorRequestHandler {
  return (error: unknown, req, res, _next) => {
    respond(options, error, req, res).catch((failure: unknown) => {
      options.logger.error(`Unable to report a REST error: ${describe(failure)}`);
      if (!res.headersSent) res.status(500).end();
      else res.end();
    });
  };
}
