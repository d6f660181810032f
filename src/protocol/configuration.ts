/**
 * @module GuacamoleConfiguration: what a connection to guacd should do — the protocol to select, or the
 * guacd connection ID to join, plus the protocol parameters sent in `connect`.
 */

/** The fields a configuration can be built from; a GuacamoleConfiguration itself fits this shape. */
export interface GuacamoleConfigurationInit {
  /** The guacd connection ID to join, `$`-prefixed; takes precedence over the protocol. */
  readonly connectionId?: string | undefined;
  /** Parameter values by name, as a Map, entries or a plain object. */
  readonly parameters?: Iterable<readonly [string, string]> | Readonly<Record<string, string>>;
  /** The protocol guacd should load, e.g. `rdp` or `vnc`. */
  readonly protocol?: string | undefined;
}

/** A connection's configuration, mirroring Java's GuacamoleConfiguration (mutable, copyable). */
export class GuacamoleConfiguration {
  /** The guacd connection ID to join (sent in `select` instead of the protocol), or undefined. */
  connectionId: string | undefined;
  /** The protocol to select when not joining, or undefined. */
  protocol: string | undefined;
  /** Parameter values by name; unknown names are sent to guacd as empty strings. */
  readonly parameters = new Map<string, string>();

  /**
   * Creates an empty configuration, or a copy of another one (Java's copy constructor).
   * @param source the configuration or plain fields to copy; parameters are copied, not shared
   */
  constructor(source: GuacamoleConfigurationInit = {}) {
    this.connectionId = source.connectionId;
    this.protocol = source.protocol;
    if (source.parameters !== undefined) this.setParameters(source.parameters);
  }

  /**
   * @param name the parameter name
   * @returns its value, or undefined when it is not set
   */
  getParameter(name: string): string | undefined {
    return this.parameters.get(name);
  }

  /**
   * Sets one parameter.
   * @param name the parameter name
   * @param value its value
   */
  setParameter(name: string, value: string): void {
    this.parameters.set(name, value);
  }

  /**
   * Removes one parameter.
   * @param name the parameter name
   */
  unsetParameter(name: string): void {
    this.parameters.delete(name);
  }

  /** @returns the names of all parameters that are set, in insertion order */
  getParameterNames(): string[] {
    return [...this.parameters.keys()];
  }

  /** @returns a copy of all parameters as a plain object */
  getParameters(): Record<string, string> {
    return Object.fromEntries(this.parameters);
  }

  /**
   * Sets several parameters at once, keeping those not mentioned (Java's `setParameters` uses putAll).
   * @param parameters a Map, entries or a plain object
   */
  setParameters(
    parameters: Iterable<readonly [string, string]> | Readonly<Record<string, string>>,
  ): void {
    const entries = isIterable(parameters) ? parameters : Object.entries(parameters);
    for (const [name, value] of entries) this.parameters.set(name, value);
  }
}

function isIterable(
  value: Iterable<readonly [string, string]> | Readonly<Record<string, string>>,
): value is Iterable<readonly [string, string]> {
  return Symbol.iterator in value;
}
