/**
 * @module The process's default proxy: main.ts installs the connector chosen at start-up, and
 * connections that name no proxy of their own — or name exactly the configured guacd address, as
 * guacamole-ext's default proxy configuration does — go through it. Any other address is an external
 * guacd a provider chose explicitly, and gets its own TCP/TLS connector.
 */
import type { GuacdConnector } from './connector.js';
import { ExternalGuacdConnector } from './connector-external.js';
import type { GuacdAddress } from './errors.js';

interface Installed {
  readonly connector: GuacdConnector;
  readonly address: GuacdAddress;
}

let installed: Installed | undefined;

/**
 * Installs the process's default connector (main.ts, after choosing it).
 * @param connector the chosen connector
 * @param address the configured guacd address (guacd-hostname/port/ssl, defaults included), which
 *   connections use to mean "the default"
 * @returns a function that uninstalls it again (if still installed)
 */
export function installDefaultGuacdConnector(
  connector: GuacdConnector,
  address: GuacdAddress,
): () => void {
  const entry: Installed = { connector, address: { ...address } };
  installed = entry;
  return () => {
    if (installed === entry) installed = undefined;
  };
}

/** @returns the installed default connector, or undefined */
export function defaultGuacdConnector(): GuacdConnector | undefined {
  return installed?.connector;
}

/**
 * The connector for a connection's proxy configuration.
 * @param address the proxy a connection names, or undefined for the default
 * @returns the default connector when `address` is undefined or the configured address; otherwise
 *   (or when none is installed) an external connector to `address`
 * @throws {TypeError} when `address` is undefined and no default is installed
 */
export function guacdConnectorFor(address: GuacdAddress | undefined): GuacdConnector {
  if (
    installed !== undefined &&
    (address === undefined || sameAddress(address, installed.address))
  ) {
    return installed.connector;
  }
  if (address === undefined) throw new TypeError('No default guacd connector is installed.');
  return new ExternalGuacdConnector(address);
}

function sameAddress(a: GuacdAddress, b: GuacdAddress): boolean {
  return a.hostname === b.hostname && a.port === b.port && a.ssl === b.ssl;
}
