/**
 * @module The bundled proxy end to end, shared by the embedded and the daemon variant: the real server
 * (README's GUACAMOLE_HOME) in front of a real Xvfb + x11vnc desktop, driven through our web UI in
 * Chromium — login, the xsetroot colour and an xterm on the canvas, a second user joining the same
 * connection and seeing the current screen, typing that reaches a program in the xterm, the clipboard
 * both ways (xclip on the desktop), logout, and a SIGTERM that ends the joined user's session cleanly.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { NAME_SHIM, clientState, view, type PageGlobals } from '../web/ui-page.js';
import { launchBrowser } from './browser.js';
import { startDesktop, waitForFile, type Desktop } from './proxy-desktop.js';
import {
  JOINER,
  JOIN_CONNECTION,
  readmeHome,
  startGateway,
  startProxyDaemon,
  type Gateway,
  type ProxyDaemon,
} from './proxy-gateway.js';

/** The desktop: its size, root colour, and an xterm with its own background at a known place. */
const SCREEN = { width: 800, height: 600 } as const;
const ROOT_COLOUR = [0x33, 0x66, 0x99] as const;
const XTERM_COLOUR = [0xff, 0xcc, 0x00] as const;
const XTERM = { x: 40, y: 40 } as const;
/** A point on the bare root window and one inside the xterm, in remote pixels. */
const ON_ROOT = [700, 520] as const;
const IN_XTERM = [XTERM.x + 60, XTERM.y + 40] as const;
/** How far a lossy (JPEG/WebP) encoding may move a channel. */
const TOLERANCE = 12;

