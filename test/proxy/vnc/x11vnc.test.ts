/**
 * @module Real peer: Xvfb + x11vnc on loopback. The root window is painted #123456 and the client must
 * decode that colour with every encoding both sides support. With CI=true a missing peer fails the test.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ENCODING_BY_NAME } from '../../../src/proxy/vnc/encodings.js';
import { VncClient } from '../../../src/proxy/vnc/index.js';
import { missingPeers, startX11Vnc, type X11Vnc } from '../../support/x11vnc.js';

const missing = missingPeers();
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
  });

  after(async () => {
    await peers?.stop();
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
