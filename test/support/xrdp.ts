/**
 * @module A real RDP peer for tests: xrdp + xrdp-sesman in the foreground with generated configs in a temp
 * dir (TLS only, a fresh self-signed certificate, loopback on a free port), xorgxrdp's Xorg as the
 * session, and a test user whose ~/.xsession paints the root window and runs an xterm that writes what
 * is typed into ~/typed.txt. Creating the user needs root. xrdp reads sesman's port from the system
 * /etc/xrdp/sesman.ini, so that port (3350 by default) must be free: startXrdp holds the machine-wide
 * xrdp lock (xrdp-lock.ts) until `stop`.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './free-port.js';
import { lockXrdp } from './xrdp-lock.js';

/** The commands the real-RDP-peer tests need. */
export const XRDP_PEERS = ['xrdp', 'xrdp-sesman', 'xsetroot', 'xterm', 'openssl'] as const;
/** xorgxrdp's video driver, which proves the package is there. */
const XORGXRDP_DRIVER = '/usr/lib/xorg/modules/drivers/xrdpdev_drv.so';

/** The test user xrdp logs in (PAM). */
export const XRDP_USER = 'guactest';
/** Its password. */
export const XRDP_PASSWORD = 'guactest-Pw1';

/** @returns the peers that are missing (commands or xorgxrdp) */
export function missingXrdpPeers(): string[] {
  const missing: string[] = XRDP_PEERS.filter((cmd) => spawnSync('which', [cmd]).status !== 0);
  if (spawnSync('test', ['-e', XORGXRDP_DRIVER]).status !== 0) missing.push('xorgxrdp');
  return missing;
}

/** A running xrdp. */
export interface Xrdp {
  /** xrdp's port on 127.0.0.1. */
  readonly port: number;
  /** The test user's home directory. */
  readonly home: string;
  /** Stops xrdp, sesman and the session's processes. */
  stop(): Promise<void>;
}

function run(cmd: string, args: string[], input?: string): void {
  const result = spawnSync(cmd, args, { input, encoding: 'utf8' });
  if (result.status !== 0) throw new Error(`${cmd} ${args.join(' ')} failed: ${result.stderr}`);
}

/** Creates the test user (if missing), sets its password and writes its ~/.xsession. */
async function prepareUser(colour: string): Promise<string> {
  if (process.getuid?.() !== 0) throw new Error('starting xrdp for tests needs root (PAM login)');
  if (spawnSync('id', [XRDP_USER]).status !== 0) {
    run('useradd', ['-m', '-s', '/bin/sh', XRDP_USER]);
  }
  run('chpasswd', [], `${XRDP_USER}:${XRDP_PASSWORD}\n`);
  const home = path.join('/home', XRDP_USER);
  const session = path.join(home, '.xsession');
  await writeFile(
    session,
    `xsetroot -solid '${colour}'\n` +
      `exec xterm -geometry 40x5+0+0 -e sh -c 'cat > "$HOME/typed.txt"'\n`,
  );
  run('chown', [`${XRDP_USER}:`, session]);
  return home;
}

/** The port xrdp expects sesman on (it reads the system sesman.ini). */
async function sesmanPort(): Promise<{ text: string; port: number }> {
  const text = await readFile('/etc/xrdp/sesman.ini', 'utf8');
  const port = Number(/^ListenPort=(\d+)/m.exec(text)?.[1] ?? 3350);
  return { text, port };
}

/** @returns whether something accepts TCP connections on localhost:`port` (IPv6 or IPv4) */
async function listening(port: number): Promise<boolean> {
  for (const host of ['::1', '127.0.0.1']) {
    const ok = await new Promise<boolean>((resolve) => {
      const socket = net.connect({ host, port }, () => {
        socket.destroy();
        resolve(true);
      });
      socket.on('error', () => {
        resolve(false);
      });
    });
    if (ok) return true;
  }
  return false;
}

