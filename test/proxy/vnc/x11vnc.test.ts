/**
 * @module Real peer: Xvfb + x11vnc on loopback. The root window is painted a two-colour plaid and, with
 * every encoding both sides support, the decoded framebuffer must equal an xwd dump of the display; at
 * color-depth 16 and 8, the dump reduced as libvncserver reduces it.
 * With CI=true a missing peer fails the test.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ENCODING_BY_NAME } from '../../../src/proxy/vnc/encodings.js';
import { VncClient } from '../../../src/proxy/vnc/index.js';
import { missingPeers, startX11Vnc, type X11Vnc } from '../../support/x11vnc.js';
import { parseXwd } from '../../support/xvnc.js';
import { reduceColour } from './harness.js';

const PLAID = ['-mod', '7', '4', '-fg', '#123456', '-bg', '#c0ffee'];

/** Runs an X client on the display and returns its stdout. */
function x(display: string, command: string, args: string[]): Buffer {
  const result = spawnSync(command, ['-display', display, ...args], { maxBuffer: 64 << 20 });
  assert.equal(result.status, 0, `${command} failed: ${String(result.stderr)}`);
  return result.stdout;
}

const missing = [...missingPeers(), ...['xwd'].filter((c) => spawnSync('which', [c]).status !== 0)];
const ci = process.env.CI === 'true';
const skip =
  missing.length > 0 && !ci
    ? `missing ${missing.join(', ')}; run scripts/install-test-peers.sh as root`
    : false;

describe('VNC client against Xvfb + x11vnc', { skip }, () => {
  let peers: X11Vnc | undefined;
  let port = 0;

  before(async () => {
    assert.deepEqual(missing, [], `real peers missing with CI=true: ${missing.join(', ')}`);
    peers = await startX11Vnc(320, 240, '#123456');
    port = peers.port;
    x(peers.display, 'xsetroot', PLAID);
  });

  after(async () => {
    await peers?.stop();
  });

  const runs: [string, 8 | 16 | 24][] = [
    ...['raw', 'rre', 'corre', 'hextile', 'zlib', 'tight', 'zrle'].map((n): [string, 24] => [
      n,
      24,
    ]),
    ...[16, 8].flatMap((d) =>
      ['raw', 'hextile', 'tight', 'zrle'].map((n): [string, 8 | 16] => [n, d as 8 | 16]),
    ),
  ];
  for (const [name, depth] of runs) {
    const title = `the ${name} framebuffer equals the xwd dump${depth === 24 ? '' : ` at color-depth ${depth}`}`;
    it(title, { timeout: 15_000 }, async () => {
      const socket = net.connect(port, '127.0.0.1');
      const client = new VncClient(socket, { encodings: name, colorDepth: depth });
      // libvncserver rounds each channel to the client's depth (translate.c: + inMax / 2).
      const expect = (rgb: number) => (depth === 24 ? rgb : reduceColour(rgb, depth, 127));
      const used = new Set<number>();
      client.on('update', (_rect, encoding) => used.add(encoding));
      try {
        const dump = parseXwd(x(peers?.display ?? '', 'xwd', ['-root', '-silent']));
        const differing = () => {
          const fb = client.framebuffer;
          if (fb.width !== dump.width || fb.height !== dump.height) return -1;
          let wrong = 0;
          for (let y = 0; y < dump.height; y++) {
            for (let col = 0; col < dump.width; col++) {
              if (fb.getPixel(col, y) !== expect(dump.pixels[y * dump.width + col] as number))
                wrong++;
            }
          }
          return wrong;
        };
        // x11vnc may send the screen over several updates; wait for the one that completes it.
        await new Promise<void>((resolve, reject) => {
          client.on('error', reject);
          client.on('frameEnd', () => {
            if (differing() === 0) resolve();
          });
        });
        assert.equal(differing(), 0);
        assert.equal(client.framebuffer.getPixel(0, 0), expect(0x123456));
        if (depth !== 24) assert.notEqual(expect(0xc0ffee), 0xc0ffee, 'the depth loses bits');
        assert.ok(used.has(ENCODING_BY_NAME.get(name) ?? -1), `server used ${[...used].join(',')}`);
      } finally {
        client.close();
      }
    });
  }
});
