/**
 * @module VNC resizing end to end in Chromium: our UI → the bundled proxy in-process → TigerVNC's Xvnc
 * (VNC Authentication with a password, root painted by xsetroot). Xvnc starts smaller than the browser;
 * the proxy asks for the owner's size (SetDesktopSize, as guacd 1.6), so the X screen (xdpyinfo) and
 * the display in the page take the display area's size and the root colour reaches its far corner.
 * Resizing the browser window resizes the X screen again. Logout, no page errors, no error lines.
 * With CI=true a missing peer fails the suite instead of skipping it.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { missingXvncPeers, startXvnc, type Xvnc } from '../support/xvnc.js';
import { NAME_SHIM, clientState, view } from '../web/ui-page.js';
import { chromiumSkip, launchBrowser } from './browser.js';
import { logIn, waitForPixel } from './proxy-e2e-suite.js';
import { readmeHome, startGateway, type Gateway } from './proxy-gateway.js';
import { waitForFit } from './rdp-e2e-suite.js';
import { pollFor } from './rdp-session.js';

/** Xvnc's size before the proxy asks for the owner's: smaller than any display area used here. */
const INITIAL = { width: 640, height: 480 } as const;
/** The root window's colour, as xsetroot takes it and as the canvas shows it. */
const ROOT = { name: '#2e8b57', rgb: [0x2e, 0x8b, 0x57] } as const;
/** The colour the root is repainted after the resize: a shrunk canvas keeps its old pixels. */
const REPAINT = { name: '#b03060', rgb: [0xb0, 0x30, 0x60] } as const;
const VNC_PASSWORD = 'xvnc-Pw8';
const USER = { username: 'carol', password: 'vnc-resize-Pw' } as const;
const CONNECTION = 'Resizable';
/** The browser's window before and after the resize. */
const VIEWPORT = { width: 1000, height: 760 } as const;
const RESIZED = { width: 820, height: 600 } as const;

const missing = [
  ...missingXvncPeers(),
  ...['xdpyinfo'].filter((cmd) => spawnSync('which', [cmd]).status !== 0),
];
const skip =
  chromiumSkip() ||
  (missing.length > 0 && process.env.CI !== 'true'
    ? `missing ${missing.join(', ')}; run scripts/install-test-peers.sh as root`
    : false);

/**
 * @returns user-mapping.xml giving {@link USER} two VNC connections to Xvnc, with its password: the
 * UI opens a user's only connection at login, with two it lists them and the test opens one itself
 */
function userMapping(port: number): string {
  const connection = (name: string, extra: string): string => `    <connection name="${name}">
      <protocol>vnc</protocol>
      <param name="hostname">127.0.0.1</param>
      <param name="port">${port}</param>
      <param name="password">${VNC_PASSWORD}</param>${extra}
    </connection>`;
  const fixed = '\n      <param name="disable-display-resize">true</param>';
  return `<user-mapping>
  <authorize username="${USER.username}" password="${USER.password}">
${connection(CONNECTION, '')}
${connection('Fixed size', fixed)}
  </authorize>
</user-mapping>
`;
}

/** @returns the X screen's size as xdpyinfo reports it */
function screenSize(xvnc: Xvnc): [number, number] {
  const info = xvnc.x('xdpyinfo', []).toString('utf8');
  const match = /dimensions:\s+(\d+)x(\d+) pixels/.exec(info);
  if (match === null) throw new Error(`xdpyinfo printed no dimensions:\n${info}`);
  return [Number(match[1]), Number(match[2])];
}

/** Waits until Xvnc's screen is `size` (bounded poll of xdpyinfo). */
async function waitForScreen(xvnc: Xvnc, size: readonly [number, number]): Promise<void> {
  let seen: [number, number] = [0, 0];
  const probe = (): true | undefined => {
    seen = screenSize(xvnc);
    return seen[0] === size[0] && seen[1] === size[1] ? true : undefined;
  };
  try {
    await pollFor(`Xvnc's screen becoming ${size.join('x')}`, probe, 20_000);
  } catch (error) {
    throw new Error(`${String(error)}; it is ${seen.join('x')}`);
  }
}

