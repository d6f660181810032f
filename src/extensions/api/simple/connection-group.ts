/**
 * @module SimpleConnectionGroup (guacamole-ext `SimpleConnectionGroup`): a fixed ORGANIZATIONAL group,
 * such as the `ROOT` group of AbstractUserContext; connecting to it is refused.
 */
import { SecurityError } from '../../../protocol/index.js';
import type { Tunnel } from '../../../tunnel/index.js';
import {
  ConnectionGroupType,
  type AttributeMap,
  type ConnectionGroup,
  type ConnectionGroupType as GroupType,
} from '../objects.js';

/** What a {@link SimpleConnectionGroup} is built from. */
export interface SimpleConnectionGroupInit {
  /** Identifiers of the connections directly inside. Default: none. */
  readonly connectionIdentifiers?: Iterable<string>;
  /** Identifiers of the groups directly inside. Default: none. */
  readonly connectionGroupIdentifiers?: Iterable<string>;
  /** The group's identifier. */
  readonly identifier: string;
  /** The group's name. */
  readonly name: string;
  /** The parent group's identifier. Default: undefined (a root group). */
  readonly parentIdentifier?: string | undefined;
}

/**
 * A fixed organizational connection group.
 * @example
 * ```ts
 * const root = new SimpleConnectionGroup({ name: 'ROOT', identifier: 'ROOT', connectionIdentifiers: ['a'] });
 * ```
 */
export class SimpleConnectionGroup implements ConnectionGroup {
  identifier: string;
  name: string;
  parentIdentifier: string | undefined;
  type: GroupType = ConnectionGroupType.ORGANIZATIONAL;
  readonly #connections: ReadonlySet<string>;
  readonly #groups: ReadonlySet<string>;

  /** @param init identifier, name, parent and children */
  constructor(init: SimpleConnectionGroupInit) {
    this.identifier = init.identifier;
    this.name = init.name;
    this.parentIdentifier = init.parentIdentifier;
    this.#connections = new Set(init.connectionIdentifiers ?? []);
    this.#groups = new Set(init.connectionGroupIdentifiers ?? []);
  }

  getConnectionIdentifiers(): ReadonlySet<string> {
    return this.#connections;
  }

  getConnectionGroupIdentifiers(): ReadonlySet<string> {
    return this.#groups;
  }

  getAttributes(): AttributeMap {
    return {};
  }

  setAttributes(): void {
    // A simple group has no attributes; Java ignores them too.
  }

  getActiveConnections(): number {
    return 0;
  }

  /**
   * Refuses: an organizational group cannot be connected to.
   * @throws {SecurityError} "Permission denied." always
   */
  connect(): Promise<Tunnel> {
    return Promise.reject(new SecurityError('Permission denied.'));
  }
}
