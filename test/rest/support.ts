/**
 * @module RestHarness: the real application (createApp) on 127.0.0.1, port 0, with a temporary
 * GUACAMOLE_HOME (user-mapping.xml, guacamole.properties, protocols), optional extra providers and
 * listeners, a manual clock for sessions, and a fetch-based client that records status, headers and
 * body. Nothing sleeps; `close()` ends every connection.
 */
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import http from 'node:http';
import type { Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import {
  createApp,
  createAuthenticationService,
  normaliseBasePath,
  type AppUi,
  type GuacamoleApp,
} from '../../src/app.js';
import {
  SessionRegistry,
  type AuthenticationService,
  type ProviderLike,
} from '../../src/auth/index.js';
import { Configuration, parsePropertiesText } from '../../src/config/index.js';
import type { Listener } from '../../src/extensions/api.js';
import type { ExtensionUiResources } from '../../src/extensions/index.js';

/** The user-mapping.xml most tests use: alice with two connections, bob with a DEFAULT one. */
export const USER_MAPPING = `<?xml version="1.0" encoding="UTF-8"?>
<user-mapping>
  <authorize username="alice" password="secret">
    <connection name="desktop">
      <protocol>vnc</protocol>
      <param name="hostname">pc.example</param>
      <param name="port">5900</param>
      <param name="password">\${GUAC_PASSWORD}</param>
      <param name="username">\${GUAC_USERNAME}</param>
    </connection>
    <connection name="server">
      <protocol>ssh</protocol>
      <param name="hostname">server.example</param>
    </connection>
  </authorize>
  <authorize username="bob" password="hunter2">
    <protocol>rdp</protocol>
    <param name="hostname">bob.example</param>
  </authorize>
</user-mapping>
`;

/** A manual clock for session expiry. */
export class ManualClock {
  now = 1_700_000_000_000;
  readonly read = (): number => this.now;
  advance(ms: number): void {
    this.now += ms;
  }
}

/** Options of {@link startRest}; all optional. */
export interface RestHarnessOptions {
  /** The base path. Default `/`. */
  readonly basePath?: string;
  /** guacamole.properties text. Default: none. */
  readonly properties?: string;
  /** user-mapping.xml text. Default: {@link USER_MAPPING}. */
  readonly userMapping?: string;
  /** Files under GUACAMOLE_HOME/protocols by name. */
  readonly protocols?: Readonly<Record<string, string>>;
  /** Providers before the file provider (extensions, in load order). */
  readonly providers?: readonly ProviderLike[];
  /** Listeners. */
  readonly listeners?: readonly Listener[];
  /** The extensions' UI files. */
  readonly extensionUi?: ExtensionUiResources;
  /** The frontend hook. */
  readonly ui?: AppUi;
  /** `/healthz`'s check. Default: always ok (so no test depends on a guacd). */
  readonly healthCheck?: GuacamoleAppHealth;
}

type GuacamoleAppHealth = Parameters<typeof createApp>[0]['healthCheck'];

/** A response as the tests see it. */
export interface Reply {
  readonly status: number;
  readonly headers: Headers;
  readonly text: string;
  /** @returns the body parsed as JSON */
  json(): unknown;
}

/** What a request sends. */
export interface Send {
  /** Sent as the `Guacamole-Token` header. */
  readonly token?: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Sent as application/x-www-form-urlencoded. */
  readonly form?: Readonly<Record<string, string>> | readonly (readonly [string, string])[];
  /** Sent as application/json. */
  readonly json?: unknown;
  /** Sent as is. */
  readonly body?: string;
}

/** The running application. */
export interface RestHarness {
  readonly home: string;
  readonly port: number;
  /** `http://127.0.0.1:<port>` plus the base path (no trailing slash). */
  readonly base: string;
  readonly app: GuacamoleApp;
  readonly auth: AuthenticationService;
  readonly sessions: SessionRegistry;
  readonly clock: ManualClock;
  /**
   * @param method the HTTP method
   * @param path relative to the base, e.g. `/api/session`
   * @param send token, headers and body
   */
  request(method: string, path: string, send?: Send): Promise<Reply>;
  /** Logs in through `POST /api/tokens` and returns the token. */
  login(username?: string, password?: string): Promise<string>;
  close(): Promise<void>;
}

function homeWith(options: RestHarnessOptions): string {
  const home = mkdtempSync(join(tmpdir(), 'guac-rest-'));
  writeFileSync(join(home, 'user-mapping.xml'), options.userMapping ?? USER_MAPPING);
  if (options.properties !== undefined) {
    writeFileSync(join(home, 'guacamole.properties'), options.properties, 'latin1');
  }
  if (options.protocols !== undefined) {
    mkdirSync(join(home, 'protocols'));
    for (const [name, text] of Object.entries(options.protocols)) {
      writeFileSync(join(home, 'protocols', name), text);
    }
  }
  return home;
}

/**
 * Starts the application.
 * @param options GUACAMOLE_HOME contents, providers, listeners and hooks
 * @returns the harness
 */
export async function startRest(options: RestHarnessOptions = {}): Promise<RestHarness> {
  const home = homeWith(options);
  const configuration = new Configuration({
    file: parsePropertiesText(options.properties ?? '', 'guacamole.properties'),
  });
  const clock = new ManualClock();
  const sessions = new SessionRegistry({ now: clock.read, sweepIntervalMs: 0 });
  const auth = createAuthenticationService({
    configuration,
    guacamoleHome: home,
    extensions: {
      providers: (options.providers ?? []).map((provider) => ({ provider })),
      listeners: (options.listeners ?? []).map((listener) => ({ listener })),
      skipIfUnavailable: new Set(),
    },
    sessions,
  });
  const app = createApp({
    auth,
    basePath: options.basePath ?? '/',
    configuration,
    guacamoleHome: home,
    healthCheck:
      options.healthCheck ??
      (() => Promise.resolve({ ok: true, body: { status: 'ok', guacd: 'reachable' } })),
    ...(options.extensionUi === undefined ? {} : { extensionUi: options.extensionUi }),
    ...(options.ui === undefined ? {} : { ui: options.ui }),
  });
  const server = http.createServer(app.express);
  const sockets = new Set<Socket>();
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.once('close', () => sockets.delete(socket));
  });
  server.on('upgrade', (req, socket, head) => {
    app.handleUpgrade(req, socket, head);
  });
  server.listen(0, '127.0.0.1');
  await once(server, 'listening');
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('Not listening.');
  const port = address.port;
  const normalised = normaliseBasePath(options.basePath ?? '/');
  const basePath = normalised === '/' ? '' : normalised;
  const base = `http://127.0.0.1:${port}${basePath}`;
  const request = async (method: string, path: string, send: Send = {}): Promise<Reply> => {
    const headers: Record<string, string> = { ...send.headers };
    if (send.token !== undefined) headers['Guacamole-Token'] = send.token;
    let body: string | undefined = send.body;
    if (send.form !== undefined) {
      headers['Content-Type'] ??= 'application/x-www-form-urlencoded; charset=UTF-8';
      const entries = Array.isArray(send.form) ? send.form : Object.entries(send.form);
      body = new URLSearchParams(entries as [string, string][]).toString();
    }
    if (send.json !== undefined) {
      headers['Content-Type'] ??= 'application/json';
      body = JSON.stringify(send.json);
    }
    const response = await fetch(`${base}${path}`, { method, headers, body: body ?? null });
    const text = await response.text();
    return {
      status: response.status,
      headers: response.headers,
      text,
      json: (): unknown => JSON.parse(text) as unknown,
    };
  };
  return {
    home,
    port,
    base,
    app,
    auth,
    sessions,
    clock,
    request,
    async login(username = 'alice', password = 'secret') {
      const reply = await request('POST', '/api/tokens', { form: { username, password } });
      if (reply.status !== 200) throw new Error(`Login failed: ${reply.status} ${reply.text}`);
      return (reply.json() as { authToken: string }).authToken;
    },
    async close() {
      app.closeTunnels();
      await auth.shutdown();
      const closed = once(server, 'close');
      server.close();
      for (const socket of sockets) socket.destroy();
      await closed;
      rmSync(home, { recursive: true, force: true });
    },
  };
}

/** The error body Java sends for a plain (untranslated) error. */
export function errorBody(
  message: string,
  type: string,
  extra: { expected?: unknown; patches?: unknown } = {},
): unknown {
  return {
    message,
    translatableMessage: { key: 'APP.TEXT_UNTRANSLATED', variables: { MESSAGE: message } },
    statusCode: null,
    expected: extra.expected ?? null,
    patches: extra.patches ?? null,
    type,
  };
}

/** The `expected` fields of the ordinary login form. */
export const USERNAME_PASSWORD = [
  { name: 'username', type: 'USERNAME' },
  { name: 'password', type: 'PASSWORD' },
];
