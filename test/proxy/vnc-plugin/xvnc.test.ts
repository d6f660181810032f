/**
 * @module The `vnc` plugin against TigerVNC's Xvnc with VeNCrypt (TLSVnc): the connection follows
 * guacd 1.6 by asking for the owner's size (1024×768) once Xvnc shows it accepts SetDesktopSize, and
 * UTF-8 clipboard text with characters outside Latin-1 goes both ways (clipboard-encoding UTF-8, xclip in
 * the display). With CI=true a missing peer fails the test.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProxyServer } from '../../../src/proxy/index.js';
import { createVncPlugin } from '../../../src/proxy/vnc-plugin/index.js';
import { within } from '../helpers.js';
import { missingXvncPeers, startXvnc, type Xvnc } from '../../support/xvnc.js';
import { VncUser } from './support.js';

const missing = missingXvncPeers();
const skip =
  missing.length > 0 && process.env.CI !== 'true'
    ? `missing ${missing.join(', ')}; run scripts/install-test-peers.sh as root`
    : false;

describe('vnc plugin against TigerVNC Xvnc with VeNCrypt', { skip }, () => {
  let vnc: Xvnc | undefined;
  let proxy: ProxyServer | undefined;

  before(async () => {
    assert.deepEqual(missing, [], `real peers missing with CI=true: ${missing.join(', ')}`);
    vnc = await startXvnc({
      width: 320,
      height: 240,
      password: 'secret',
      securityTypes: 'VeNCrypt,TLSVnc',
    });
    vnc.x('xsetroot', ['-solid', '#123456']);
    proxy = new ProxyServer({ plugins: [createVncPlugin({ connectTimeoutMs: 10_000 })] });
  });

  after(async () => {
    if (proxy) await within(proxy.close());
    await vnc?.stop();
  });

  it(
    'resizes to the owner and carries UTF-8 clipboard both ways',
    { timeout: 30_000 },
    async () => {
      const server = vnc as Xvnc;
      const user = await within(
        VncUser.open(proxy as ProxyServer, {
          hostname: '127.0.0.1',
          port: String(server.port),
          password: 'secret',
          'clipboard-encoding': 'UTF-8',
        }),
      );
      try {
        // The bottom-right corner of 1024×768 exists only once Xvnc took the owner's size.
        await within(user.waitForPixel(1023, 767, 0x123456), 15_000);
        assert.deepEqual([user.screen.width, user.screen.height], [1024, 768]);

        const inbound = 'Привет ✓ 𝄞';
        const release = await server.ownClipboard(inbound);
        try {
          await within(user.expect('clipboard'), 15_000);
          const blob = await within(user.expect('blob'));
          assert.equal(Buffer.from(blob.args[1] ?? '', 'base64').toString('utf8'), inbound);
        } finally {
          await release();
        }

        const outbound = 'Grüße, 世界';
        await user.send('clipboard', '3', 'text/plain');
        await user.send('blob', '3', Buffer.from(outbound, 'utf8').toString('base64'));
        await user.send('end', '3');
        // Xvnc takes the CLIPBOARD once it has handled the Notify; until then xclip finds no owner.
        let text: string | undefined;
        for (let attempt = 0; text !== outbound && attempt < 100; attempt++) {
          text = await server.readClipboard().catch(() => undefined);
        }
        assert.equal(text, outbound);
      } finally {
        user.socket.close();
      }
    },
  );
});
