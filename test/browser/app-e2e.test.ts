/**
 * @module The real application end to end: `src/main.ts` started as a child process with a temporary
 * GUACAMOLE_HOME (user-mapping.xml, guacamole.properties pointing at a FakeGuacd), driven in headless
 * Chromium through our own web UI: a rejected then accepted login, the connection tree, a session whose
 * pixels and keys cross the real tunnel, and a logout that ends the session on the server.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { FakeGuacd, type FakeGuacdConnection } from '../fakes/fake-guacd.js';
import { NAME_SHIM, clientState, displayPixels, storedToken, view } from '../web/ui-page.js';
import { startRealApp, type RealApp } from './app-e2e-server.js';
import { chromiumSkip, launchBrowser } from './browser.js';
import { SCENE, sessionScript } from './e2e-guacd.js';

const USER_MAPPING = `<user-mapping>
  <authorize username="alice" password="s3cret">
    <connection name="Desktop">
      <protocol>vnc</protocol>
      <param name="hostname">desktop.example</param>
      <param name="port">5900</param>
      <param name="password">\${GUAC_USERNAME}-pw</param>
    </connection>
    <connection name="Server">
      <protocol>ssh</protocol>
      <param name="hostname">server.example</param>
    </connection>
  </authorize>
</user-mapping>
`;

void describe(
  'the real application in Chromium',
  { skip: chromiumSkip(), timeout: 120_000 },
  () => {
    let guacd: FakeGuacd;
    let app: RealApp;
    let origin: string;
    let browser: Browser;
    let page: Page;
    let desktop: FakeGuacdConnection;
    const pageErrors: Error[] = [];

    before(async () => {
      guacd = await FakeGuacd.start({ script: sessionScript });
      app = await startRealApp({ userMapping: USER_MAPPING, guacdPort: guacd.port });
      origin = app.origin;
      browser = await launchBrowser();
      const context = await browser.newContext({ viewport: { width: 900, height: 640 } });
      await context.addInitScript(NAME_SHIM);
      page = await context.newPage();
      page.on('pageerror', (error) => pageErrors.push(error));
    });
    after(async () => {
      await browser.close();
      await app.stop();
      await guacd.close();
    });

    it('rejects a wrong password with "Invalid login."', async () => {
      await page.goto(`${origin}/`);
      await view(page, 'login');
      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password').fill('wrong');
      await page.getByRole('button', { name: 'Log in' }).click();
      await page.getByRole('alert').filter({ hasText: 'Invalid login.' }).waitFor();
      assert.equal(await storedToken(page), null);
    });

    it('logs in and lists the connections of user-mapping.xml', async () => {
      await page.getByLabel('Username').fill('alice');
      await page.getByLabel('Password').fill('s3cret');
      await page.getByRole('button', { name: 'Log in' }).click();
      await view(page, 'home');
      await page.locator('a.connect').first().waitFor();
      assert.deepEqual(await page.locator('a.connect').allTextContents(), ['Desktop', 'Server']);
      const token = JSON.parse(String(await storedToken(page))) as string;
      assert.match(token, /^[0-9A-Fa-f]{64}$/);
      const head = await fetch(`${origin}/api/session`, {
        method: 'HEAD',
        headers: { 'Guacamole-Token': token },
      });
      assert.equal(head.status, 204);
    });

    it('opens a connection through the real tunnel; guacd draws and the canvas shows it', async () => {
      await page.getByRole('link', { name: 'Desktop', exact: true }).click();
      await view(page, 'client');
      desktop = await guacd.connection(0);
      const handshake = await desktop.waitForHandshake();
      assert.equal(handshake.selected, 'vnc');
      assert.equal(handshake.parameters.get('hostname'), 'desktop.example');
      assert.equal(handshake.parameters.get('password'), 'alice-pw', 'tokens are substituted');
      assert.deepEqual(handshake.instructions.get('name'), ['alice']);
      await clientState(page, 'connected');
      const { rect, png } = SCENE;
      // The `sync` reaches guacd once the browser rendered the frame.
      assert.deepEqual((await desktop.waitFor('sync')).args, [SCENE.timestamp]);
      const pixels = await displayPixels(page, [
        [rect.x + 5, rect.y + 5],
        [png.x + 1, png.y + 1],
      ]);
      assert.deepEqual(pixels, [[...rect.color], [...png.color]]);
    });

    it('sends typed keys to guacd as key instructions', async () => {
      await page.keyboard.press('a');
      assert.deepEqual((await desktop.waitFor('key')).args, ['97', '1']);
      assert.deepEqual((await desktop.waitFor('key')).args, ['97', '0']);
      await page.keyboard.press('Shift+B');
      const keys: string[][] = [];
      while (keys.length < 4) keys.push([...(await desktop.waitFor('key')).args]);
      // Shift_L (0xffe1) down, "B" down and up, Shift_L up.
      assert.deepEqual(keys, [
        ['65505', '1'],
        ['66', '1'],
        ['66', '0'],
        ['65505', '0'],
      ]);
    });

    it('lists the open tunnel in the session while connected', async () => {
      const token = JSON.parse(String(await storedToken(page))) as string;
      const tunnels = await fetch(`${origin}/api/session/tunnels`, {
        headers: { 'Guacamole-Token': token },
      });
      assert.equal(tunnels.status, 200);
      const uuids = await tunnels.json();
      assert.ok(Array.isArray(uuids) && uuids.length === 1, JSON.stringify(uuids));
    });

    it('logs out: the session is gone on the server and guacd is disconnected', async () => {
      const token = JSON.parse(String(await storedToken(page))) as string;
      await page.getByRole('button', { name: 'Log out' }).first().click();
      await view(page, 'login');
      assert.equal(await storedToken(page), null);
      await desktop.closed;
      assert.ok(desktop.received.some((i) => i.opcode === 'disconnect'));
      const head = await fetch(`${origin}/api/session`, {
        method: 'HEAD',
        headers: { 'Guacamole-Token': token },
      });
      assert.equal(head.status, 403, 'Java answers an unknown token with 403 PERMISSION_DENIED');
      const tunnels = await fetch(`${origin}/api/session/tunnels`, {
        headers: { 'Guacamole-Token': token },
      });
      assert.equal(tunnels.status, 403);
      assert.equal(((await tunnels.json()) as { type?: string }).type, 'PERMISSION_DENIED');
    });

    it('left no uncaught errors in the page, the fake guacd or the server log', () => {
      assert.deepEqual(pageErrors, []);
      assert.deepEqual(guacd.errors, []);
      assert.deepEqual(app.errorLines(), []);
    });
  },
);
