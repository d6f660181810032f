/**
 * @module The error a bad configuration raises: every problem found, one per line, so an operator
 * can fix them all in one go.
 */
import { ServerError } from '../protocol/index.js';

/** One or more configuration problems; the message is the problems joined by newlines. */
export class ConfigurationError extends ServerError {
  /** Each problem, such as `/etc/guacamole/guacamole.properties:3: property "http-port": …`. */
  readonly problems: readonly string[];

  /**
   * @param problems what is wrong, at least one, each naming where the value came from
   * @param options the underlying failure, if any
   */
  constructor(problems: readonly string[], options: { readonly cause?: unknown } = {}) {
    super(problems.join('\n'), options.cause === undefined ? {} : { cause: options.cause });
    this.problems = Object.freeze([...problems]);
  }
}
