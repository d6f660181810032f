/**
 * @module The real server and the real bundled proxy as child processes for the proxy's browser tests:
 * the README's example GUACAMOLE_HOME (read from README.md, ports substituted), a test extension that
 * lets a second user join the first user's connection by its ID (the way sharing works: a configuration
 * that selects `$id`), the server (`src/main.ts`) and the standalone daemon (`src/proxy/daemon.ts`).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { startServer, type ServerProcess } from '../support/child.js';
import { freePort } from '../support/free-port.js';
import { stopChild } from '../support/x11.js';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** The README's minimal GUACAMOLE_HOME, as its heredocs write it. */
export interface ReadmeHome {
  /** guacamole.properties. */
  readonly properties: string;
  /** user-mapping.xml. */
  readonly userMapping: string;
}

/**
 * Extracts the two heredocs of README.md's "A minimal GUACAMOLE_HOME".
 * @returns their texts
 * @throws {Error} when the section or a heredoc is missing
 */
export async function readmeHome(): Promise<ReadmeHome> {
  const readme = await readFile(join(ROOT, 'README.md'), 'utf8');
  const section = /### A minimal GUACAMOLE_HOME\n([\s\S]*?)\n### /.exec(readme)?.[1];
  if (section === undefined) throw new Error('README.md has no "A minimal GUACAMOLE_HOME" section');
  const heredoc = (file: string, marker: string): string => {
    const pattern = new RegExp(
      `cat > ~/\\.guacamole/${file} <<'${marker}'\\n([\\s\\S]*?)\\n${marker}\\n`,
    );
    const text = pattern.exec(section)?.[1];
    if (text === undefined) throw new Error(`README.md writes no ${file} heredoc`);
    return `${text}\n`;
  };
  return {
    properties: heredoc('guacamole.properties', 'PROPS'),
    userMapping: heredoc('user-mapping.xml', 'XML'),
  };
}

/** User and password of the second user, whom the join extension authorizes. */
export const JOINER = { username: 'bob', password: 'b0b-joins' } as const;

/** The join extension's data source and connection name. */
export const JOIN_SOURCE = 'proxy-join';
export const JOIN_CONNECTION = 'Shared';

/**
 * The test extension: its listener remembers the guacd connection ID of the first user's latest
 * tunnel; its provider gives {@link JOINER} one connection that joins that ID (not read-only).
 * @param firstUser whose connection is joined
 * @returns the extension's files, by name
 */
function joinExtension(firstUser: string): Record<string, string> {
  const api = pathToFileURL(join(ROOT, 'src/extensions/api.ts')).href;
  const state = `(globalThis[Symbol.for('proxy-e2e.join')] ??= { connectionId: undefined })`;
  return {
    'guac-manifest.json': JSON.stringify({
      guacamoleVersion: '*',
      name: 'Proxy join (test)',
      namespace: JOIN_SOURCE,
      authProviders: ['provider.mjs'],
      listeners: ['listener.mjs'],
    }),
    'provider.mjs': `import { GuacamoleConfiguration, SimpleAuthenticationProvider } from ${JSON.stringify(api)};
export default class JoinProvider extends SimpleAuthenticationProvider {
  getIdentifier() { return ${JSON.stringify(JOIN_SOURCE)}; }
  getAuthorizedConfigurations(credentials) {
    if (credentials.username !== ${JSON.stringify(JOINER.username)}) return null;
    if (credentials.password !== ${JSON.stringify(JOINER.password)}) return null;
    const { connectionId } = ${state};
    if (connectionId === undefined) return {};
    return {
      ${JSON.stringify(JOIN_CONNECTION)}: new GuacamoleConfiguration({ connectionId, parameters: { 'read-only': 'false' } }),
    };
  }
}
`,
    'listener.mjs': `export default class JoinListener {
  handleEvent(event) {
    if (event.type !== 'TunnelConnectEvent') return;
    if (event.authenticatedUser.identifier !== ${JSON.stringify(firstUser)}) return;
    ${state}.connectionId = event.tunnel.socket.connectionId;
  }
}
`,
  };
}

/** A running gateway. */
export interface Gateway {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** The child and its output. */
  readonly server: ServerProcess;
  /** Lines logged at level error or fatal. */
  errorLines(): string[];
  /** SIGTERM; resolves with the exit code (GUACAMOLE_HOME is removed). */
  stop(): Promise<number | null>;
}

