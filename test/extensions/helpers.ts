/**
 * @module Test helpers for the extension layer: a throw-away GUACAMOLE_HOME, fixture extensions copied
 * in as folders or zipped into `.jar`/`.zip` archives (fflate's writer), a recording logger, and a
 * raw HTTP client that sends paths exactly as written (no `..` normalisation).
 */
import { once } from 'node:events';
import { mkdir, mkdtemp, readdir, readFile, rm, writeFile } from 'node:fs/promises';
import { request, type IncomingHttpHeaders, type IncomingMessage, type Server } from 'node:http';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import express, { type Router } from 'express';
import { zipSync } from 'fflate';
import { Configuration, parsePropertiesText } from '../../src/config/index.js';
import type { ExtensionLogger, ParentLogger } from '../../src/extensions/index.js';

/** The committed fixture extensions. */
export const FIXTURES = fileURLToPath(new URL('../fixtures/extensions/', import.meta.url));

// git ignores every node_modules/, so fixtures keep an extension's dependencies in _node_modules/.
const installedName = (path: string): string =>
  path
    .split('/')
    .map((segment) => (segment === '_node_modules' ? 'node_modules' : segment))
    .join('/');

/**
 * Reads a fixture extension's files.
 * @param fixture the folder name under test/fixtures/extensions
 * @returns installed relative path (`/`-separated) → bytes
 */
export async function fixtureFiles(fixture: string): Promise<Map<string, Uint8Array>> {
  const root = join(FIXTURES, fixture);
  const entries = await readdir(root, { recursive: true, withFileTypes: true });
  const files = new Map<string, Uint8Array>();
  for (const entry of entries.filter((e) => e.isFile())) {
    const path = join(entry.parentPath, entry.name);
    files.set(installedName(relative(root, path).split('\\').join('/')), await readFile(path));
  }
  return files;
}

/** One log line. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  /** The child logger's name, or undefined for the root. */
  readonly name: string | undefined;
  readonly message: string;
}

/** A logger that keeps every line; children record into the same list with their name. */
export class RecordingLogger implements ParentLogger {
  readonly lines: LogLine[];
  readonly #name: string | undefined;

  constructor(lines: LogLine[] = [], name?: string) {
    this.lines = lines;
    this.#name = name;
  }

  debug(message: string): void {
    this.lines.push({ level: 'debug', name: this.#name, message });
  }
  info(message: string): void {
    this.lines.push({ level: 'info', name: this.#name, message });
  }
  warn(message: string): void {
    this.lines.push({ level: 'warn', name: this.#name, message });
  }
  error(message: string): void {
    this.lines.push({ level: 'error', name: this.#name, message });
  }
  child(bindings: { name: string }): ExtensionLogger {
    return new RecordingLogger(this.lines, bindings.name);
  }

  /** Messages of one level from the root logger. */
  messages(level: LogLine['level']): string[] {
    return this.lines
      .filter((l) => l.level === level && l.name === undefined)
      .map((l) => l.message);
  }
}

/** A temporary GUACAMOLE_HOME with an `extensions` folder and a private temp directory. */
export class TestHome {
  readonly root: string;
  readonly home: string;
  readonly extensions: string;
  /** Where loadExtensions extracts archives in these tests. */
  readonly temp: string;

  private constructor(root: string) {
    this.root = root;
    this.home = join(root, 'home');
    this.extensions = join(this.home, 'extensions');
    this.temp = join(root, 'tmp');
  }

  /** Creates the directories. */
  static async create(): Promise<TestHome> {
    const home = new TestHome(await mkdtemp(join(tmpdir(), 'guac-ext-test-')));
    await mkdir(home.extensions, { recursive: true });
    await mkdir(home.temp);
    return home;
  }

  /** Copies a fixture in as a folder extension. */
  async installFolder(fixture: string, as: string = fixture): Promise<string> {
    return await this.writeFolder(as, await fixtureFiles(fixture));
  }

  /** Zips a fixture into an archive extension (`.jar` or `.zip`). */
  async installArchive(fixture: string, fileName: string): Promise<string> {
    return await this.writeArchive(fileName, await fixtureFiles(fixture));
  }

  /** Writes a folder extension from path → content. */
  async writeFolder(
    name: string,
    files: ReadonlyMap<string, string | Uint8Array>,
  ): Promise<string> {
    const folder = join(this.extensions, name);
    for (const [path, content] of files) {
      await mkdir(dirname(join(folder, path)), { recursive: true });
      await writeFile(join(folder, path), content);
    }
    return folder;
  }

  /** Writes an archive extension from entry name → content. */
  async writeArchive(
    fileName: string,
    files: ReadonlyMap<string, string | Uint8Array>,
  ): Promise<string> {
    const encoder = new TextEncoder();
    const entries = Object.fromEntries(
      [...files].map(([name, content]) => [
        name,
        typeof content === 'string' ? encoder.encode(content) : content,
      ]),
    );
    const path = join(this.extensions, fileName);
    await writeFile(path, zipSync(entries));
    return path;
  }

  /** Removes everything. */
  async cleanup(): Promise<void> {
    await rm(this.root, { recursive: true, force: true });
  }
}

/**
 * A manifest file's content.
 * @param manifest the manifest object
 * @returns a map holding guac-manifest.json
 */
export function manifestOnly(manifest: object): Map<string, string> {
  return new Map([['guac-manifest.json', JSON.stringify(manifest)]]);
}

/**
 * A Configuration over guacamole.properties text.
 * @param text the file's content
 * @returns the configuration
 */
export function configuration(text = ''): Configuration {
  return new Configuration({ file: parsePropertiesText(text, 'guacamole.properties') });
}

/** A response as received. */
export interface RawResponse {
  readonly status: number;
  readonly headers: IncomingHttpHeaders;
  readonly body: Buffer;
}

/** An HTTP server on port 0 serving a router, with a client that sends raw paths. */
export class RouterServer {
  readonly #server: Server;

  private constructor(server: Server) {
    this.#server = server;
  }

  /**
   * Serves the router, then a fallback answering 418 "fallback" so tests can see fall-through.
   * @param router the router under test
   */
  static async start(router: Router): Promise<RouterServer> {
    const app = express();
    app.set('etag', false);
    app.use(router);
    app.use((_req, res) => {
      res.status(418).type('text/plain').send('fallback');
    });
    const server = app.listen(0, '127.0.0.1');
    await once(server, 'listening');
    return new RouterServer(server);
  }

  /** Sends a request with the path exactly as given. */
  async request(
    path: string,
    options: { method?: string; headers?: Record<string, string> } = {},
  ): Promise<RawResponse> {
    const address = this.#server.address();
    if (address === null || typeof address === 'string') throw new Error('not listening');
    const req = request({
      host: '127.0.0.1',
      port: address.port,
      path,
      method: options.method ?? 'GET',
      headers: options.headers ?? {},
    });
    req.end();
    const [res] = (await once(req, 'response')) as [IncomingMessage];
    const chunks: Buffer[] = [];
    for await (const chunk of res) chunks.push(chunk as Buffer);
    return { status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) };
  }

  /** Stops the server. */
  async close(): Promise<void> {
    this.#server.closeAllConnections();
    this.#server.close();
    await once(this.#server, 'close');
  }
}
