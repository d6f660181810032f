/**
 * @module Real peer: TigerVNC's Xvnc on loopback, once with VNC Authentication and once with VeNCrypt
 * (TLSVnc over anonymous TLS, X509Vnc over a verified self-signed certificate). The root window is a
 * two-colour plaid (xsetroot -mod), and with every encoding both sides support the decoded framebuffer
 * must equal an xwd dump of the display (at color-depth 16 and 8, the dump reduced as TigerVNC reduces
 * it). Then the UTF-8 extended clipboard both ways (xclip inside the
 * display) and SetDesktopSize. With CI=true a missing peer fails the test.
 */
import assert from 'node:assert/strict';
import net from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { GuacamoleError } from '../../../src/protocol/index.js';
import { ENCODING_BY_NAME } from '../../../src/proxy/vnc/encodings.js';
import { VeNCryptSubtype, VncClient, type VncClientOptions } from '../../../src/proxy/vnc/index.js';
import { missingXvncPeers, parseXwd, startXvnc, type Xvnc } from '../../support/xvnc.js';
import { reduceColour } from './harness.js';

const missing = missingXvncPeers();
const ci = process.env.CI === 'true';
const skip =
  missing.length > 0 && !ci
    ? `missing ${missing.join(', ')}; run scripts/install-test-peers.sh as root`
    : false;
const PASSWORD = 'secret';
/** The encodings TigerVNC's server implements (it has no Zlib or CoRRE encoder). */
const ENCODINGS = ['raw', 'rre', 'hextile', 'tight', 'zrle'];

/**
 * Resolves at the end of the next update that drew pixels (TigerVNC answers SetEncodings with an
 * update holding only pseudo-encodings first).
 */
async function drawnFrame(client: VncClient): Promise<void> {
  let drawn = false;
  const onUpdate = () => (drawn = true);
  client.on('update', onUpdate);
  await new Promise<void>((resolve, reject) => {
    const onEnd = () => {
      if (!drawn) return;
      client.off('frameEnd', onEnd);
      client.off('error', reject);
      resolve();
    };
    client.once('error', reject);
    client.on('frameEnd', onEnd);
  });
  client.off('update', onUpdate);
}

/** Connects and resolves with the client after its first frame with pixels. */
async function firstFrame(port: number, options: VncClientOptions): Promise<VncClient> {
  const client = new VncClient(net.connect(port, '127.0.0.1'), options);
  await drawnFrame(client);
  return client;
}

/**
 * Counts pixels where the framebuffer differs from an xwd dump of the display.
 * @param expect maps a dumped colour to the one the framebuffer should show
 */
function differences(client: VncClient, vnc: Xvnc, expect = (rgb: number) => rgb): string {
  const dump = parseXwd(vnc.x('xwd', ['-root', '-silent']));
  const fb = client.framebuffer;
  assert.deepEqual([fb.width, fb.height], [dump.width, dump.height]);
  let wrong = 0;
  let first = '';
  for (let y = 0; y < dump.height; y++) {
    for (let x = 0; x < dump.width; x++) {
      const expected = expect(dump.pixels[y * dump.width + x] as number);
      if (fb.getPixel(x, y) === expected) continue;
      if (wrong++ === 0)
        first = ` first at ${x},${y}: ${fb.getPixel(x, y).toString(16)} ≠ ${expected.toString(16)}`;
    }
  }
  return `${wrong} pixels differ${first}`;
}

function paint(vnc: Xvnc): void {
  vnc.x('xsetroot', ['-mod', '5', '3', '-fg', '#123456', '-bg', '#fedcba']);
}