/** Waits until the page and Xvnc agree on the display area's size, painted to its far corner. */
async function waitForResized(page: Page, xvnc: Xvnc): Promise<[number, number]> {
  const [width, height] = await waitForFit(page);
  await waitForScreen(xvnc, [width, height]);
  await waitForPixel(page, [width - 1, height - 1], ROOT.rgb);
  return [width, height];
}

void describe(
  'VNC resize end to end in Chromium against TigerVNC Xvnc',
  { skip, timeout: 180_000 },
  () => {
    let xvnc: Xvnc | undefined;
    let gateway: Gateway | undefined;
    let browser: Browser | undefined;
    let page: Page;
    const pageErrors: Error[] = [];

    before(async () => {
      assert.deepEqual(missing, [], `real peers missing with CI=true: ${missing.join(', ')}`);
      xvnc = await startXvnc({ ...INITIAL, securityTypes: 'VncAuth', password: VNC_PASSWORD });
      xvnc.x('xsetroot', ['-solid', ROOT.name]);
      gateway = await startGateway({
        properties: `${(await readmeHome()).properties}guacd-mode: embedded\n`,
        userMapping: userMapping(xvnc.port),
        firstUser: USER.username,
      });
      browser = await launchBrowser();
      const context = await browser.newContext({ viewport: VIEWPORT });
      await context.addInitScript(NAME_SHIM);
      page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error));
    });
    after(async () => {
      // Each piece may be missing when `before` failed part-way; every one is stopped regardless.
      await browser?.close();
      await gateway?.stop();
      await xvnc?.stop();
    });

    it('logs in through our UI and lists the VNC connection; Xvnc is still at its own size', async () => {
      assert.ok(gateway && xvnc);
      assert.deepEqual(screenSize(xvnc), [INITIAL.width, INITIAL.height]);
      const health = (await (await fetch(`${gateway.origin}/healthz`)).json()) as {
        guacd: string;
      };
      assert.equal(health.guacd, 'embedded');
      await page.goto(`${gateway.origin}/`);
      await logIn(page, USER.username, USER.password);
      await page.getByRole('link', { name: CONNECTION, exact: true }).waitFor();
    });

    it("gives Xvnc the display area's size: the root colour reaches the far corner", async (t) => {
      assert.ok(xvnc);
      await page.getByRole('link', { name: CONNECTION, exact: true }).click();
      await view(page, 'client');
      await clientState(page, 'connected');
      const size = await waitForResized(page, xvnc);
      assert.notDeepEqual(size, [INITIAL.width, INITIAL.height]);
      t.diagnostic(`Xvnc ${INITIAL.width}x${INITIAL.height} → ${size.join('x')}`);
      assert.match(gateway?.server.stdout ?? '', /created \(protocol \\"vnc\\"\)/);
    });

    it('resizes Xvnc with the browser window; the new screen is drawn to its far corner', async (t) => {
      assert.ok(xvnc);
      const before = await waitForFit(page);
      await page.setViewportSize(RESIZED);
      const after = await waitForResized(page, xvnc);
      assert.notDeepEqual(after, before);
      assert.ok(after[0] < before[0] && after[1] < before[1], `${after.join('x')} is smaller`);
      t.diagnostic(
        `viewport ${VIEWPORT.width}x${VIEWPORT.height} → ${RESIZED.width}x${RESIZED.height}: Xvnc ${before.join('x')} → ${after.join('x')}`,
      );
      xvnc.x('xsetroot', ['-solid', REPAINT.name]);
      await waitForPixel(page, [after[0] - 1, after[1] - 1], REPAINT.rgb);
      assert.equal(await page.locator('.client').getAttribute('data-state'), 'connected');
    });

    it('logs out: the tunnel to Xvnc is closed', async () => {
      await page.getByRole('button', { name: 'Log out' }).first().click();
      await view(page, 'login');
      await gateway?.server.waitForOutput('disconnected from connection');
    });

    it('stops on SIGTERM with exit code 0, leaving no page errors or error lines', async () => {
      assert.ok(gateway);
      assert.deepEqual(gateway.errorLines(), []);
      assert.equal(await gateway.stop(), 0);
      assert.deepEqual(pageErrors, []);
    });
  },
);
