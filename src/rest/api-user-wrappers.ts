/**
 * @module Submitted users and user groups as the extension API sees them (webapp `APIUserWrapper`,
 * `APIUserGroupWrapper`): permissions and memberships of a submitted object throw UnsupportedError.
 */
import type { AttributeMap, RelatedObjectSet, User, UserGroup } from '../extensions/api.js';
import { booleanOf, stringMapOf, stringOf, type InputObject, type StringMap } from './api-input.js';
import { nonNull, type JsonObject } from './api-objects.js';
import { NOT_SUPPORTED, unsupported, type Submitted } from './api-wrappers.js';

/** Permission and membership access a submitted user or group cannot give. */
abstract class SubmittedPermissions {
  protected abstract readonly kind: string;
  #noPermissions(): never {
    return unsupported(`${this.kind} does not provide permission access.`);
  }
  protected noGroups(): never {
    return unsupported(`${this.kind} does not provide group access.`);
  }
  getSystemPermissions(): never {
    return this.#noPermissions();
  }
  getConnectionPermissions(): never {
    return this.#noPermissions();
  }
  getConnectionGroupPermissions(): never {
    return this.#noPermissions();
  }
  getSharingProfilePermissions(): never {
    return this.#noPermissions();
  }
  getActiveConnectionPermissions(): never {
    return this.#noPermissions();
  }
  getUserPermissions(): never {
    return this.#noPermissions();
  }
  getUserGroupPermissions(): never {
    return this.#noPermissions();
  }
}

/** A submitted `APIUser` (its password is echoed, as Java does). */
export class ApiUserWrapper extends SubmittedPermissions implements User, Submitted {
  protected readonly kind = 'APIUserWrapper';
  identifier: string;
  password: string | undefined;
  disabled: boolean;
  #attributes: StringMap | undefined;

  /** @param input the submitted object */
  constructor(input: InputObject) {
    super();
    this.identifier = stringOf(input, 'username') ?? '';
    this.password = stringOf(input, 'password');
    this.disabled = booleanOf(input, 'disabled');
    this.#attributes = stringMapOf(input, 'attributes');
  }

  getAttributes(): AttributeMap {
    return this.#attributes ?? {};
  }
  setAttributes(attributes: AttributeMap): void {
    this.#attributes = { ...attributes };
  }
  getLastActive(): undefined {
    return undefined;
  }
  getUserHistory(): never {
    return unsupported(NOT_SUPPORTED);
  }
  getUserGroups(): RelatedObjectSet {
    return this.noGroups();
  }
  getEffectivePermissions(): never {
    return unsupported(`${this.kind} does not provide permission access.`);
  }
  toJSON(): JsonObject {
    return nonNull({
      username: this.identifier,
      password: this.password,
      disabled: this.disabled,
      attributes: this.#attributes,
    });
  }
}

/** A submitted `APIUserGroup`. */
export class ApiUserGroupWrapper extends SubmittedPermissions implements UserGroup, Submitted {
  protected readonly kind = 'APIUserGroupWrapper';
  identifier: string;
  disabled: boolean;
  #attributes: StringMap | undefined;

  /** @param input the submitted object */
  constructor(input: InputObject) {
    super();
    this.identifier = stringOf(input, 'identifier') ?? '';
    this.disabled = booleanOf(input, 'disabled');
    this.#attributes = stringMapOf(input, 'attributes');
  }

  getAttributes(): AttributeMap {
    return this.#attributes ?? {};
  }
  setAttributes(attributes: AttributeMap): void {
    this.#attributes = { ...attributes };
  }
  getUserGroups(): never {
    return this.noGroups();
  }
  getMemberUsers(): never {
    return this.noGroups();
  }
  getMemberUserGroups(): never {
    return this.noGroups();
  }
  toJSON(): JsonObject {
    return nonNull({
      identifier: this.identifier,
      disabled: this.disabled,
      attributes: this.#attributes,
    });
  }
}