describe('VNC client against TigerVNC Xvnc', { skip }, () => {
  const servers: Record<'vncauth' | 'vencrypt', Xvnc | undefined> = {
    vncauth: undefined,
    vencrypt: undefined,
  };

  before(async () => {
    assert.deepEqual(missing, [], `real peers missing with CI=true: ${missing.join(', ')}`);
    const size = { width: 320, height: 240, password: PASSWORD };
    servers.vncauth = await startXvnc({ ...size, securityTypes: 'VncAuth' });
    servers.vencrypt = await startXvnc({ ...size, securityTypes: 'VeNCrypt,TLSVnc,X509Vnc' });
    paint(servers.vncauth);
    paint(servers.vencrypt);
  });

  after(async () => {
    await servers.vncauth?.stop();
    await servers.vencrypt?.stop();
  });

  for (const security of ['vncauth', 'vencrypt'] as const) {
    for (const name of ENCODINGS) {
      it(
        `${security}: the ${name} framebuffer equals the xwd dump`,
        { timeout: 20_000 },
        async () => {
          const vnc = servers[security] as Xvnc;
          const client = new VncClient(net.connect(vnc.port, '127.0.0.1'), {
            password: PASSWORD,
            encodings: name,
          });
          const used = new Set<number>();
          client.on('update', (_rect, encoding) => used.add(encoding));
          try {
            await drawnFrame(client);
            assert.equal(differences(client, vnc), '0 pixels differ');
            assert.ok(used.has(ENCODING_BY_NAME.get(name) ?? -1), `used ${[...used].join(',')}`);
            const init = client.serverInit;
            if (security === 'vncauth') assert.equal(init?.securityType, 2);
            else
              assert.deepEqual([init?.securityType, init?.subtype], [19, VeNCryptSubtype.TLS_VNC]);
          } finally {
            client.close();
          }
        },
      );
    }
  }

  for (const depth of [16, 8] as const) {
    for (const name of ['raw', 'hextile', 'tight', 'zrle']) {
      it(
        `vncauth: the ${name} framebuffer at color-depth ${depth} equals the reduced xwd dump`,
        { timeout: 20_000 },
        async () => {
          const vnc = servers.vncauth as Xvnc;
          const client = new VncClient(net.connect(vnc.port, '127.0.0.1'), {
            password: PASSWORD,
            encodings: name,
            colorDepth: depth,
          });
          const used = new Set<number>();
          client.on('update', (_rect, encoding) => used.add(encoding));
          try {
            await drawnFrame(client);
            // TigerVNC rounds each channel to the client's depth (downconvTable: + 128).
            const expect = (rgb: number) => reduceColour(rgb, depth, 128);
            assert.equal(differences(client, vnc, expect), '0 pixels differ');
            assert.notEqual(expect(0xfedcba), 0xfedcba, 'the depth loses bits');
            assert.ok(used.has(ENCODING_BY_NAME.get(name) ?? -1), `used ${[...used].join(',')}`);
          } finally {
            client.close();
          }
        },
      );
    }
  }

  it(
    'vencrypt: X509Vnc verifies the certificate against the given CA',
    { timeout: 20_000 },
    async () => {
      const vnc = servers.vencrypt as Xvnc;
      // Without the password TLSVnc is not satisfiable either, so offer X509Vnc only via a fresh server.
      const x509 = await startXvnc({
        width: 64,
        height: 48,
        password: PASSWORD,
        securityTypes: 'X509Vnc',
      });
      try {
        const client = await firstFrame(x509.port, {
          password: PASSWORD,
          tls: { ca: x509.certificate, host: 'localhost' },
        });
        assert.deepEqual([client.serverInit?.securityType, client.serverInit?.subtype], [19, 261]);
        client.close();
        // A certificate from another server is not trusted.
        const rejected = new VncClient(net.connect(x509.port, '127.0.0.1'), {
          password: PASSWORD,
          tls: { ca: vnc.certificate, host: 'localhost' },
        });
        const error = await new Promise<GuacamoleError>((resolve) =>
          rejected.once('error', resolve),
        );
        assert.equal(error.code, 'RFB_TLS_FAILED', error.message);
      } finally {
        await x509.stop();
      }
    },
  );

  it('vncauth: a wrong password fails authentication', { timeout: 20_000 }, async () => {
    const vnc = servers.vncauth as Xvnc;
    const client = new VncClient(net.connect(vnc.port, '127.0.0.1'), { password: 'wrong' });
    const error = await new Promise<GuacamoleError>((resolve) => client.once('error', resolve));
    assert.equal(error.code, 'RFB_AUTH_FAILED', error.message);
  });

  it(
    'vencrypt: UTF-8 clipboard both ways through the extended clipboard',
    { timeout: 20_000 },
    async () => {
      const vnc = servers.vencrypt as Xvnc;
      const client = await firstFrame(vnc.port, { password: PASSWORD, clipboardEncoding: 'UTF-8' });
      try {
        assert.ok(client.extendedClipboard, 'Xvnc announced the extended clipboard');
        const outbound = 'Grüße, Ωμέγα ✓ 世界\nsecond line';
        client.sendClipboard(outbound);
        // Xvnc owns the CLIPBOARD now and asks the client for the text when xclip reads it.
        // Xvnc takes the CLIPBOARD once it has handled the Notify; until then xclip finds no owner.
        let text: string | undefined;
        for (let attempt = 0; text === undefined && attempt < 100; attempt++) {
          text = await vnc.readClipboard().catch(() => undefined);
        }
        assert.equal(text, outbound);
        const inbound = 'Привет, мир — 𝄞 ♫';
        const received = new Promise<string>((resolve) => client.once('clipboard', resolve));
        const release = await vnc.ownClipboard(inbound);
        try {
          assert.equal(await received, inbound);
        } finally {
          await release();
        }
      } finally {
        client.close();
      }
    },
  );

  it('vencrypt: SetDesktopSize resizes the desktop', { timeout: 20_000 }, async () => {
    const vnc = servers.vencrypt as Xvnc;
    const client = await firstFrame(vnc.port, { password: PASSWORD });
    try {
      assert.ok(client.canResize, 'Xvnc sent ExtendedDesktopSize');
      const resized = new Promise<[number, number]>((resolve) =>
        client.once('resize', (width, height) => {
          resolve([width, height]);
        }),
      );
      assert.equal(client.requestDesktopSize(400, 300), true);
      assert.deepEqual(await resized, [400, 300]);
      const repainted = drawnFrame(client);
      paint(vnc);
      await repainted;
      assert.equal(differences(client, vnc), '0 pixels differ');
    } finally {
      client.close();
    }
  });
});
