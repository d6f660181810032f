/**
 * @module The registry of TypeScript ports of Java extension classes. When a jar names a Java class
 * that has a registered port, the port is built with the same environment (and so reads the same
 * guacamole.properties) in the class's place; the app fills the registry before loading extensions.
 */
import { ServerError } from '../protocol/index.js';
import type { ExtensionEnvironment } from './environment.js';

/** Builds a port: a provider for an `authProviders` class, a listener for a `listeners` class. */
export type BuiltInPortFactory = (environment: ExtensionEnvironment) => unknown;

/** Java class name → port factory. */
export class BuiltInPortRegistry {
  readonly #ports = new Map<string, BuiltInPortFactory>();

  /**
   * Registers the port of one Java class.
   * @param javaClassName the fully-qualified class name as manifests write it
   * @param factory builds the provider or listener (may be async)
   * @throws ServerError if that class already has a port
   */
  register(javaClassName: string, factory: BuiltInPortFactory): void {
    if (this.#ports.has(javaClassName))
      throw new ServerError(`A built-in port of ${javaClassName} is already registered.`);
    this.#ports.set(javaClassName, factory);
  }

  /**
   * Finds the port of a Java class.
   * @param javaClassName the fully-qualified class name
   * @returns its factory, or undefined when there is no port
   */
  get(javaClassName: string): BuiltInPortFactory | undefined {
    return this.#ports.get(javaClassName);
  }

  /** The class names that have ports, in registration order. */
  get classNames(): readonly string[] {
    return [...this.#ports.keys()];
  }
}

/** The registry `loadExtensions` uses unless given another. */
export const builtInPorts = new BuiltInPortRegistry();

/**
 * Registers a port in the default registry.
 * @param javaClassName the fully-qualified class name as manifests write it
 * @param factory builds the provider or listener
 * @throws ServerError if that class already has a port
 */
export function registerBuiltInPort(javaClassName: string, factory: BuiltInPortFactory): void {
  builtInPorts.register(javaClassName, factory);
}
