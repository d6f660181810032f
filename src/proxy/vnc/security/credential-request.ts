/**
 * @module The credentials one security exchange needs: the configured ones, else asked for once through
 * the prompt while the exchange waits (guacd's `guac_vnc_get_password` / `guac_vnc_get_credentials`).
 */
import type { RfbAuthenticationError } from '../errors.js';
import type { CredentialName, Credentials, SecurityIo } from './security-type.js';

/** The configured-or-asked credentials of one exchange. */
export class CredentialRequest {
  readonly #needs: readonly CredentialName[];
  readonly #missing: () => RfbAuthenticationError;
  #values: Partial<Record<CredentialName, string>>;
  readonly #prompt: Credentials['prompt'];
  #asked = false;

  /**
   * @param credentials the configured credentials and the prompt, if any
   * @param needs what the exchange sends
   * @param missing the error thrown when a credential is missing and cannot be asked for
   */
  constructor(
    credentials: Credentials,
    needs: readonly CredentialName[],
    missing: () => RfbAuthenticationError,
  ) {
    this.#needs = needs;
    this.#missing = missing;
    this.#prompt = credentials.prompt;
    this.#values = {
      ...(credentials.username === undefined ? {} : { username: credentials.username }),
      ...(credentials.password === undefined ? {} : { password: credentials.password }),
    };
  }

  /**
   * The credentials, once all are known. When some are missing, they are asked for through the prompt
   * and the exchange is paused with `io.wait`: the caller must then return false.
   * @param io the exchange's I/O, for `wait`
   * @returns the values, or undefined while waiting for the answer
   * @throws {RfbAuthenticationError} when a credential is missing and cannot be asked for
   */
  take(io: SecurityIo): Partial<Record<CredentialName, string>> | undefined {
    const missing = this.#needs.filter((name) => this.#values[name] === undefined);
    if (missing.length === 0) return this.#values;
    const prompt = this.#prompt;
    if (this.#asked || prompt === undefined || io.wait === undefined) throw this.#missing();
    this.#asked = true;
    io.wait(
      prompt(missing).then((answers) => {
        this.#values = { ...this.#values, ...answers };
      }),
    );
    return undefined;
  }
}
