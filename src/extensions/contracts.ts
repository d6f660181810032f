/**
 * @module The least the loader needs from what an extension provides. The real AuthenticationProvider
 * and Listener (src/extensions/api.ts) satisfy these, so the loader does not depend on the auth core.
 */
import type { ExtensionEnvironment } from './environment.js';

/** An authentication provider as the loader sees it. */
export interface ExtensionProvider {
  /** The provider's unique identifier (its data source name, `skip-if-unavailable` key). */
  getIdentifier(): string;
  /** Releases resources when the server stops. */
  shutdown?(): void | Promise<void>;
}

/** An event listener as the loader sees it. */
export interface ExtensionListener {
  /** Receives every event; throwing vetoes events that can be vetoed. */
  handleEvent(event: unknown): void | Promise<void>;
}

/** A module default export that builds a provider or listener (any function that is not a class). */
export type ExtensionFactory<T> = (environment: ExtensionEnvironment) => T | Promise<T>;

/** A module default export that is a class; the environment is passed, a no-arg class ignores it. */
export type ExtensionClass<T> = new (environment: ExtensionEnvironment) => T;

/**
 * Whether a value can serve as an authentication provider.
 * @param value what a class or factory produced
 * @returns true if it has `getIdentifier()` (and `shutdown`, if any, is a function)
 */
export function isExtensionProvider(value: unknown): value is ExtensionProvider {
  if (typeof value !== 'object' || value === null) return false;
  const candidate = value as Partial<Record<'getIdentifier' | 'shutdown', unknown>>;
  return (
    typeof candidate.getIdentifier === 'function' &&
    (candidate.shutdown === undefined || typeof candidate.shutdown === 'function')
  );
}

/**
 * Whether a value can serve as a listener.
 * @param value what a class or factory produced
 * @returns true if it has `handleEvent()`
 */
export function isExtensionListener(value: unknown): value is ExtensionListener {
  if (typeof value !== 'object' || value === null) return false;
  return typeof (value as Partial<Record<'handleEvent', unknown>>).handleEvent === 'function';
}