const hex = (rgb: readonly number[]): string =>
  `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;

/** Which proxy the server uses. */
export type ProxyVariant = 'embedded' | 'daemon';

/**
 * Waits until the display's default layer shows `rgb` (± TOLERANCE) at (x, y).
 * @param page the client page
 * @param point remote pixel coordinates
 * @param rgb the expected colour
 */
export async function waitForPixel(
  page: Page,
  point: readonly [number, number],
  rgb: readonly number[],
): Promise<void> {
  await page.waitForFunction(
    ({ point: [x, y], rgb, tolerance }) => {
      const canvas = (globalThis as unknown as PageGlobals).document.querySelector(
        '.display-area canvas',
      );
      const data = canvas?.getContext('2d')?.getImageData(x, y, 1, 1).data;
      if (data === undefined) return false;
      return rgb.every((c, i) => Math.abs((data[i] ?? -999) - c) <= tolerance);
    },
    { point, rgb, tolerance: TOLERANCE },
    { timeout: 20_000 },
  );
}

/**
 * @param page a page showing the client
 * @param point remote pixel coordinates
 * @returns the page coordinates of that remote pixel, whatever the display's scale
 */
async function pagePoint(page: Page, point: readonly [number, number]): Promise<[number, number]> {
  const box = await page.locator('.display-area > div').first().boundingBox();
  assert.ok(box, 'the display is visible');
  const scale = box.width / SCREEN.width;
  return [box.x + point[0] * scale, box.y + point[1] * scale];
}

/**
 * Logs in through our UI's login form and waits for the home view.
 * @param page a page showing the login view
 * @param username the user
 * @param password the password
 */
export async function logIn(page: Page, username: string, password: string): Promise<void> {
  await view(page, 'login');
  await page.getByLabel('Username').fill(username);
  await page.getByLabel('Password').fill(password);
  await page.getByRole('button', { name: 'Log in' }).click();
  // A user with a single connection has it opened at once (as the official frontend does): go home.
  const ready = '.client, body[data-view="home"] .sources:not([aria-busy])';
  if ((await page.locator(ready).first().getAttribute('class', { timeout: 30_000 })) === 'client') {
    await page.getByRole('link', { name: 'Home', exact: true }).click();
  }
  await view(page, 'home');
}

/**
 * Registers the suite's hooks and tests in the current `describe`.
 * @param variant the in-process proxy, or the standalone daemon as an external guacd
 */
export function proxyDesktopSuite(variant: ProxyVariant): void {
  let desktop: Desktop;
  let daemon: ProxyDaemon | undefined;
  let gateway: Gateway;
  let browser: Browser;
  let alice: Page;
  let bob: Page;
  let scratch: string;
  let user: { username: string; password: string };
  const pageErrors: Error[] = [];

  before(async () => {
    scratch = mkdtempSync(join(tmpdir(), 'proxy-e2e-'));
    desktop = await startDesktop(SCREEN.width, SCREEN.height, hex(ROOT_COLOUR));
    // The README's example, pointed at this desktop; the daemon variant adds the external guacd.
    const readme = await readmeHome();
    const userMapping = readme.userMapping.replace(
      '<param name="port">5901</param>',
      `<param name="port">${desktop.port}</param>`,
    );
    assert.notEqual(userMapping, readme.userMapping, "the README's connection names port 5901");
    user = {
      username: /username="([^"]+)"/.exec(userMapping)?.[1] ?? '',
      password: /password="([^"]+)"/.exec(userMapping)?.[1] ?? '',
    };
    let properties = readme.properties;
    if (variant === 'daemon') {
      daemon = await startProxyDaemon();
      properties += `guacd-mode: external\nguacd-hostname: 127.0.0.1\nguacd-port: ${daemon.port}\n`;
    }
    gateway = await startGateway({ properties, userMapping, firstUser: user.username });
    browser = await launchBrowser();
    const open = async (): Promise<Page> => {
      const context = await browser.newContext({ viewport: { width: 1000, height: 760 } });
      await context.addInitScript(NAME_SHIM);
      const page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error));
      return page;
    };
    alice = await open();
    bob = await open();
  });
  after(async () => {
    // Each piece may be missing when `before` failed part-way.
    const started = {
      browser: browser as Browser | undefined,
      gateway: gateway as Gateway | undefined,
      desktop: desktop as Desktop | undefined,
    };
    await started.browser?.close();
    await started.gateway?.stop();
    await daemon?.stop();
    await started.desktop?.stop();
    rmSync(scratch, { recursive: true, force: true });
  });

  it("starts from the README's GUACAMOLE_HOME with the expected proxy", async () => {
    const readme = await readmeHome();
    assert.doesNotMatch(readme.properties, /guacd/, 'the README example needs no guacd');
    const health = await fetch(`${gateway.origin}/healthz`);
    const body = (await health.json()) as { guacd: string };
    if (variant === 'embedded') {
      // Nothing may listen on localhost:4822 here, or `auto` would (rightly) pick it.
      assert.match(gateway.server.stdout, /using the bundled proxy\./);
      assert.equal(body.guacd, 'embedded');
    } else {
      assert.match(gateway.server.stdout, /guacd-mode is external: using guacd at 127\.0\.0\.1:/);
      assert.equal(body.guacd, 'reachable');
    }
  });

  it('logs in through our UI and lists the connection', async () => {
    await alice.goto(`${gateway.origin}/`);
    await logIn(alice, user.username, user.password);
    await alice.getByRole('link', { name: 'Desktop', exact: true }).waitFor();
  });

  it('opens the VNC desktop: the xsetroot colour is drawn on the canvas', async () => {
    await alice.getByRole('link', { name: 'Desktop', exact: true }).click();
    await view(alice, 'client');
    await clientState(alice, 'connected');
    await waitForPixel(alice, ON_ROOT, ROOT_COLOUR);
    if (daemon !== undefined) await daemon.waitForLog('(protocol "vnc")');
  });

  it('draws an xterm that appears on the remote screen', async () => {
    const file = join(scratch, 'typed.txt');
    desktop.run('xterm', [
      '-geometry',
      `40x6+${XTERM.x}+${XTERM.y}`,
      '-bg',
      hex(XTERM_COLOUR),
      '-fg',
      'black',
      '-e',
      'sh',
      '-c',
      `read line; printf %s "$line" > '${file}'; exec cat`,
    ]);
    await waitForPixel(alice, IN_XTERM, XTERM_COLOUR);
    await waitForPixel(alice, ON_ROOT, ROOT_COLOUR);
  });

  it('lets a second user join the same connection; the late joiner sees the current screen', async () => {
    await bob.goto(`${gateway.origin}/`);
    await logIn(bob, JOINER.username, JOINER.password);
    await bob.getByRole('link', { name: JOIN_CONNECTION, exact: true }).click();
    await view(bob, 'client');
    await clientState(bob, 'connected');
    await waitForPixel(bob, ON_ROOT, ROOT_COLOUR);
    await waitForPixel(bob, IN_XTERM, XTERM_COLOUR);
    if (daemon !== undefined) await daemon.waitForLog('Joining existing connection');
  });

  it('types text that reaches the program in the remote xterm', async () => {
    const [x, y] = await pagePoint(alice, IN_XTERM);
    // No window manager: keyboard focus follows the pointer, so point at the xterm first.
    await alice.mouse.move(x, y);
    await alice.keyboard.type('hello proxy 42');
    await alice.keyboard.press('Enter');
    assert.equal(await waitForFile(join(scratch, 'typed.txt'), 20_000), 'hello proxy 42');
  });

  it('sends the browser clipboard to the remote desktop (xclip reads it)', async () => {
    await alice.getByRole('button', { name: 'Clipboard' }).click();
    const text = 'from the browser 7';
    await alice.locator('.clipboard-panel textarea').fill(text);
    // x11vnc sets the X selections when the proxy forwards the text; read until it has, or fail.
    const deadline = Date.now() + 20_000;
    let seen = '';
    while (seen !== text && Date.now() < deadline) {
      seen = desktop.readSelection('clipboard');
      if (seen !== text) seen = desktop.readSelection('primary');
    }
    assert.equal(seen, text, `x11vnc's log:\n${desktop.vncLog().slice(-2000)}`);
  });

  it('shows the remote clipboard in the browser (an X client sets the cut buffer)', async () => {
    const text = 'from the desktop 9';
    desktop.setCutBuffer(text);
    await alice.waitForFunction(
      (expected) =>
        (globalThis as unknown as PageGlobals).document.querySelector('.clipboard-panel textarea')
          ?.value === expected,
      text,
      { timeout: 20_000 },
    );
    await alice.getByRole('button', { name: 'Clipboard' }).click();
  });

  it('logs out: the first user is disconnected, the joined user stays connected', async () => {
    await alice.getByRole('button', { name: 'Log out' }).first().click();
    await view(alice, 'login');
    await gateway.server.waitForOutput(`disconnected from connection`);
    await waitForPixel(bob, IN_XTERM, XTERM_COLOUR);
    assert.equal(await bob.locator('.client').getAttribute('data-state'), 'connected');
  });

  it('stops on SIGTERM with exit code 0, ending the joined session', async () => {
    assert.equal(await gateway.stop(), 0);
    await bob.waitForSelector('.client[data-state="disconnected"], .client[data-state="failed"]');
    if (daemon !== undefined) assert.equal(await daemon.stop(), 0);
  });

  it('left no uncaught page errors or error lines in the server log', () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(gateway.errorLines(), []);
  });
}
