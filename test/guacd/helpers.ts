/**
 * @module Shared helpers of the guacd tests: connecting to a fake guacd, a throw-away TLS certificate,
 * and snapshots of the process's live handles for leak checks.
 */
import { execFile, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import net from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import {
  configureSocket,
  connectGuacd,
  type ConfiguredGuacdSocket,
  type ConnectGuacdOptions,
  type GuacdSocket,
} from '../../src/guacd/index.js';
import {
  GuacamoleConfiguration,
  defaultClientInformation,
  type ClientInformation,
} from '../../src/protocol/index.js';
import type { FakeGuacd } from '../fakes/fake-guacd.js';

/** A PEM key and self-signed certificate for `localhost` / 127.0.0.1. */
export interface TestCertificate {
  readonly key: string;
  readonly cert: string;
}

/**
 * Generates a self-signed certificate with openssl in a temporary directory, then removes the directory.
 * @returns the PEM key and certificate
 */
export async function makeCertificate(): Promise<TestCertificate> {
  const dir = await mkdtemp(join(tmpdir(), 'guacd-test-cert-'));
  try {
    const keyFile = join(dir, 'key.pem');
    const certFile = join(dir, 'cert.pem');
    await promisify(execFile)('openssl', [
      'req',
      '-x509',
      '-newkey',
      'rsa:2048',
      '-nodes',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
      '-days',
      '1',
      '-keyout',
      keyFile,
      '-out',
      certFile,
    ]);
    return { key: await readFile(keyFile, 'utf8'), cert: await readFile(certFile, 'utf8') };
  } finally {
    await rm(dir, { recursive: true, force: true });
  }
}

/**
 * Opens a socket to a fake guacd.
 * @param guacd the fake
 * @param options more connect options
 * @returns the open socket
 */
export async function connectTo(
  guacd: FakeGuacd,
  options: Partial<ConnectGuacdOptions> = {},
): Promise<GuacdSocket> {
  return await connectGuacd({ hostname: guacd.host, port: guacd.port, ...options });
}

/** A configuration selecting `protocol` with the given parameters. */
export function configFor(
  protocol: string,
  parameters: Readonly<Record<string, string>> = {},
): GuacamoleConfiguration {
  return new GuacamoleConfiguration({ protocol, parameters });
}

/**
 * Connects to a fake guacd and performs the handshake.
 * @param guacd the fake
 * @param config the configuration; an RDP one by default
 * @param info client information; the defaults by default
 * @param options more connect options
 * @returns the configured socket
 */
export async function handshakeWith(
  guacd: FakeGuacd,
  config: GuacamoleConfiguration = configFor('rdp'),
  info: ClientInformation = defaultClientInformation(),
  options: Partial<ConnectGuacdOptions> = {},
): Promise<ConfiguredGuacdSocket> {
  return await configureSocket(await connectTo(guacd, options), config, info);
}

/** Resource types that reveal a leaked socket, connection attempt or (ref'd) timer. */
const WATCHED = new Set(['TCPSocketWrap', 'TCPWRAP', 'TLSWrap', 'ConnectWrap', 'Timeout']);

/**
 * Samples the live resources after one event-loop turn, so that requests whose callbacks are just running
 * (a ConnectWrap during its own 'connect' event) have been released.
 * @returns the watched live resources of this process, sorted, for before/after comparisons
 */
export async function liveResources(): Promise<string[]> {
  await new Promise<void>((resolve) => setImmediate(resolve));
  return process
    .getActiveResourcesInfo()
    .filter((name) => WATCHED.has(name))
    .sort();
}

/**
 * Resolves when the socket has closed (its close listeners have run).
 * @param socket the socket
 * @returns the error it closed with, if any
 */
export async function closedOf(socket: GuacdSocket): Promise<Error | undefined> {
  return await new Promise((resolve) => {
    socket.onClose(resolve);
  });
}

/**
 * Awaits a promise that must reject.
 * @param promise the promise
 * @returns its rejection reason
 */
export async function rejection(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (error) {
    return error;
  }
  throw new Error('Expected a rejection, but the promise resolved.');
}

/**
 * A child process blocks its event loop right after listening with a backlog of 1, so the kernel completes
 * handshakes only until the accept queue is full; further SYNs are dropped and connects hang (Linux).
 */
const NEVER_ACCEPTS = `
const server = require('node:net').createServer();
server.listen({ port: 0, host: '127.0.0.1', backlog: 1 }, () => {
  process.stdout.write(server.address().port + '\\n');
  Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0);
});`;

/** A listening port whose accept queue is full, so that a new connect never completes. */
export interface FullBacklog {
  readonly port: number;
  close(): Promise<void>;
}

/**
 * Starts a listener that never accepts and fills its accept queue, to make connect attempts time out
 * honestly (no unroutable address, no injected clock).
 * @returns the port and a close function
 */
export async function fullBacklog(): Promise<FullBacklog> {
  const child = spawn(process.execPath, ['-e', NEVER_ACCEPTS], {
    stdio: ['ignore', 'pipe', 'inherit'],
  });
  const [line] = (await once(child.stdout, 'data')) as [Buffer];
  const port = Number(line.toString().trim());
  const fillers: net.Socket[] = [];
  // Linux queues backlog + 1 = 2 connections; both complete. Later SYNs are dropped and retried.
  for (let i = 0; i < 2; i++) {
    const filler = net.connect(port, '127.0.0.1');
    filler.on('error', () => undefined);
    fillers.push(filler);
    await once(filler, 'connect');
  }
  return {
    port,
    async close() {
      const exited = once(child, 'exit');
      for (const filler of fillers) filler.destroy();
      child.kill();
      await exited;
    },
  };
}
