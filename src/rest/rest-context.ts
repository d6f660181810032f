/**
 * @module What every REST resource shares: the authentication service (sessions and listeners), the
 * logger, the request size limit, protocol definitions and the tunnels opened through this server.
 */
import type { AuthenticationService } from '../auth/index.js';
import type { ExtensionLogger } from '../extensions/api.js';
import type { ProtocolRegistry } from './protocols.js';
import type { TunnelRequestService } from './tunnel-request-service.js';

/** The shared dependencies of the REST resources. */
export interface RestContext {
  /** Sessions, providers and listeners. */
  readonly auth: AuthenticationService;
  /** Where the REST layer logs. */
  readonly logger: ExtensionLogger;
  /** `api-max-request-size` in bytes; 0 for no limit. */
  readonly maxRequestSize: number;
  /** Connection parameter forms by protocol. */
  readonly protocols: ProtocolRegistry;
  /** What is known about each tunnel this server opened. */
  readonly tunnels: TunnelRequestService;
}
