/**
 * @module The page side of the official-flow test: one `page.evaluate` that makes the official
 * frontend's requests in its order (authenticationService, connectionGroupService, ManagedClient,
 * tunnelService) with `fetch` and npm's guacamole-common-js, and records every answer for the test to
 * check in Node.
 */
import type { Page } from 'playwright-core';

/** One REST answer: the status and the parsed JSON body (null when there is none). */
export interface Answer {
  readonly status: number;
  readonly body: unknown;
}

/** Everything the flow observed. */
export interface FlowRecord {
  readonly rejected: Answer;
  readonly login: Answer;
  readonly refresh: Answer;
  readonly languages: Answer;
  readonly patches: Answer;
  readonly headBefore: number;
  readonly tree: Answer;
  readonly permissions: Answer;
  readonly activeConnectionsBefore: Answer;
  readonly connection: Answer;
  readonly tunnel: {
    readonly uuid: string | null;
    readonly firstSync: string | null;
    readonly error: string | null;
  };
  readonly tunnels: Answer;
  readonly protocol: Answer;
  readonly sharingProfiles: Answer;
  readonly unknownTunnel: Answer;
  readonly logout: number;
  readonly headAfter: number;
  readonly treeAfter: Answer;
  readonly pageErrors: readonly string[];
}

/** The connect string parameters ManagedClient.getConnectString sends (fixed values). */
export const CONNECT_PARAMETERS: readonly (readonly [string, string])[] = [
  ['GUAC_DATA_SOURCE', 'default'],
  ['GUAC_ID', 'Desktop'],
  ['GUAC_TYPE', 'c'],
  ['GUAC_WIDTH', '1024'],
  ['GUAC_HEIGHT', '768'],
  ['GUAC_DPI', '96'],
  ['GUAC_TIMEZONE', 'Europe/Berlin'],
  ['GUAC_AUDIO', 'audio/L16'],
  ['GUAC_IMAGE', 'image/png'],
  ['GUAC_IMAGE', 'image/jpeg'],
];

/** The parts of guacamole-common-js the flow uses. */
interface GuacamoleModule {
  readonly WebSocketTunnel: new (url: string) => {
    uuid: string | null;
    onuuid: ((uuid: string) => void) | null;
  };
  readonly Client: new (tunnel: unknown) => {
    connect(data: string): void;
    disconnect(): void;
    onstatechange: ((state: number) => void) | null;
    onsync: ((timestamp: number) => void) | null;
    onerror: ((status: { code: number; message?: string }) => void) | null;
  };
}

/** What the callback touches in the page (the test's TypeScript has no DOM library). */
interface PageScope {
  readonly location: { readonly origin: string; readonly host: string };
  fetch(
    url: string,
    init?: object,
  ): Promise<{
    status: number;
    text(): Promise<string>;
  }>;
  readonly URLSearchParams: new (init?: (readonly [string, string])[]) => { toString(): string };
}

/**
 * Replays the flow in `page`, which must be on the application's origin.
 * @param page the page
 * @param credentials the valid user
 * @param credentials.username the user name
 * @param credentials.password the password
 * @returns what every step answered
 */
export async function replayOfficialFlow(
  page: Page,
  credentials: { readonly username: string; readonly password: string },
): Promise<FlowRecord> {
  const pageErrors: string[] = [];
  page.on('pageerror', (error) => pageErrors.push(error.message));
  const record = await page.evaluate(
    async ({ credentials, parameters }) => {
      const scope = globalThis as unknown as PageScope;
      const call = async (method: string, path: string, init: object = {}): Promise<Answer> => {
        const response = await scope.fetch(path, { method, ...init });
        const text = await response.text();
        return {
          status: response.status,
          body: text === '' ? null : (JSON.parse(text) as unknown),
        };
      };
      const form = (values: Record<string, string>) => ({
        headers: { 'Content-Type': 'application/x-www-form-urlencoded; charset=UTF-8' },
        body: new scope.URLSearchParams(Object.entries(values)).toString(),
      });
      const rejected = await call(
        'POST',
        '/api/tokens',
        form({ username: credentials.username, password: 'wrong' }),
      );
      const login = await call('POST', '/api/tokens', form(credentials));
      const { authToken: token, dataSource } = login.body as {
        authToken: string;
        dataSource: string;
      };
      const refresh = await call('POST', '/api/tokens', form({ token }));
      const auth = { headers: { 'Guacamole-Token': token } };
      const languages = await call('GET', '/api/languages');
      const patches = await call('GET', '/api/patches');
      const headBefore = (await scope.fetch('/api/session', { method: 'HEAD', ...auth })).status;
      const data = `/api/session/data/${encodeURIComponent(dataSource)}`;
      const tree = await call('GET', `${data}/connectionGroups/ROOT/tree`, auth);
      const permissions = await call('GET', `${data}/self/effectivePermissions`, auth);
      const activeConnectionsBefore = await call('GET', `${data}/activeConnections`, auth);
      const connection = await call('GET', `${data}/connections/Desktop`, auth);

      // ManagedClient: the library the application serves is npm's guacamole-common-js.
      const index = await (await scope.fetch('/index.html')).text();
      const library = /href="([^"]*vendor\/guacamole-common\.js)"/.exec(index)?.[1];
      if (library === undefined) throw new Error('index.html names no guacamole-common.js');
      const { default: Guacamole } = (await import(`${scope.location.origin}/${library}`)) as {
        default: GuacamoleModule;
      };
      const wsTunnel = new Guacamole.WebSocketTunnel(
        `ws://${scope.location.host}/websocket-tunnel`,
      );
      const client = new Guacamole.Client(wsTunnel);
      const tunnel = await new Promise<FlowRecord['tunnel']>((resolve) => {
        client.onerror = (status) => {
          resolve({ uuid: null, firstSync: null, error: `${status.code} ${status.message ?? ''}` });
        };
        client.onsync = (timestamp) => {
          resolve({ uuid: wsTunnel.uuid, firstSync: String(timestamp), error: null });
        };
        client.connect(new scope.URLSearchParams([['token', token], ...parameters]).toString());
      });
      const uuid = tunnel.uuid ?? 'none';
      const tunnels = await call('GET', '/api/session/tunnels', auth);
      const protocol = await call('GET', `/api/session/tunnels/${uuid}/protocol`, auth);
      const sharingProfiles = await call(
        'GET',
        `/api/session/tunnels/${uuid}/activeConnection/connection/sharingProfiles`,
        auth,
      );
      const unknownTunnel = await call(
        'GET',
        '/api/session/tunnels/00000000-0000-0000-0000-000000000000/protocol',
        auth,
      );
      client.disconnect();
      const logout = (await scope.fetch('/api/session', { method: 'DELETE', ...auth })).status;
      const headAfter = (await scope.fetch('/api/session', { method: 'HEAD', ...auth })).status;
      const treeAfter = await call('GET', `${data}/connectionGroups/ROOT/tree`, auth);
      return {
        rejected,
        login,
        refresh,
        languages,
        patches,
        headBefore,
        tree,
        permissions,
        activeConnectionsBefore,
        connection,
        tunnel,
        tunnels,
        protocol,
        sharingProfiles,
        unknownTunnel,
        logout,
        headAfter,
        treeAfter,
      };
    },
    { credentials, parameters: CONNECT_PARAMETERS.map(([k, v]) => [k, v] as [string, string]) },
  );
  return { ...record, pageErrors };
}
