/**
 * @module The provider left in place of one that could not be constructed (Java's
 * `AuthenticationProviderFacade` holding null): it authenticates nobody, and its identifier is a
 * random UUID, with a warning each time it is asked, so the logs point back to the load error.
 */
import { randomUUID } from 'node:crypto';
import type { ExtensionProvider } from './contracts.js';
import type { ExtensionLogger } from './environment.js';

/** The warning Java's facade logs whenever an inert provider is used. */
export const INERT_PROVIDER_WARNING =
  'The authentication system could not be loaded. Please check for errors earlier in the logs.';

/** A provider that could not be constructed; the auth core treats it as authenticating nobody. */
export interface InertProvider extends ExtensionProvider {
  /** Always true: lets the auth core recognise the placeholder. */
  readonly inert: true;
}

/**
 * Creates the placeholder for a provider that failed to start.
 * @param logger where the warning goes
 * @returns an inert provider with a fresh random identifier
 */
export function createInertProvider(logger: ExtensionLogger): InertProvider {
  const identifier = randomUUID();
  return {
    inert: true,
    getIdentifier: () => {
      logger.warn(INERT_PROVIDER_WARNING);
      return identifier;
    },
  };
}
