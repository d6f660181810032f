/**
 * @module Real peer: Xvfb + x11vnc on loopback. The root window is painted #123456 and the client must
 * decode that colour with every encoding both sides support. With CI=true a missing peer fails the test.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ENCODING_BY_NAME } from '../../../src/proxy/vnc/encodings.js';
import { VncClient } from '../../../src/proxy/vnc/index.js';

const PEERS = ['Xvfb', 'x11vnc', 'xsetroot'];
const missing = PEERS.filter((cmd) => spawnSync('which', [cmd]).status !== 0);
const ci = process.env.CI === 'true';
const skip =
  missing.length > 0 && !ci
    ? `missing ${missing.join(', ')}; run scripts/install-test-peers.sh as root`
    : false;

/** Reads a child's stdout/stderr until a line matches, or fails after `ms`. */
async function waitForOutput(child: ChildProcess, pattern: RegExp, ms: number): Promise<string> {
  return await new Promise((resolve, reject) => {
    let text = '';
    const timer = setTimeout(() => {
      reject(new Error(`timed out waiting for ${String(pattern)}; output: ${text}`));
    }, ms);
    const onData = (chunk: Buffer) => {
      text += chunk.toString();
      const match = pattern.exec(text);
      if (match) {
        clearTimeout(timer);
        resolve(match[1] ?? match[0]);
      }
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', onData);
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`exited with ${String(code)}: ${text}`));
    });
  });
}

async function freePort(): Promise<number> {
  const server = net.createServer().listen(0, '127.0.0.1');
  await once(server, 'listening');
  const { port } = server.address() as net.AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

describe('VNC client against Xvfb + x11vnc', { skip }, () => {
  const children: ChildProcess[] = [];
  let port = 0;

  before(async () => {
    assert.deepEqual(missing, [], `real peers missing with CI=true: ${missing.join(', ')}`);
    const xvfb = spawn('Xvfb', [
      '-displayfd',
      '1',
      '-screen',
      '0',
      '320x240x24',
      '-nolisten',
      'tcp',
      '-noreset',
    ]);
    children.push(xvfb);
    const display = `:${await waitForOutput(xvfb, /^(\d+)\n/m, 10_000)}`;
    const paint = spawnSync('xsetroot', ['-display', display, '-solid', '#123456']);
    assert.equal(paint.status, 0, paint.stderr.toString());
    port = await freePort();
    const args = ['-display', display, '-localhost', '-rfbport', String(port), '-nopw', '-forever'];
    const vnc = spawn('x11vnc', [...args, '-shared']);
    children.push(vnc);
    await waitForOutput(vnc, /PORT=(\d+)/, 20_000);
  });

  after(async () => {
    // x11vnc first, then Xvfb; x11vnc may ignore SIGTERM while talking to X, so SIGKILL follows.
    for (const child of children.reverse()) {
      if (child.exitCode !== null || child.signalCode !== null) continue;
      const exited = once(child, 'exit');
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 2000);
      await exited;
      clearTimeout(timer);
    }
  });

  for (const name of ['raw', 'rre', 'corre', 'hextile', 'zlib', 'tight', 'zrle']) {
    it(`decodes #123456 with ${name}`, { timeout: 15_000 }, async () => {
      const socket = net.connect(port, '127.0.0.1');
      const client = new VncClient(socket, { encodings: name });
      const used = new Set<number>();
      client.on('update', (_rect, encoding) => used.add(encoding));
      try {
        await new Promise<void>((resolve, reject) => {
          client.on('error', reject);
          client.on('frameEnd', () => {
            const fb = client.framebuffer;
            if (fb.width === 320 && fb.height === 240 && fb.getPixel(160, 120) === 0x123456)
              resolve();
          });
        });
        assert.equal(client.framebuffer.getPixel(0, 0), 0x123456);
        assert.ok(used.has(ENCODING_BY_NAME.get(name) ?? -1), `server used ${[...used].join(',')}`);
      } finally {
        client.close();
      }
    });
  }
});
