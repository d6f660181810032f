/**
 * @module guacd's credential prompt end to end: the real server (`src/main.ts`, embedded proxy) in front
 * of Xvfb + x11vnc demanding a VNC password that the user-mapping connection lacks, driven through our
 * web UI in Chromium. The user's only connection opens by itself after login, the proxy's `required`
 * shows a masked password field, and once the typed password reaches x11vnc the desktop is drawn.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { startX11vnc, startXvfb, stopChild } from '../support/x11.js';
import { NAME_SHIM, clientState, view, type PageGlobals } from '../web/ui-page.js';
import { chromiumSkip, launchBrowser } from './browser.js';
import { desktopSkip } from './proxy-desktop.js';
import { readmeHome, startGateway, type Gateway } from './proxy-gateway.js';

const SCREEN = { width: 640, height: 480 } as const;
const ROOT_COLOUR = [0x22, 0x88, 0x44] as const;
/** x11vnc's password (VNC Authentication uses the first 8 bytes). */
const VNC_PASSWORD = 'S3cr3t!x';
const USER = { username: 'carol', password: 'c4rol-logs-in' } as const;
const CONNECTION = 'Locked desktop';

/** Xvfb painted ROOT_COLOUR, served by x11vnc on loopback with VNC_PASSWORD. */
async function startLockedDesktop(): Promise<{ port: number; stop: () => Promise<void> }> {
  const colour = `#${ROOT_COLOUR.map((c) => c.toString(16).padStart(2, '0')).join('')}`;
  const xvfb = await startXvfb(SCREEN.width, SCREEN.height, colour);
  try {
    const vnc = await startX11vnc(xvfb.display, ['-passwd', VNC_PASSWORD, '-forever', '-shared']);
    const stop = async (): Promise<void> => {
      await stopChild(vnc.child);
      await stopChild(xvfb.child);
    };
    return { port: vnc.port, stop };
  } catch (error) {
    await stopChild(xvfb.child);
    throw error;
  }
}

/** Waits until the display's default layer shows `rgb` (± 12 for lossy encodings) at (x, y). */
async function waitForPixel(page: Page, x: number, y: number, rgb: readonly number[]) {
  await page.waitForFunction(
    ({ x, y, rgb }) => {
      const canvas = (globalThis as unknown as PageGlobals).document.querySelector(
        '.display-area canvas',
      );
      const data = canvas?.getContext('2d')?.getImageData(x, y, 1, 1).data;
      return data !== undefined && rgb.every((c, i) => Math.abs((data[i] ?? -999) - c) <= 12);
    },
    { x, y, rgb },
    { timeout: 20_000 },
  );
}

void describe(
  "the UI answers the proxy's `required` for a VNC password",
  { skip: chromiumSkip() || desktopSkip(), timeout: 120_000 },
  () => {
    let desktop: { port: number; stop: () => Promise<void> } | undefined;
    let gateway: Gateway | undefined;
    let browser: Browser | undefined;
    let page: Page;
    const pageErrors: Error[] = [];

    before(async () => {
      desktop = await startLockedDesktop();
      const userMapping = `<user-mapping>
  <authorize username="${USER.username}" password="${USER.password}">
    <connection name="${CONNECTION}">
      <protocol>vnc</protocol>
      <param name="hostname">127.0.0.1</param>
      <param name="port">${desktop.port}</param>
    </connection>
  </authorize>
</user-mapping>
`;
      const { properties } = await readmeHome();
      gateway = await startGateway({ properties, userMapping, firstUser: USER.username });
      browser = await launchBrowser();
      const context = await browser.newContext({ viewport: { width: 900, height: 700 } });
      await context.addInitScript(NAME_SHIM);
      page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error));
    });

    after(async () => {
      await browser?.close();
      await gateway?.stop();
      await desktop?.stop();
    });

    it('opens the only connection right after login', async () => {
      assert.ok(gateway);
      await page.goto(`${gateway.origin}/`);
      await view(page, 'login');
      await page.getByLabel('Username').fill(USER.username);
      await page.getByLabel('Password').fill(USER.password);
      await page.getByRole('button', { name: 'Log in' }).click();
      await view(page, 'client');
      assert.equal(await page.locator('.client .title').textContent(), CONNECTION);
    });

    it('asks for the VNC password in a masked field, then draws the desktop', async () => {
      const dialog = page.getByRole('dialog', { name: 'Credentials required' });
      await dialog.waitFor();
      await clientState(page, 'required');
      const field = dialog.getByLabel('Password');
      assert.equal(await field.getAttribute('type'), 'password');
      assert.equal(await dialog.locator('input').count(), 1, 'only the password is asked for');
      // Typed key by key (the page's Guacamole.Keyboard must leave them to the field), then Enter.
      await page.keyboard.type(VNC_PASSWORD);
      assert.equal(await field.inputValue(), VNC_PASSWORD);
      await page.keyboard.press('Enter');
      await clientState(page, 'connected');
      assert.equal(await dialog.isHidden(), true);
      await waitForPixel(page, 600, 440, ROOT_COLOUR);
      await waitForPixel(page, 5, 5, ROOT_COLOUR);
      assert.deepEqual(pageErrors, []);
      assert.deepEqual(gateway?.errorLines() ?? [], []);
    });
  },
);
