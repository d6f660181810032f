/**
 * @module Submitted objects as the extension API sees them (webapp `APIConnectionWrapper`,
 * `APIConnectionGroupWrapper`, `APIUserWrapper`, `APIUserGroupWrapper`, `APISharingProfileWrapper`):
 * each wraps the submitted JSON, so an identifier the directory assigns on `add` shows up in the echo.
 * What a submitted object cannot know (permissions, history, connecting) throws UnsupportedError.
 */
import {
  ConnectionGroupType,
  GuacamoleConfiguration,
  UnsupportedError,
  type AttributeMap,
  type Connection,
  type ConnectionGroup,
  type SharingProfile,
} from '../extensions/api.js';
import { HttpAnswer } from './api-error.js';
import {
  integerOf,
  presentValues,
  stringMapOf,
  stringOf,
  type InputObject,
  type StringMap,
} from './api-input.js';
import { nonNull, type JsonObject } from './api-objects.js';

/** A submitted object: its JSON, kept mutable so directory changes are echoed. */
export interface Submitted {
  /** The object as it will be echoed (absent properties omitted). */
  toJSON(): JsonObject;
}

/**
 * Throws UnsupportedError, as the wrappers' unsupported methods do.
 * @param message the message
 * @throws {UnsupportedError} always
 */
export const unsupported = (message: string): never => {
  throw new UnsupportedError(message);
};
/** Java's message for what a submitted object cannot do. */
export const NOT_SUPPORTED = 'Operation not supported.';

/** The submitted `APIConnection` fields. */
interface ConnectionJson {
  name?: string | undefined;
  identifier?: string | undefined;
  parentIdentifier?: string | undefined;
  protocol?: string | undefined;
  parameters?: StringMap | undefined;
  attributes?: StringMap | undefined;
  activeConnections: number;
}

/** A submitted `APIConnection`. */
export class ApiConnectionWrapper implements Connection, Submitted {
  readonly #json: ConnectionJson;

  /** @param input the submitted object */
  constructor(input: InputObject) {
    this.#json = {
      name: stringOf(input, 'name'),
      identifier: stringOf(input, 'identifier'),
      parentIdentifier: stringOf(input, 'parentIdentifier'),
      protocol: stringOf(input, 'protocol'),
      parameters: stringMapOf(input, 'parameters'),
      attributes: stringMapOf(input, 'attributes'),
      activeConnections: integerOf(input, 'activeConnections'),
    };
  }

  get identifier(): string {
    return this.#json.identifier ?? '';
  }
  set identifier(value: string) {
    this.#json.identifier = value;
  }
  get name(): string {
    return this.#json.name ?? '';
  }
  set name(value: string) {
    this.#json.name = value;
  }
  get parentIdentifier(): string {
    return this.#json.parentIdentifier ?? '';
  }
  set parentIdentifier(value: string) {
    this.#json.parentIdentifier = value;
  }
  getConfiguration(): GuacamoleConfiguration {
    return new GuacamoleConfiguration({
      protocol: this.#json.protocol,
      parameters: presentValues(this.#json.parameters),
    });
  }
  setConfiguration(configuration: GuacamoleConfiguration): void {
    this.#json.protocol = configuration.protocol;
    this.#json.parameters = configuration.getParameters();
  }
  getAttributes(): AttributeMap {
    return this.#json.attributes ?? {};
  }
  setAttributes(attributes: AttributeMap): void {
    this.#json.attributes = { ...attributes };
  }
  getActiveConnections(): number {
    return this.#json.activeConnections;
  }
  getLastActive(): undefined {
    return undefined;
  }
  getConnectionHistory(): never {
    return unsupported(NOT_SUPPORTED);
  }
  getSharingProfileIdentifiers(): never {
    return unsupported(NOT_SUPPORTED);
  }
  connect(): Promise<never> {
    return Promise.reject(new UnsupportedError(NOT_SUPPORTED));
  }
  toJSON(): JsonObject {
    return nonNull({ ...this.#json });
  }
}

/** A submitted `APIConnectionGroup`. */
export class ApiConnectionGroupWrapper implements ConnectionGroup, Submitted {
  identifier: string;
  name: string;
  parentIdentifier: string | undefined;
  type: ConnectionGroupType;
  #attributes: StringMap | undefined;
  readonly #activeConnections: number;

  /** @param input the submitted object */
  constructor(input: InputObject) {
    this.identifier = stringOf(input, 'identifier') ?? '';
    this.name = stringOf(input, 'name') ?? '';
    this.parentIdentifier = stringOf(input, 'parentIdentifier');
    const type = stringOf(input, 'type') ?? ConnectionGroupType.ORGANIZATIONAL;
    if (type !== 'ORGANIZATIONAL' && type !== 'BALANCING') {
      throw new HttpAnswer(400, `Cannot deserialize value of type ConnectionGroup.Type: "${type}"`);
    }
    this.type = type;
    this.#attributes = stringMapOf(input, 'attributes');
    this.#activeConnections = integerOf(input, 'activeConnections');
  }

  getConnectionIdentifiers(): never {
    return unsupported(NOT_SUPPORTED);
  }
  getConnectionGroupIdentifiers(): never {
    return unsupported(NOT_SUPPORTED);
  }
  getAttributes(): AttributeMap {
    return this.#attributes ?? {};
  }
  setAttributes(attributes: AttributeMap): void {
    this.#attributes = { ...attributes };
  }
  getActiveConnections(): number {
    return this.#activeConnections;
  }
  connect(): Promise<never> {
    return Promise.reject(new UnsupportedError(NOT_SUPPORTED));
  }
  toJSON(): JsonObject {
    return nonNull({
      name: this.name,
      identifier: this.identifier,
      parentIdentifier: this.parentIdentifier,
      type: this.type,
      activeConnections: this.#activeConnections,
      attributes: this.#attributes,
    });
  }
}

/** A submitted `APISharingProfile`. */
export class ApiSharingProfileWrapper implements SharingProfile, Submitted {
  identifier: string;
  name: string;
  primaryConnectionIdentifier: string;
  #parameters: StringMap | undefined;
  #attributes: StringMap | undefined;

  /** @param input the submitted object */
  constructor(input: InputObject) {
    this.identifier = stringOf(input, 'identifier') ?? '';
    this.name = stringOf(input, 'name') ?? '';
    this.primaryConnectionIdentifier = stringOf(input, 'primaryConnectionIdentifier') ?? '';
    this.#parameters = stringMapOf(input, 'parameters');
    this.#attributes = stringMapOf(input, 'attributes');
  }

  getParameters(): Readonly<Record<string, string>> {
    return presentValues(this.#parameters);
  }
  setParameters(parameters: Readonly<Record<string, string>>): void {
    this.#parameters = { ...parameters };
  }
  getAttributes(): AttributeMap {
    return this.#attributes ?? {};
  }
  setAttributes(attributes: AttributeMap): void {
    this.#attributes = { ...attributes };
  }
  /** @returns the submitted parameters, nulls kept (for applying them to an existing profile) */
  submittedParameters(): StringMap | undefined {
    return this.#parameters;
  }
  toJSON(): JsonObject {
    return nonNull({
      name: this.name,
      identifier: this.identifier,
      primaryConnectionIdentifier: this.primaryConnectionIdentifier,
      parameters: this.#parameters,
      attributes: this.#attributes,
    });
  }
}
