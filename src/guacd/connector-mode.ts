/**
 * @module Choosing the proxy at start-up from `guacd-mode`: `external` is guacd at
 * guacd-hostname:guacd-port, `embedded` the bundled proxy in-process, and `auto` (the default) keeps an
 * existing Guacamole set-up working — external when a guacd-* address property is set or something
 * answers on the default address (localhost:4822), else embedded — and says which and why.
 */
import type { Property } from '../config/property.js';
import type { GuacdConnector } from './connector.js';
import {
  EmbeddedGuacdConnector,
  type EmbeddedGuacdConnectorOptions,
} from './connector-embedded.js';
import { ExternalGuacdConnector, probeTcp } from './connector-external.js';
import { formatAddress, type GuacdAddress } from './errors.js';
import { GUACD_HOSTNAME, GUACD_MODE, GUACD_PORT, GUACD_SSL } from './properties.js';

/** How long `auto` waits for something to accept on localhost:4822 at start-up. */
export const AUTO_PROBE_TIMEOUT_MS = 1000;

/** Typed access to guacamole.properties, with whether a property is set at all (Configuration). */
export interface GuacdSettingsReader {
  /** @returns the property's value or default */
  require<T>(property: Property<T>): T;
  /** @returns whether the property has a value of its own (not just its default) */
  has(property: Property<unknown>): boolean;
}

/** Options of {@link resolveGuacdConnector}. */
export interface ResolveGuacdOptions {
  /** Probes an address; resolves undefined when something accepts, else the reason. */
  readonly probe?: (address: GuacdAddress) => Promise<string | undefined>;
  /** The embedded connector's plugins, logger and socket options. */
  readonly embedded?: EmbeddedGuacdConnectorOptions;
}

/** The chosen proxy and why. */
export interface GuacdDecision {
  /** The connector to use. */
  readonly connector: GuacdConnector;
  /** guacd-hostname/port/ssl as configured (defaults included): the address that means "the default". */
  readonly address: GuacdAddress;
  /** A sentence for the log saying which proxy and why. */
  readonly reason: string;
}

/**
 * Reads guacd-hostname, guacd-port and guacd-ssl, defaults included.
 * @param settings guacamole.properties
 * @returns the configured address
 */
export function configuredGuacdAddress(settings: GuacdSettingsReader): GuacdAddress {
  return {
    hostname: settings.require(GUACD_HOSTNAME),
    port: settings.require(GUACD_PORT),
    ssl: settings.require(GUACD_SSL),
  };
}

/**
 * Chooses the proxy from `guacd-mode`.
 * @param settings guacamole.properties
 * @param options the probe (tests) and the embedded proxy's options
 * @returns the connector, the configured address and the reason
 * @throws {ConfigurationError} when a guacd property is invalid
 */
export async function resolveGuacdConnector(
  settings: GuacdSettingsReader,
  options: ResolveGuacdOptions = {},
): Promise<GuacdDecision> {
  const mode = settings.require(GUACD_MODE);
  const address = configuredGuacdAddress(settings);
  const where = formatAddress(address);
  const external = (reason: string): GuacdDecision => ({
    connector: new ExternalGuacdConnector(address),
    address,
    reason,
  });
  const embedded = (reason: string): GuacdDecision => ({
    connector: new EmbeddedGuacdConnector(options.embedded),
    address,
    reason,
  });
  if (mode === 'external') return external(`guacd-mode is external: using guacd at ${where}.`);
  if (mode === 'embedded') return embedded('guacd-mode is embedded: using the bundled proxy.');
  const set = [GUACD_HOSTNAME, GUACD_PORT, GUACD_SSL].filter((p) => settings.has(p));
  if (set.length > 0) {
    const names = set.map((p) => p.name).join(', ');
    return external(`guacd-mode is auto and ${names} set: using guacd at ${where}.`);
  }
  const probe = options.probe ?? ((target) => probeTcp(target, AUTO_PROBE_TIMEOUT_MS));
  const failure = await probe(address);
  if (failure === undefined) {
    return external(`guacd-mode is auto and a guacd answers at ${where}: using it.`);
  }
  return embedded(
    `guacd-mode is auto and no guacd answers at ${where} (${failure}): using the bundled proxy.`,
  );
}
