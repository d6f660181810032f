/**
 * @module The external-guacd connector: TCP or TLS to `guacd-hostname:guacd-port` (connectGuacd), then
 * the handshake (configureSocket); its health is whether guacd accepts a TCP connection.
 */
import net from 'node:net';
import type { ClientInformation, GuacamoleConfiguration } from '../protocol/index.js';
import { configureSocket, type ConfiguredGuacdSocket } from './configured-socket.js';
import type { GuacdConnector, GuacdHealth, GuacdTarget } from './connector.js';
import { formatAddress, type GuacdAddress } from './errors.js';
import { connectGuacd } from './tcp-socket.js';

/** How long a health probe waits for guacd to accept a TCP connection. */
export const GUACD_PROBE_TIMEOUT_MS = 2000;

/**
 * Tries a TCP connection and closes it at once.
 * @param address where to connect
 * @param timeoutMs how long to wait
 * @returns undefined when something accepted, else the reason
 */
export function probeTcp(
  address: Pick<GuacdAddress, 'hostname' | 'port'>,
  timeoutMs: number,
): Promise<string | undefined> {
  const where = formatAddress(address);
  return new Promise((resolve) => {
    const socket = net.connect({ host: address.hostname, port: address.port });
    const finish = (reason?: string): void => {
      socket.destroy();
      resolve(reason);
    };
    socket.setTimeout(timeoutMs, () => {
      finish(`No connection to guacd at ${where} within ${timeoutMs} ms.`);
    });
    socket.once('connect', () => {
      finish();
    });
    socket.once('error', (error) => {
      finish(`guacd at ${where}: ${error.message}`);
    });
  });
}

/** Connects to an external guacd. */
export class ExternalGuacdConnector implements GuacdConnector {
  readonly target: GuacdTarget;
  readonly description: string;
  readonly #address: GuacdAddress;
  readonly #probeTimeoutMs: number;

  /**
   * @param address guacd's host, port and whether it speaks TLS
   * @param options the health probe's timeout (default {@link GUACD_PROBE_TIMEOUT_MS})
   */
  constructor(address: GuacdAddress, options: { readonly probeTimeoutMs?: number } = {}) {
    this.#address = { hostname: address.hostname, port: address.port, ssl: address.ssl };
    this.#probeTimeoutMs = options.probeTimeoutMs ?? GUACD_PROBE_TIMEOUT_MS;
    this.target = { kind: 'external', ...this.#address };
    this.description = `guacd at ${formatAddress(address)}${address.ssl ? ' (TLS)' : ''}`;
  }

  async connect(
    configuration: GuacamoleConfiguration,
    info: Readonly<ClientInformation>,
  ): Promise<ConfiguredGuacdSocket> {
    const socket = await connectGuacd(this.#address);
    return await configureSocket(socket, configuration, info);
  }

  async health(): Promise<GuacdHealth> {
    const reason = await probeTcp(this.#address, this.#probeTimeoutMs);
    return reason === undefined
      ? { ok: true, guacd: 'reachable' }
      : { ok: false, guacd: 'unreachable', reason };
  }

  close(): Promise<void> {
    return Promise.resolve();
  }
}
