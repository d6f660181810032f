/**
 * @module The bundled proxy's RDP end to end, shared by the in-process and the daemon variant: the real
 * server (`src/main.ts`, GUACAMOLE_HOME with an `rdp` connection) in front of a real xrdp + xorgxrdp
 * session, driven through our web UI in Chromium — login, the session's root colour and its xterm on
 * the canvas, typing that reaches ~/typed.txt, the clipboard both ways through xrdp-chansrv (xclip in
 * the session), resizing the browser (the plugin reconnects at the new size), logout and a clean stop.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { NAME_SHIM, clientState, displayAreaSize, view, type PageGlobals } from '../web/ui-page.js';
import { XRDP_PASSWORD, XRDP_USER, startXrdp, type Xrdp } from '../support/xrdp.js';
import { launchBrowser } from './browser.js';
import { waitForFile } from './proxy-desktop.js';
import { logIn, waitForPixel, type ProxyVariant } from './proxy-e2e-suite.js';
import {
  readmeHome,
  startGateway,
  startProxyDaemon,
  type Gateway,
  type ProxyDaemon,
} from './proxy-gateway.js';
import { findRdpXSession, pollFor, type RdpXSession } from './rdp-session.js';

/** The session's root colour (its ~/.xsession runs xsetroot) and its xterm's (~/.Xresources). */
const ROOT_COLOUR = [0x33, 0x66, 0xcc] as const;
const XTERM_COLOUR = [0xff, 0xcc, 0x00] as const;
const hex = (rgb: readonly number[]): string =>
  `#${rgb.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
/** A point inside the session's 40x5 xterm at +0+0, clear of its text and cursor. */
const IN_XTERM = [150, 45] as const;
/** Our UI's user and the connection it lists. */
const USER = { username: 'alice', password: 'rdp-e2e-Pw' } as const;
const CONNECTION = 'Session';
/** The browser's window before and after the resize. */
const VIEWPORT = { width: 1000, height: 760 } as const;
const RESIZED = { width: 860, height: 620 } as const;

/** @returns user-mapping.xml giving {@link USER} one RDP connection to the test xrdp */
function userMapping(port: number): string {
  const params = {
    hostname: '127.0.0.1',
    port: String(port),
    username: XRDP_USER,
    password: XRDP_PASSWORD,
    security: 'tls',
    'ignore-cert': 'true',
    'resize-method': 'reconnect',
    'color-depth': '24',
  };
  const lines = Object.entries(params).map(
    ([name, value]) => `      <param name="${name}">${value}</param>`,
  );
  return `<user-mapping>
  <authorize username="${USER.username}" password="${USER.password}">
    <connection name="${CONNECTION}">
      <protocol>rdp</protocol>
${lines.join('\n')}
    </connection>
  </authorize>
