/**
 * @module Reading API objects from request bodies as Jackson binds them (`@JsonIgnoreProperties
 * (ignoreUnknown = true)`: unknown properties are ignored, scalars are coerced to strings), plus the
 * attribute filter every create and update applies (`DirectoryObjectTranslator.filterAttributes`).
 */
import type { AttributeMap, Form } from '../extensions/api.js';
import { HttpAnswer } from './api-error.js';

/** A string map as sent (`Map<String, String>`; null values allowed). */
export type StringMap = Record<string, string | null>;

/** A parsed JSON object body. */
export type InputObject = Readonly<Record<string, unknown>>;

function invalid(what: string): never {
  // Jackson's JsonMappingException answers 400 with a plain-text description.
  throw new HttpAnswer(400, `Cannot deserialize ${what}`);
}

/**
 * Reads a body as one object.
 * @param body a parsed body
 * @param what the expected type, for the message
 * @returns the body as an object, or null when it was empty or `null`
 * @throws {HttpAnswer} 400 when it is not an object
 */
export function objectBody(body: unknown, what: string): InputObject | null {
  if (body === null) return null;
  if (typeof body !== 'object' || Array.isArray(body)) invalid(`value of type ${what}`);
  return body as InputObject;
}

/**
 * Reads a body as a list of objects (a patch).
 * @param body a parsed body
 * @param what the expected element type, for the message
 * @returns the body as a list of objects
 * @throws {HttpAnswer} 400 when it is not an array of objects
 */
export function listBody(body: unknown, what: string): InputObject[] {
  if (!Array.isArray(body)) invalid(`value of type List<${what}>`);
  return (body as unknown[]).map((item) => objectBody(item, what) ?? {});
}

/**
 * Reads a string property as Jackson binds one.
 * @param object the object
 * @param key a property
 * @returns the property as a string (numbers and booleans coerced), or undefined when absent or null
 */
export function stringOf(object: InputObject, key: string): string | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return invalid(`property "${key}" as String`);
}

/**
 * Reads a boolean property as Jackson binds one.
 * @param object the object
 * @param key a property
 * @returns the property as a boolean (false when absent; "true"/"false" strings coerced)
 */
export function booleanOf(object: InputObject, key: string): boolean {
  const value = object[key];
  if (value === undefined || value === null) return false;
  if (typeof value === 'boolean') return value;
  if (value === 'true' || value === 'false') return value === 'true';
  return invalid(`property "${key}" as boolean`);
}

/**
 * Reads an integer property as Jackson binds one.
 * @param object the object
 * @param key a property
 * @returns the property as an integer (0 when absent)
 */
export function integerOf(object: InputObject, key: string): number {
  const value = object[key];
  if (value === undefined || value === null) return 0;
  const number = typeof value === 'string' ? Number(value) : value;
  if (typeof number === 'number' && Number.isInteger(number)) return number;
  return invalid(`property "${key}" as int`);
}

/**
 * Reads a string-to-string map property as Jackson binds one.
 * @param object the object
 * @param key a property
 * @returns the property as a string map, or undefined when absent or null
 */
export function stringMapOf(object: InputObject, key: string): StringMap | undefined {
  const value = object[key];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'object' || Array.isArray(value)) invalid(`property "${key}" as Map`);
  const map: StringMap = {};
  for (const [name, entry] of Object.entries(value as Record<string, unknown>)) {
    const text = stringOf({ entry }, 'entry');
    Object.defineProperty(map, name, {
      value: text ?? null,
      enumerable: true,
      writable: true,
      configurable: true,
    });
  }
  return map;
}

/**
 * Keeps only the attributes a schema declares (a declared name present with a null value is kept).
 * @param schema the attribute forms of the object type
 * @param attributes the submitted attributes (absent counts as none)
 * @returns the filtered attributes
 */
export function filterAttributes(
  schema: readonly Form[],
  attributes: AttributeMap | undefined,
): StringMap {
  const filtered: StringMap = {};
  const source = attributes ?? {};
  for (const form of schema) {
    for (const field of form.fields) {
      if (Object.hasOwn(source, field.name)) filtered[field.name] = source[field.name] ?? null;
    }
  }
  return filtered;
}

/**
 * Drops null values, for configurations whose parameters cannot hold them.
 * @param map a string map
 * @returns the non-null entries
 */
export function presentValues(map: StringMap | undefined): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(map ?? {})) if (value !== null) result[name] = value;
  return result;
}
