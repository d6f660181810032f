/**
 * @module StreamError (Java's `GuacamoleStreamException`): a Guacamole stream ended with an error status,
 * e.g. guacd refused an uploaded blob with `ack <index> <message> <code>`. The error reports that status
 * at every edge (the REST API turns it into `STREAM_ERROR` with `statusCode`).
 */
import {
  GuacamoleStatus,
  ServerError,
  statusFromGuacCode,
  type StatusEntry,
} from '../protocol/index.js';

/** A stream failed with a Guacamole status. */
export class StreamError extends ServerError {
  /** The status the stream ended with. */
  declare readonly status: StatusEntry;

  /**
   * @param status the status the stream reported (SERVER_ERROR for unknown codes)
   * @param message the message of the `ack`
   */
  constructor(status: StatusEntry, message: string) {
    super(message);
    Object.defineProperty(this, 'status', { value: status, enumerable: true });
  }

  /**
   * Builds the error of an `ack`'s status code as received; a code that is not an integer or not a
   * known error status means SERVER_ERROR, as in InputStreamInterceptingFilter.
   * @param code the code as received
   * @param message the message as received
   * @returns the error
   */
  static fromWireCode(code: string, message: string): StreamError {
    const parsed = /^[+-]?\d+$/.test(code) ? Number(code) : NaN;
    const status = statusFromGuacCode(parsed);
    return new StreamError(
      status === undefined || status.name === 'SUCCESS' ? GuacamoleStatus.SERVER_ERROR : status,
      message,
    );
  }
}