</user-mapping>
`;
}

/** Waits until the remote display is `size` (the display area's size: no scaling). */
async function waitForDisplaySize(page: Page, size: readonly [number, number]): Promise<void> {
  await page.waitForFunction(
    ([width, height]) => {
      const element = (globalThis as unknown as PageGlobals).document.querySelector(
        '.display-area > div > div',
      ) as unknown as { style: { width: string; height: string } } | null;
      return element?.style.width === `${width}px` && element.style.height === `${height}px`;
    },
    size,
    { timeout: 40_000 },
  );
}

/**
 * Waits until the remote display has the display area's size (after any reconnect or resize).
 * @param page the client page
 * @returns that size
 */
export async function waitForFit(page: Page): Promise<[number, number]> {
  const size = await displayAreaSize(page);
  await waitForDisplaySize(page, size);
  return size;
}

/** Points at the xterm (no window manager: the focus follows the pointer) and types a line. */
async function typeLine(page: Page, text: string): Promise<void> {
  const box = await page.locator('.display-area > div').first().boundingBox();
  assert.ok(box, 'the display is visible');
  await page.mouse.move(box.x + IN_XTERM[0], box.y + IN_XTERM[1]);
  await page.keyboard.type(text);
  await page.keyboard.press('Enter');
}

/**
 * Registers the suite's hooks and tests in the current `describe`.
 * @param variant the in-process proxy, or the standalone daemon as an external guacd
 */
export function rdpDesktopSuite(variant: ProxyVariant): void {
  let xrdp: Xrdp | undefined;
  let session: RdpXSession | undefined;
  let daemon: ProxyDaemon | undefined;
  let gateway: Gateway | undefined;
  let browser: Browser | undefined;
  let page: Page;
  const pageErrors: Error[] = [];
  /** What the proxy logged so far: the server's output in-process, the daemon's log otherwise. */
  const proxyLog = (): string => daemon?.log() ?? gateway?.server.stdout ?? '';

  before(async () => {
    xrdp = await startXrdp(hex(ROOT_COLOUR));
    // ~/.xsession's `cat > ~/typed.txt` truncates it when the session starts; a stale one must not count.
    await rm(path.join(xrdp.home, 'typed.txt'), { force: true });
    // Xsession merges ~/.Xresources before it runs ~/.xsession: an xterm colour no default has.
    const resources = `XTerm*background: ${hex(XTERM_COLOUR)}\nXTerm*foreground: #000000\n`;
    await writeFile(path.join(xrdp.home, '.Xresources'), resources);
    let properties = (await readmeHome()).properties;
    if (variant === 'daemon') {
      daemon = await startProxyDaemon();
      properties += `guacd-mode: external\nguacd-hostname: 127.0.0.1\nguacd-port: ${daemon.port}\n`;
    } else {
      properties += 'guacd-mode: embedded\n';
    }
    gateway = await startGateway({
      properties,
      userMapping: userMapping(xrdp.port),
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
    await daemon?.stop();
    await session?.stop();
    if (xrdp !== undefined) await rm(path.join(xrdp.home, '.Xresources'), { force: true });
    await xrdp?.stop();
  });

  it('logs in through our UI and lists the RDP connection', async () => {
    assert.ok(gateway);
    const health = (await (await fetch(`${gateway.origin}/healthz`)).json()) as { guacd: string };
    assert.equal(health.guacd, variant === 'embedded' ? 'embedded' : 'reachable');
    await page.goto(`${gateway.origin}/`);
    await logIn(page, USER.username, USER.password);
    await page.getByRole('link', { name: CONNECTION, exact: true }).waitFor();
  });

  it("opens the session at the display area's size: its root colour and xterm are drawn", async () => {
    await page.getByRole('link', { name: CONNECTION, exact: true }).click();
    await view(page, 'client');
    await clientState(page, 'connected');
    const [width, height] = await waitForFit(page);
    await waitForPixel(page, [width - 20, height - 20], ROOT_COLOUR);
    await waitForPixel(page, IN_XTERM, XTERM_COLOUR);
    // The server logs JSON (quotes escaped), the daemon plain text.
    assert.match(proxyLog(), /created \(protocol \\?"rdp\\?"\)/);
    session = await findRdpXSession(xrdp?.home ?? '', 20_000);
    assert.deepEqual(session.rootSize(), [width, height]);
  });

  it('types text that reaches the program in the remote xterm', async () => {
    await typeLine(page, 'hello rdp 42');
    const typed = await waitForFile(path.join(xrdp?.home ?? '', 'typed.txt'), 20_000);
    assert.equal(typed, 'hello rdp 42\n');
  });

  it('sends the browser clipboard to the session (xclip reads it)', async () => {
    // The panel narrows the display area: the plugin reconnects at that size first.
    await page.getByRole('button', { name: 'Clipboard' }).click();
    await waitForFit(page);
    const text = 'from the browser 7 ✓';
    await page.locator('.clipboard-panel textarea').fill(text);
    const read = (): string | undefined => {
      const seen = session?.readClipboard();
      return seen === text ? seen : undefined;
    };
    assert.equal(await pollFor('the session reading the clipboard', read, 20_000), text);
  });

  it('shows the session clipboard in the browser (xclip owns it)', async () => {
    const text = 'from the session 9 ✓';
    session?.ownClipboard(text);
    await page.waitForFunction(
      (expected) =>
        (globalThis as unknown as PageGlobals).document.querySelector('.clipboard-panel textarea')
          ?.value === expected,
      text,
      { timeout: 20_000 },
    );
    await page.getByRole('button', { name: 'Clipboard' }).click();
    await waitForFit(page);
  });

  it('reconnects at the new size when the browser window is resized', async () => {
    const before = await displayAreaSize(page);
    await page.setViewportSize(RESIZED);
    const [width, height] = await waitForFit(page);
    assert.notDeepEqual([width, height], before);
    await waitForPixel(page, [width - 20, height - 20], ROOT_COLOUR);
    await waitForPixel(page, IN_XTERM, XTERM_COLOUR);
    assert.match(proxyLog(), new RegExp(`Reconnecting at ${width}x${height}\\.`));
    assert.deepEqual(session?.rootSize(), [width, height]);
    assert.equal(await page.locator('.client').getAttribute('data-state'), 'connected');
    // Input goes to the new RDP connection.
    await typeLine(page, 'after the resize');
    const typed = path.join(xrdp?.home ?? '', 'typed.txt');
    const expected = 'hello rdp 42\nafter the resize\n';
    const read = (): string | undefined => {
      const text = readFileSync(typed, 'utf8');
      return text === expected ? text : undefined;
    };
    assert.equal(
      await pollFor(`${typed} reading ${JSON.stringify(expected)}`, read, 20_000),
      expected,
    );
  });

  it('logs out: the tunnel to the session is closed', async () => {
    const log = (): string => gateway?.server.stdout ?? '';
    const ended = (): number => log().split('disconnected from connection').length;
    const before = ended();
    await page.getByRole('button', { name: 'Log out' }).first().click();
    await view(page, 'login');
    await pollFor(
      'the server logging the disconnection',
      () => ended() > before || undefined,
      10_000,
    );
  });

  it('stops on SIGTERM with exit code 0, leaving no page errors or error lines', async () => {
    assert.ok(gateway);
    assert.deepEqual(gateway.errorLines(), []);
    assert.equal(await gateway.stop(), 0);
    if (daemon !== undefined) assert.equal(await daemon.stop(), 0);
    assert.deepEqual(pageErrors, []);
  });
}
