/**
 * @module Real NLA peer end to end: FreeRDP's shadow server (`/sec:nla`, NTLM from a SAM file) sharing
 * an Xvfb painted a known colour ← the `rdp` plugin in the in-process proxy with `security=nla` ←
 * connectLocalProxy + configureSocket. The colour must arrive in bitmap updates (also under
 * security=any); a wrong password ends with 769, and so does security=tls, with the advice. With CI=true a missing peer fails the test; otherwise it is skipped.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ProxyServer } from '../../../src/proxy/index.js';
import { rdpPlugin } from '../../../src/proxy/rdp-plugin/index.js';
import {
  SHADOW_DOMAIN,
  SHADOW_PASSWORD,
  SHADOW_USER,
  missingShadowPeers,
  startShadowServer,
  type ShadowServer,
} from '../../support/freerdp-shadow.js';
import { within } from '../helpers.js';
import { VncUser } from '../vnc-plugin/support.js';

const missing = missingShadowPeers();
const skip =
  missing.length > 0 && process.env.CI !== 'true'
    ? `missing ${missing.join(', ')}; run scripts/install-test-peers.sh as root`
    : false;

/** Exact in RGB565: the shadow server sends 16 bpp (it turns a 24-bit request into 16 bits). */
const COLOUR = 0x428284;

describe('rdp plugin with NLA against freerdp-shadow-cli', { skip }, () => {
  let shadow: ShadowServer | undefined;
  let proxy: ProxyServer | undefined;

  before(async () => {
    assert.deepEqual(missing, [], `real peers missing with CI=true: ${missing.join(', ')}`);
    shadow = await startShadowServer('#428284');
    proxy = new ProxyServer({ plugins: [rdpPlugin] });
  });

  after(async () => {
    await proxy?.close();
    await shadow?.stop();
  });

  const params = (password: string, security = 'nla') => ({
    hostname: '127.0.0.1',
    port: String(shadow?.port),
    username: SHADOW_USER,
    domain: SHADOW_DOMAIN,
    password,
    security,
    'ignore-cert': 'true',
    width: '640',
    height: '480',
    'color-depth': '16',
  });

  it('authenticates with CredSSP and shows the desktop', { timeout: 60_000 }, async () => {
    if (proxy === undefined) throw new Error('no proxy');
    const user = await within(VncUser.open(proxy, params(SHADOW_PASSWORD), 'rdp'), 30_000);
    await within(user.waitForPixel(600, 400, COLOUR), 30_000);
    assert.equal(user.screen.pixel(10, 10), COLOUR);
    assert.deepEqual([user.screen.width, user.screen.height], [640, 480]);
    user.socket.close();
  });

  it('ends a wrong password with 769', { timeout: 60_000 }, async () => {
    if (proxy === undefined) throw new Error('no proxy');
    const user = await within(VncUser.open(proxy, params('wrong password'), 'rdp'), 30_000);
    const error = await within(user.expect('error'), 30_000);
    assert.equal(error.args[1], '769');
    assert.match(error.args[0] ?? '', /NLA authentication failed/);
  });

  it('negotiates NLA under security=any and advises it under security=tls', async () => {
    if (proxy === undefined) throw new Error('no proxy');
    const any = await within(VncUser.open(proxy, params(SHADOW_PASSWORD, 'any'), 'rdp'), 30_000);
    await within(any.waitForPixel(600, 400, COLOUR), 30_000);
    any.socket.close();
    const tls = await within(VncUser.open(proxy, params(SHADOW_PASSWORD, 'tls'), 'rdp'), 30_000);
    const error = await within(tls.expect('error'), 30_000);
    assert.equal(error.args[1], '769');
    assert.match(error.args[0] ?? '', /security to nla or any/);
  });
});
