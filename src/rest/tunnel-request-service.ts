/**
 * @module TunnelRequestService (webapp `TunnelRequestService`, `TunnelRequest`, `TunnelRequestType`): the
 * `connect` both tunnels use. It validates the request exactly as Java does, finds the session and the
 * connectable, connects with the standard tokens and the user's name, fires TunnelConnectEvent (a veto
 * fails the request) and TunnelCloseEvent, and registers the tunnel in the session under its UUID.
 */
import {
  ClientError,
  defaultClientInformation,
  ResourceNotFoundError,
  SILENT_EXTENSION_LOGGER,
  standardTokens,
  TunnelCloseEvent,
  TunnelConnectEvent,
  UnauthorizedError,
  type ClientInformation,
  type Connectable,
  type ExtensionLogger,
  type MaybePromise,
  type UserContext,
} from '../extensions/api.js';
import type { AuthenticationService } from '../auth/index.js';
import type { Tunnel, TunnelRequest } from '../tunnel/index.js';

/** The request parameter names (`TunnelRequest.*_PARAMETER`). */
export const TunnelParameter = Object.freeze({
  TOKEN: 'token',
  DATA_SOURCE: 'GUAC_DATA_SOURCE',
  TYPE: 'GUAC_TYPE',
  ID: 'GUAC_ID',
  WIDTH: 'GUAC_WIDTH',
  HEIGHT: 'GUAC_HEIGHT',
  DPI: 'GUAC_DPI',
  AUDIO: 'GUAC_AUDIO',
  VIDEO: 'GUAC_VIDEO',
  IMAGE: 'GUAC_IMAGE',
  TIMEZONE: 'GUAC_TIMEZONE',
} as const);

/** What a tunnel connects to (`TunnelRequestType`): `c`, `g` or `a`. */
const TYPES = {
  c: { name: 'connection', lookup: (context: UserContext) => context.getConnectionDirectory() },
  g: {
    name: 'connection group',
    lookup: (context: UserContext) => context.getConnectionGroupDirectory(),
  },
  a: {
    name: 'active connection',
    lookup: (context: UserContext) => context.getActiveConnectionDirectory(),
  },
} as const satisfies Record<
  string,
  {
    name: string;
    lookup: (context: UserContext) => MaybePromise<{ get(id: string): unknown }>;
  }
>;

/** A tunnel type letter. */
export type TunnelType = keyof typeof TYPES;

/** What the REST API knows about a tunnel this service opened. */
export interface TunnelDetails {
  /** The context it was opened through (`UserTunnel.getUserContext`). */
  readonly userContext: UserContext;
  /** The protocol guacd was asked for, when known (`GuacamoleSocket.getProtocol`). */
  readonly protocol: string | undefined;
}

/** Options of {@link TunnelRequestService}. */
export interface TunnelRequestServiceOptions {
  /** Sessions and listeners. */
  readonly auth: AuthenticationService;
  /** Where connects and disconnects are logged. Default: silent. */
  readonly logger?: ExtensionLogger;
}

function required(request: TunnelRequest, name: string): string {
  const value = request.getParameter(name);
  if (value === undefined) throw new ClientError(`Parameter "${name}" is required.`);
  return value;
}

/** Java's `Integer.parseInt`: an optional sign, ASCII digits, 32-bit range. */
function integer(request: TunnelRequest, name: string): number | undefined {
  const value = request.getParameter(name);
  if (value === undefined) return undefined;
  const parsed = /^[+-]?\d+$/.test(value) ? Number(value) : NaN;
  if (!Number.isSafeInteger(parsed) || parsed < -(2 ** 31) || parsed > 2 ** 31 - 1) {
    throw new ClientError(`Parameter "${name}" must be a valid integer.`);
  }
  return parsed;
}

function clientInformation(request: TunnelRequest): ClientInformation {
  const info = defaultClientInformation();
  info.width = integer(request, TunnelParameter.WIDTH) ?? info.width;
  info.height = integer(request, TunnelParameter.HEIGHT) ?? info.height;
  info.dpi = integer(request, TunnelParameter.DPI) ?? info.dpi;
  info.audioMimetypes.push(...request.getParameterValues(TunnelParameter.AUDIO));
  info.videoMimetypes.push(...request.getParameterValues(TunnelParameter.VIDEO));
  info.imageMimetypes.push(...request.getParameterValues(TunnelParameter.IMAGE));
  const timezone = request.getParameter(TunnelParameter.TIMEZONE);
  if (timezone !== undefined && timezone !== '') info.timezone = timezone;
  return info;
}