/** Resolves once something accepts TCP connections on localhost:`port` (IPv6 or IPv4). */
async function waitForListener(port: number, child: ChildProcess, ms: number): Promise<void> {
  const deadline = Date.now() + ms;
  for (;;) {
    if (child.exitCode !== null) throw new Error(`exited with ${String(child.exitCode)}`);
    if (await listening(port)) return;
    if (Date.now() > deadline) throw new Error(`nothing listens on port ${port} after ${ms} ms`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

/** Every descendant PID of `pid`, deepest first. */
function descendants(pid: number): number[] {
  const out = spawnSync('ps', ['-o', 'pid=', '--ppid', String(pid)], { encoding: 'utf8' });
  const children = out.stdout
    .split('\n')
    .map((line) => Number(line.trim()))
    .filter((n) => n > 0);
  return children.flatMap((child) => [...descendants(child), child]);
}

async function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return;
  const exited = once(child, 'exit');
  child.kill('SIGTERM');
  const timer = setTimeout(() => child.kill('SIGKILL'), 3000);
  await exited;
  clearTimeout(timer);
}

/**
 * Starts xrdp-sesman and xrdp; the session starts on the first login.
 * @param colour the root window colour, e.g. `#3366cc`
 * @returns the running server
 */
export async function startXrdp(colour: string): Promise<Xrdp> {
  // One xrdp per machine: sesman's port is fixed and every test logs in the same user.
  const release = await lockXrdp(180_000);
  const home = await prepareUser(colour).catch(async (error: unknown) => {
    await release();
    throw error;
  });
  const dir = await mkdtemp(path.join(os.tmpdir(), 'xrdp-test-'));
  const children: ChildProcess[] = [];
  const stop = async () => {
    const session = children.flatMap((child) => (child.pid ? descendants(child.pid) : []));
    for (const pid of session) {
      try {
        process.kill(pid, 'SIGTERM');
      } catch {
        // already gone
      }
    }
    for (const child of children.reverse()) await stopChild(child);
    await rm(dir, { recursive: true, force: true });
    await release();
  };
  try {
    const cert = path.join(dir, 'cert.pem');
    const key = path.join(dir, 'key.pem');
    run(
      'openssl',
      ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'].concat([
        '-subj',
        '/CN=localhost',
        '-keyout',
        key,
        '-out',
        cert,
      ]),
    );
    const sesman = await sesmanPort();
    if (await listening(sesman.port)) {
      throw new Error(`port ${sesman.port} is taken (a system xrdp-sesman?); stop it first`);
    }
    const sesmanIni = sesman.text
      .replace(/^LogFile=.*$/m, `LogFile=${path.join(dir, 'sesman.log')}`)
      .replace(/^EnableSyslog=.*$/gm, 'EnableSyslog=false');
    await writeFile(path.join(dir, 'sesman.ini'), sesmanIni);
    const port = await freePort();
    await writeFile(path.join(dir, 'xrdp.ini'), xrdpIni(port, cert, key, dir));
    const sesmanChild = spawn(
      'xrdp-sesman',
      ['--nodaemon', '--config', path.join(dir, 'sesman.ini')],
      {
        stdio: 'ignore',
      },
    );
    children.push(sesmanChild);
    await waitForListener(sesman.port, sesmanChild, 10_000);
    const xrdp = spawn('xrdp', ['--nodaemon', '--config', path.join(dir, 'xrdp.ini')], {
      stdio: 'ignore',
    });
    children.push(xrdp);
    await waitForListener(port, xrdp, 10_000);
    return { port, home, stop };
  } catch (error) {
    await stop();
    throw error;
  }
}

function xrdpIni(port: number, cert: string, key: string, dir: string): string {
  return `[Globals]
ini_version=1
fork=true
port=tcp://127.0.0.1:${port}
tcp_nodelay=true
security_layer=tls
crypt_level=none
certificate=${cert}
key_file=${key}
ssl_protocols=TLSv1.2, TLSv1.3
autorun=Xorg
allow_channels=true
bitmap_cache=false
bitmap_compression=true
bulk_compression=false
max_bpp=24
new_cursors=true
use_fastpath=both
[Logging]
LogFile=${path.join(dir, 'xrdp.log')}
LogLevel=INFO
EnableSyslog=false
[Xorg]
name=Xorg
lib=libxup.so
username=ask
password=ask
ip=127.0.0.1
port=-1
code=20
`;
}
