/**
 * @module Typed guacamole.properties declarations (Java's `GuacamoleProperty<T>` and its subclasses).
 * Every module declares its own properties with these factories; parsing copies Java's rules and wording.
 */
import { ServerError } from '../protocol/index.js';

/** A property value that does not parse; the message names the property, the loader adds where it came from. */
export class PropertyValueError extends ServerError {}

/** A declared guacamole.properties property that parses its raw string into a `T`. */
export interface Property<T> {
  /** The property name as written in guacamole.properties, e.g. `guacd-hostname`. */
  readonly name: string;
  /** One sentence for documentation and `--help`-style listings. */
  readonly description: string;
  /** Whether the value must never be logged (passwords, keys); `describe()` masks it. */
  readonly secret: boolean;
  /** The value used when the property is absent, or undefined for "unset". */
  readonly defaultValue: T | undefined;
  /** The default as it would be written in guacamole.properties, or undefined. */
  readonly defaultText: string | undefined;
  /**
   * Parses a raw value (already trimmed when it came from guacamole.properties).
   * @param raw the string value
   * @returns the typed value
   * @throws PropertyValueError if the value is not legal for this property
   */
  parse(raw: string): T;
}

/** Options every factory accepts. */
export interface PropertyOptions {
  /** One sentence describing the property. */
  readonly description: string;
  /** Mask the value in logs. Default: false. */
  readonly secret?: boolean;
}

// Java's `\s` without UNICODE_CHARACTER_CLASS is ASCII only; JS `\s` would also eat U+00A0 and friends.
const JAVA_SPACE = '[ \\t\\n\\x0B\\f\\r]*';
const LIST_DELIMITER = new RegExp(`[,;]${JAVA_SPACE}`);
const COMMA_DELIMITER = new RegExp(`,${JAVA_SPACE}`);

const INT_MIN = -(2 ** 31);
const INT_MAX = 2 ** 31 - 1;

function define<T>(
  name: string,
  options: PropertyOptions,
  defaultValue: T | undefined,
  defaultText: string | undefined,
  parse: (raw: string) => T,
): Property<T> {
  return Object.freeze({
    name,
    description: options.description,
    secret: options.secret ?? false,
    defaultValue,
    defaultText,
    parse,
  });
}

/**
 * Splits like Java's `Pattern.split(input)`: no match gives `[input]` (even for ""), otherwise trailing
 * empty strings are dropped, so "a,b," is `["a", "b"]` and "," is `[]`.
 */
function javaSplit(input: string, delimiter: RegExp): string[] {
  const parts = input.split(delimiter);
  if (parts.length === 1) return parts;
  while (parts.at(-1) === '') parts.pop();
  return parts;
}

/** Java `String.equalsIgnoreCase`: per UTF-16 unit, equal, equal upper case, or equal lower of upper. */
function equalsIgnoreCase(a: string, b: string): boolean {
  if (a.length !== b.length) return false;
  for (let i = 0; i < a.length; i++) {
    const x = a.charAt(i);
    const y = b.charAt(i);
    if (x === y) continue;
    const ux = upperChar(x);
    const uy = upperChar(y);
    if (ux === uy || ux.toLowerCase() === uy.toLowerCase()) continue;
    return false;
  }
  return true;
}

/** Java's `Character.toUpperCase(char)`: a simple one-to-one mapping, so "ß" stays "ß". */
function upperChar(c: string): string {
  const upper = c.toUpperCase();
  return upper.length === 1 ? upper : c;
}

function rangeProblem(name: string, min: number | undefined, max: number | undefined): string {
  if (min !== undefined && max !== undefined) {
    return `Property "${name}" must be between ${min} and ${max}.`;
  }
  return min !== undefined
    ? `Property "${name}" must be at least ${min}.`
    : `Property "${name}" must be at most ${String(max)}.`;
}

/** Options of {@link integerProperty} and {@link longProperty}. */
export interface IntegerOptions extends PropertyOptions {
  /** The value when absent. */
  readonly default?: number;
  /** Smallest legal value (inclusive); Java has no such check, it is ours. */
  readonly min?: number;
  /** Largest legal value (inclusive). */
  readonly max?: number;
}

function numberProperty(
  name: string,
  options: IntegerOptions,
  limits: { readonly min: number; readonly max: number; readonly problem: string },
): Property<number> {
  return define(name, options, options.default, options.default?.toString(), (raw) => {
    // Integer.valueOf / Long.valueOf: optional sign then decimal digits; no spaces, no "0x", no "1e3".
    if (!/^[+-]?[0-9]+$/.test(raw)) throw new PropertyValueError(limits.problem);
    const big = BigInt(raw);
    if (big < BigInt(limits.min) || big > BigInt(limits.max)) {
      throw new PropertyValueError(limits.problem);
    }
    const value = Number(big);
    if (
      (options.min !== undefined && value < options.min) ||
      (options.max !== undefined && value > options.max)
    ) {
      throw new PropertyValueError(rangeProblem(name, options.min, options.max));
    }
    return value;
  });
}