/** What {@link startGateway} builds GUACAMOLE_HOME from. */
export interface GatewayHome {
  /** guacamole.properties; its `http-port` line is replaced by a free port. */
  readonly properties: string;
  /** user-mapping.xml. */
  readonly userMapping: string;
  /** The user whose connection the join extension's user joins. */
  readonly firstUser: string;
}

/**
 * Writes GUACAMOLE_HOME (with the join extension), starts `src/main.ts` and waits until it listens.
 * @param home the files
 * @returns the running gateway
 */
export async function startGateway(home: GatewayHome): Promise<Gateway> {
  const dir = await mkdtemp(join(tmpdir(), 'proxy-e2e-home-'));
  const port = await freePort();
  const properties = home.properties.replace(/^http-port\s*[:=]?.*$/m, `http-port: ${port}`);
  if (!properties.includes(`http-port: ${port}`)) throw new Error('no http-port line to replace');
  await writeFile(join(dir, 'guacamole.properties'), properties);
  await writeFile(join(dir, 'user-mapping.xml'), home.userMapping);
  const extension = join(dir, 'extensions', JOIN_SOURCE);
  await mkdir(extension, { recursive: true });
  for (const [name, text] of Object.entries(joinExtension(home.firstUser))) {
    await writeFile(join(extension, name), text);
  }
  const server = startServer({ GUACAMOLE_HOME: dir });
  try {
    await server.waitForOutput('Listening on');
  } catch (error) {
    await rm(dir, { recursive: true, force: true });
    throw error;
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    server,
    errorLines: () => server.stdout.split('\n').filter((line) => /"level":(50|60)\b/.test(line)),
    stop: async () => {
      if (server.child.exitCode === null) server.child.kill('SIGTERM');
      const code = await server.exited;
      await rm(dir, { recursive: true, force: true });
      return code;
    },
  };
}

/** The standalone bundled proxy. */
export interface ProxyDaemon {
  /** Its port on 127.0.0.1. */
  readonly port: number;
  /** The child. */
  readonly child: ChildProcess;
  /** Everything it logged (stderr). */
  log(): string;
  /** Resolves once its log contains `text`; rejects if it exits first. */
  waitForLog(text: string): Promise<void>;
  /** SIGTERM; resolves with the exit code. */
  stop(): Promise<number | null>;
}

/**
 * Starts `src/proxy/daemon.ts -b 127.0.0.1 -l 0 -L debug` and waits for its port.
 * @returns the running daemon
 */
export async function startProxyDaemon(): Promise<ProxyDaemon> {
  const child = spawn(
    process.execPath,
    ['--import', 'tsx', 'src/proxy/daemon.ts', '-f', '-b', '127.0.0.1', '-l', '0', '-L', 'debug'],
    { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] },
  );
  let text = '';
  const waiters = new Set<() => void>();
  child.stderr.setEncoding('utf8');
  child.stderr.on('data', (chunk: string) => {
    text += chunk;
    for (const wake of [...waiters]) wake();
  });
  const exited = new Promise<number | null>((resolve) => {
    child.once('exit', (code) => {
      resolve(code);
      for (const wake of [...waiters]) wake();
    });
  });
  const waitFor = <T>(test: () => T | undefined): Promise<T> =>
    new Promise((resolve, reject) => {
      const wake = (): void => {
        const found = test();
        if (found !== undefined) {
          waiters.delete(wake);
          resolve(found);
        } else if (child.exitCode !== null || child.signalCode !== null) {
          waiters.delete(wake);
          reject(new Error(`the proxy daemon exited; its log:\n${text}`));
        }
      };
      waiters.add(wake);
      wake();
    });
  const port = await waitFor(() => {
    const match = /Listening on host 127\.0\.0\.1, port (\d+)/.exec(text);
    return match === null ? undefined : Number(match[1]);
  });
  return {
    port,
    child,
    log: () => text,
    waitForLog: (needle) =>
      waitFor(() => (text.includes(needle) ? true : undefined)).then(() => undefined),
    stop: async () => {
      await stopChild(child);
      return await exited;
    },
  };
}
