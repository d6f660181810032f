/**
 * @module The real application as a child process for browser tests: a temporary GUACAMOLE_HOME with
 * the given user-mapping.xml and a guacamole.properties that binds 127.0.0.1 on a free port and points
 * at an external (fake) guacd. Stopping sends SIGTERM, waits for the exit and removes the folder.
 */
import { mkdir, mkdtemp, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { freePort } from '../support/free-port.js';
import { startServer, type ServerProcess } from '../support/child.js';

/** What {@link startRealApp} needs. */
export interface RealAppOptions {
  /** The contents of user-mapping.xml. */
  readonly userMapping: string;
  /** The port of the guacd the app must use. */
  readonly guacdPort: number;
  /** Extra guacamole.properties lines. */
  readonly properties?: readonly string[];
  /** Extra files, by path relative to GUACAMOLE_HOME. */
  readonly files?: Readonly<Record<string, string>>;
}

/** A running application. */
export interface RealApp {
  /** `http://127.0.0.1:<port>`. */
  readonly origin: string;
  /** The temporary GUACAMOLE_HOME. */
  readonly home: string;
  /** The child process and what it printed. */
  readonly server: ServerProcess;
  /** The lines the server logged at level error or fatal (pino levels 50 and 60). */
  errorLines(): string[];
  /** Stops the server and removes GUACAMOLE_HOME. */
  stop(): Promise<void>;
}

/**
 * Starts `src/main.ts` and waits until it listens.
 * @param options user mapping, guacd port, extra properties and files
 * @returns the running application
 */
export async function startRealApp(options: RealAppOptions): Promise<RealApp> {
  const home = await mkdtemp(join(tmpdir(), 'real-app-'));
  const port = await freePort();
  await writeFile(join(home, 'user-mapping.xml'), options.userMapping);
  // guacd-mode selects the external guacd where the property exists; explicit guacd-hostname and
  // guacd-port select it on their own too.
  const properties = [
    `http-port: ${port}`,
    'http-bind-address: 127.0.0.1',
    'guacd-mode: external',
    'guacd-hostname: 127.0.0.1',
    `guacd-port: ${options.guacdPort}`,
    ...(options.properties ?? []),
    '',
  ];
  await writeFile(join(home, 'guacamole.properties'), properties.join('\n'));
  for (const [path, text] of Object.entries(options.files ?? {})) {
    await mkdir(dirname(join(home, path)), { recursive: true });
    await writeFile(join(home, path), text);
  }
  const server = startServer({ GUACAMOLE_HOME: home });
  try {
    await server.waitForOutput('Listening on');
  } catch (error) {
    await rm(home, { recursive: true, force: true });
    throw error;
  }
  return {
    origin: `http://127.0.0.1:${port}`,
    home,
    server,
    errorLines: () => server.stdout.split('\n').filter((line) => /"level":(50|60)\b/.test(line)),
    stop: async () => {
      if (server.child.exitCode === null) server.child.kill('SIGTERM');
      await server.exited;
      await rm(home, { recursive: true, force: true });
    },
  };
}