/**
 * Declares a string property, returned as-is (`StringGuacamoleProperty`).
 * @param name the property name
 * @param options description, default and secrecy
 * @returns the property
 */
export function stringProperty(
  name: string,
  options: PropertyOptions & { readonly default?: string },
): Property<string> {
  return define(name, options, options.default, options.default, (raw) => raw);
}

/**
 * Declares a 32-bit integer property parsed like Java's `Integer.valueOf` (`IntegerGuacamoleProperty`).
 * @param name the property name
 * @param options description, default and an optional inclusive range
 * @returns the property
 */
export function integerProperty(name: string, options: IntegerOptions): Property<number> {
  const problem = `Property "${name}" must be an integer.`;
  return numberProperty(name, options, { min: INT_MIN, max: INT_MAX, problem });
}

/**
 * Declares a long property parsed like `Long.valueOf`, limited to JavaScript's safe integers.
 * @param name the property name
 * @param options description, default and an optional inclusive range
 * @returns the property
 */
export function longProperty(name: string, options: IntegerOptions): Property<number> {
  // Java says "must be an long."; the grammar is fixed here since no client matches on it.
  const problem = `Property "${name}" must be an integer.`;
  const limits = { min: Number.MIN_SAFE_INTEGER, max: Number.MAX_SAFE_INTEGER, problem };
  return numberProperty(name, options, limits);
}

/**
 * Declares a boolean property: "true" or "false" in any case (`BooleanGuacamoleProperty`).
 * @param name the property name
 * @param options description and default
 * @returns the property
 */
export function booleanProperty(
  name: string,
  options: PropertyOptions & { readonly default?: boolean },
): Property<boolean> {
  return define(name, options, options.default, options.default?.toString(), (raw) => {
    if (equalsIgnoreCase(raw, 'true')) return true;
    if (equalsIgnoreCase(raw, 'false')) return false;
    throw new PropertyValueError(`Property "${name}" must be either "true" or "false".`);
  });
}

/**
 * Declares a property whose value is one of a fixed set of strings, matched exactly and
 * case-sensitively (`EnumGuacamoleProperty`).
 * @param name the property name
 * @param values the legal values
 * @param options description and default
 * @returns the property
 */
export function enumProperty<const V extends string>(
  name: string,
  values: readonly V[],
  options: PropertyOptions & { readonly default?: NoInfer<V> },
): Property<V> {
  const legal: ReadonlySet<string> = new Set(values);
  const listed = [...legal].sort().join('", "');
  const isLegal = (raw: string): raw is V => legal.has(raw);
  return define(name, options, options.default, options.default, (raw) => {
    if (isLegal(raw)) return raw;
    throw new PropertyValueError(
      `"${raw}" is not a valid value for property "${name}". Valid values are: "${listed}"`,
    );
  });
}

/**
 * Declares a list split on commas or semicolons plus following whitespace (the collection form of
 * `StringGuacamoleProperty`); trailing whitespace of each item is kept, as in Java.
 * @param name the property name
 * @param options description and default
 * @returns the property
 */
export function stringListProperty(
  name: string,
  options: PropertyOptions & { readonly default?: readonly string[] },
): Property<string[]> {
  const def = options.default === undefined ? undefined : [...options.default];
  return define(name, options, def, def?.join(', '), (raw) => javaSplit(raw, LIST_DELIMITER));
}

/**
 * Declares an ordered list split on commas plus following whitespace only (`ExtensionOrderProperty`).
 * @param name the property name
 * @param options description and default
 * @returns the property
 */
export function orderedListProperty(
  name: string,
  options: PropertyOptions & { readonly default?: readonly string[] },
): Property<string[]> {
  const def = options.default === undefined ? undefined : [...options.default];
  return define(name, options, def, def?.join(', '), (raw) => javaSplit(raw, COMMA_DELIMITER));
}

/**
 * Declares a set split on commas plus following whitespace (the web app's `StringSetProperty`).
 * @param name the property name
 * @param options description and default
 * @returns the property
 */
export function stringSetProperty(
  name: string,
  options: PropertyOptions & { readonly default?: readonly string[] },
): Property<Set<string>> {
  const def = options.default === undefined ? undefined : new Set(options.default);
  const text = options.default?.join(', ');
  return define(name, options, def, text, (raw) => new Set(javaSplit(raw, COMMA_DELIMITER)));
}