async function protocolOf(
  tunnel: Tunnel,
  type: TunnelType,
  target: Connectable,
): Promise<string | undefined> {
  // A socket that reports its protocol (Java's getProtocol) wins; else a connection's configuration.
  const reported = (tunnel.socket as { readonly protocol?: unknown }).protocol;
  if (typeof reported === 'string') return reported;
  if (type !== 'c' || !('getConfiguration' in target)) return undefined;
  try {
    const configuration = await (target as { getConfiguration(): unknown }).getConfiguration();
    const protocol = (configuration as { protocol?: unknown } | undefined)?.protocol;
    return typeof protocol === 'string' ? protocol : undefined;
  } catch {
    return undefined;
  }
}

/** Opens tunnels for authenticated sessions. */
export class TunnelRequestService {
  readonly #auth: AuthenticationService;
  readonly #logger: ExtensionLogger;
  readonly #details = new WeakMap<object, TunnelDetails>();

  /** @param options sessions, listeners and logger */
  constructor(options: TunnelRequestServiceOptions) {
    this.#auth = options.auth;
    this.#logger = options.logger ?? SILENT_EXTENSION_LOGGER;
  }

  /**
   * @param tunnel a tunnel from a session's tunnel map
   * @returns what is known about it, or undefined if this service did not open it
   */
  details(tunnel: object): TunnelDetails | undefined {
    return this.#details.get(tunnel);
  }

  /**
   * Opens a tunnel (`createTunnel`); pass it as the tunnels' `connect`.
   * @param request the tunnel request
   * @returns the open tunnel, registered in its session
   * @throws {ClientError} a missing or invalid parameter, with Java's message
   * @throws {UnauthorizedError} "Permission Denied." for an unknown token (the session is destroyed)
   * @throws {ResourceNotFoundError} for an unknown data source or destination
   * @throws {GuacamoleError} whatever connecting or a TunnelConnectEvent listener throws
   */
  async createTunnel(request: TunnelRequest): Promise<Tunnel> {
    const token = request.getParameter(TunnelParameter.TOKEN);
    const id = required(request, TunnelParameter.ID);
    const typeName = required(request, TunnelParameter.TYPE);
    if (!Object.hasOwn(TYPES, typeName))
      throw new ClientError('Illegal identifier - unknown type.');
    const type = typeName as TunnelType;
    const dataSource = required(request, TunnelParameter.DATA_SOURCE);
    const info = clientInformation(request);
    const session = this.#auth.getSession(token);
    const user = session.getAuthenticatedUser();
    const userContext = session.getUserContext(dataSource);
    info.name = user.identifier;
    try {
      const found = await (await TYPES[type].lookup(userContext)).get(id);
      if (found === null || found === undefined) {
        throw new ResourceNotFoundError('Requested tunnel destination does not exist.');
      }
      const target = found as Connectable;
      const tunnel = await target.connect(info, standardTokens(user));
      const self = (await userContext.self()).identifier;
      this.#logger.info(`User "${self}" connected to ${TYPES[type].name} "${id}".`);
      try {
        await this.#auth.listeners.handleEvent(
          new TunnelConnectEvent(user, user.getCredentials(), tunnel),
        );
      } catch (veto) {
        // Java leaves the vetoed tunnel open; it is closed here so guacd is not left waiting.
        tunnel.close();
        throw veto;
      }
      this.#details.set(tunnel, { userContext, protocol: await protocolOf(tunnel, type, target) });
      const started = Date.now();
      tunnel.onClose(() => {
        const duration = Date.now() - started;
        this.#logger.info(
          `User "${user.identifier}" disconnected from ${TYPES[type].name} "${id}". ` +
            `Duration: ${duration} milliseconds`,
        );
        this.#auth.listeners
          .handleEvent(new TunnelCloseEvent(user, user.getCredentials(), tunnel))
          .catch((error: unknown) => {
            const reason = error instanceof Error ? error.message : String(error);
            this.#logger.warn(
              `A TunnelCloseEvent listener failed (the tunnel is closed): ${reason}`,
            );
          });
      });
      session.addTunnel(tunnel);
      // A tunnel that closed before it was registered would keep its session alive for ever.
      if (!tunnel.isOpen()) session.removeTunnel(tunnel.uuid);
      return tunnel;
    } catch (error) {
      if (error instanceof UnauthorizedError && (await this.#auth.destroySession(token))) {
        this.#logger.debug('Implicitly invalidated the session of an unauthorized tunnel request.');
      }
      throw error;
    }
  }
}
