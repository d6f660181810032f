/**
 * @module TokenFilter (guacamole-ext `token/TokenFilter`): substitutes `${NAME}` parameter tokens, with
 * `$${NAME}` as the escape and the `:UPPER`, `:LOWER` and (main-only) `:OPTIONAL` modifiers, using
 * Java's exact pattern and quirks.
 */
import { ServerError } from '../../protocol/index.js';
import type { TokenMap } from './objects.js';

/** Java's `.` (no DOTALL): any code point except the line terminators. */
const DOT = '[^\\n\\r\\u0085\\u2028\\u2029]';

/**
 * Java's `(.*?)(^|.)(\$\{([A-Za-z0-9_]*)(\:(.*))?\})`. The character before `${` is matched so `$${`
 * can be recognised as an escape; as a consequence two directly adjacent tokens are not both
 * substituted, and the greedy modifier group runs to the last `}` on the line. Both are Java's
 * behaviour, pinned by its TokenFilterGrammarTest.
 */
const TOKEN_PATTERN = new RegExp(
  `(${DOT}*?)(^|${DOT})(\\$\\{([A-Za-z0-9_]*)(:(${DOT}*))?\\})`,
  'gu',
);

/** A token required by strict filtering has no value (`GuacamoleTokenUndefinedException`). */
export class TokenUndefinedError extends ServerError {
  /** The undefined token's name. */
  readonly tokenName: string;

  /** @param tokenName the token's name */
  constructor(tokenName: string) {
    super('Token has no defined value.');
    this.tokenName = tokenName;
  }
}

function applyModifier(value: string, modifier: string | undefined): string {
  switch (modifier) {
    case 'UPPER':
      return value.toUpperCase();
    case 'LOWER':
      return value.toLowerCase();
    case undefined:
    default:
      // No modifier, or an unknown one (including lower-case "upper"): the value as it is.
      return value;
  }
}

/**
 * Replaces parameter tokens in strings.
 * @example
 * ```ts
 * const filter = new TokenFilter({ GUAC_USERNAME: 'Alice' });
 * filter.filter('user=${GUAC_USERNAME:LOWER}');   // 'user=alice'
 * filter.filter('literal $${GUAC_USERNAME}');     // 'literal ${GUAC_USERNAME}'
 * filter.filter('${UNKNOWN}');                    // '${UNKNOWN}' (left as is)
 * ```
 */
export class TokenFilter {
  readonly #tokens = new Map<string, string>();

  /** @param tokens the initial token values; default none */
  constructor(tokens: TokenMap = {}) {
    this.setTokens(tokens);
  }

  /**
   * @param name the token name, e.g. `GUAC_USERNAME`
   * @param value its value
   */
  setToken(name: string, value: string): void {
    this.#tokens.set(name, value);
  }

  /**
   * @param name the token name
   * @returns its value, or undefined
   */
  getToken(name: string): string | undefined {
    return this.#tokens.get(name);
  }

  /** @param name the token to remove */
  unsetToken(name: string): void {
    this.#tokens.delete(name);
  }

  /** @returns a copy of every token */
  getTokens(): Map<string, string> {
    return new Map(this.#tokens);
  }

  /** @param tokens the values replacing all current tokens */
  setTokens(tokens: TokenMap): void {
    this.#tokens.clear();
    const entries = tokens instanceof Map ? tokens.entries() : Object.entries(tokens);
    for (const [name, value] of entries as Iterable<[string, string]>)
      this.#tokens.set(name, value);
  }

  /**
   * Substitutes tokens; undefined tokens stay as literal text.
   * @param input the text
   * @returns the filtered text
   */
  filter(input: string): string {
    return this.#filter(input, false);
  }

  /**
   * Substitutes tokens, failing on any undefined one (unless marked `:OPTIONAL`).
   * @param input the text
   * @returns the filtered text
   * @throws {TokenUndefinedError} naming the first undefined token
   */
  filterStrict(input: string): string {
    return this.#filter(input, true);
  }

  /**
   * Filters every value of a map in place (e.g. a configuration's `parameters`).
   * @param map the map to change
   */
  filterValues(map: Map<string, string>): void {
    for (const [name, value] of map) map.set(name, this.filter(value));
  }

  /**
   * Filters every value of a map in place, strictly.
   * @param map the map to change
   * @throws {TokenUndefinedError} on the first undefined token (the map may be partly filtered)
   */
  filterValuesStrict(map: Map<string, string>): void {
    for (const [name, value] of map) map.set(name, this.filterStrict(value));
  }

  #filter(input: string, strict: boolean): string {
    let output = '';
    let endOfLastMatch = 0;
    for (const match of input.matchAll(TOKEN_PATTERN)) {
      const [whole, literal = '', escape = '', token = '', name = ''] = match;
      const modifier = match[6];
      // Java's find() can skip text across a line terminator and never copies it; keeping it here is
      // a deliberate fix (see the report), identical to Java for single-line values.
      output += input.slice(endOfLastMatch, match.index) + literal;
      endOfLastMatch = match.index + whole.length;
      if (escape === '$') {
        output += token;
        continue;
      }
      output += escape;
      const value = this.#tokens.get(name);
      if (value !== undefined) {
        output += applyModifier(value, modifier);
      } else if (modifier === 'OPTIONAL') {
        continue;
      } else if (strict) {
        throw new TokenUndefinedError(name);
      } else {
        output += token;
      }
    }
    return output + input.slice(endOfLastMatch);
  }
}
