/**
 * @module The built-in web UI in headless Chromium, served by createWebUi under a base path next to a
 * spec-faithful REST stub and our real tunnels, with a FakeGuacd per connection: login (invalid and
 * insufficient credentials), the connection tree of every data source (names as text), a session
 * (pixels, keys, clipboard both ways, resize, reconnect), failures by status code, an expired session
 * (769) and logout.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import type { FakeGuacdConnection } from '../fakes/fake-guacd.js';
import { BASE_PATH, UiGateway, type GatewayConnection } from '../web/ui-gateway.js';
import { TOTP_CODE } from '../web/stub-rest.js';
import {
  NAME_SHIM,
  clientState,
  displayAreaSize,
  displayPixels,
  receiveText,
  storedToken,
  view,
  waitForMatching,
  type PageGlobals,
} from '../web/ui-page.js';
import { chromiumSkip, useTestPage } from './browser.js';
import { SCENE, sendClipboard, sessionScript } from './e2e-guacd.js';

const XSS_NAME = '<img src=x onerror="document.body.dataset.pwned=1">Lab & <b>co</b>';
const PASSWORD = 'pä𝄞😀';
const params = { hostname: 'desktop.example', port: '5900', password: PASSWORD };

const CONNECTIONS: readonly GatewayConnection[] = [
  {
    dataSource: 'default',
    identifier: '1',
    name: 'Desktop',
    protocol: 'vnc',
    parentIdentifier: 'ROOT',
    parameters: params,
    guacd: { script: sessionScript },
  },
  {
    dataSource: 'default',
    identifier: '2',
    name: XSS_NAME,
    protocol: 'rdp',
    parentIdentifier: 'servers',
    parameters: params,
    guacd: {},
  },
  {
    dataSource: 'default',
    identifier: '3',
    name: 'Unreachable',
    protocol: 'vnc',
    parentIdentifier: 'ROOT',
    parameters: params,
    guacd: { misbehave: { at: 'ready', action: 'error', message: 'No route', code: '519' } },
  },
  {
    dataSource: 'extra',
    identifier: 'e1',
    name: 'Extra desktop',
    protocol: 'ssh',
    parentIdentifier: 'ROOT',
    parameters: params,
    guacd: {},
  },
];

void describe('the built-in web UI', { skip: chromiumSkip(), timeout: 90_000 }, () => {
  let gateway: UiGateway;
  before(async () => {
    gateway = await UiGateway.start(CONNECTIONS);
  });
  const env = useTestPage({
    handle: (req, res) => gateway.handle(req, res),
    upgrade: (req, socket, head) => {
      gateway.upgrade(req, socket, head);
    },
  });
  let page: Page;
  const pageErrors: Error[] = [];
  const cspViolations: string[] = [];
  let desktop: FakeGuacdConnection;
  before(async () => {
    const context = await env.browser.newContext({ viewport: { width: 900, height: 640 } });
    await context.addInitScript(NAME_SHIM);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error));
    page.on('console', (message) => {
      if (/Content Security Policy|Refused to/.test(message.text()))
        cspViolations.push(message.text());
    });
  });
  after(async () => {
    await gateway.close();
  });

  const lastLogin = () => gateway.rest.requests.filter((r) => r.path === '/tokens').at(-1);

  it('shows the login form at <base>, then "Invalid login." for a wrong password', async () => {
    await page.goto(`${env.server.origin}${BASE_PATH}`);
    assert.equal(new URL(page.url()).pathname, `${BASE_PATH}/`);
    await view(page, 'login');
    assert.equal(await page.locator('.error').count(), 0, 'no error before the first attempt');
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('wrong');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'Invalid login.' }).waitFor();
    assert.equal(await page.getByLabel('Username').inputValue(), 'alice');
    assert.equal(await page.getByLabel('Password').inputValue(), '');
    assert.equal(await storedToken(page), null);
  });

  it('asks for the extra field on insufficient credentials and resubmits what was accepted', async () => {
    await page.getByLabel('Username').fill('bob');
    await page.getByLabel('Password').fill('hunter2');
    await page.getByRole('button', { name: 'Log in' }).click();
    const code = page.getByLabel('Authentication code');
    await code.waitFor();
    assert.equal(await page.locator('.help').textContent(), 'Verification code required.');
    assert.equal(await page.getByLabel('Username').count(), 0);
    assert.equal(await code.getAttribute('autocomplete'), 'one-time-code');
    await code.fill(TOTP_CODE);
    await page.getByRole('button', { name: 'Continue' }).click();
    await view(page, 'home');
    assert.deepEqual(lastLogin()?.form, {
      username: 'bob',
      password: 'hunter2',
      'guac-totp': TOTP_CODE,
    });
    const [session] = gateway.rest.sessions.values();
    assert.equal(await storedToken(page), JSON.stringify(session?.token));
  });

  it('lists the connections of every data source, names as text only', async () => {
    await page.locator('.source[data-source="extra"] a.connect').waitFor();
    assert.deepEqual(await page.locator('.source h2').allTextContents(), ['default', 'extra']);
    // Groups first, then connections, each sorted by name.
    assert.deepEqual(
      await page.locator('.source[data-source="default"] a.connect').allTextContents(),
      [XSS_NAME, 'Desktop', 'Unreachable'],
    );
    assert.equal(await page.locator('.group-name').textContent(), 'Group servers');
    assert.equal(await page.locator('.tree img, .tree b').count(), 0);
    const pwned = await page.evaluate(
      () => (globalThis as unknown as PageGlobals).document.body.dataset.pwned,
    );
    assert.equal(pwned, undefined);
  });

  it('keeps the session across a reload by refreshing the stored token', async () => {
    const token = JSON.parse(String(await storedToken(page))) as string;
    await page.reload();
    await view(page, 'home');
    assert.deepEqual(lastLogin()?.form, { token });
  });

  it('opens a connection and draws the remote display on the canvas', async () => {
    await page.getByRole('link', { name: 'Desktop', exact: true }).click();
    await view(page, 'client');
    desktop = await gateway.guacd('1').connection(0);
    assert.deepEqual((await desktop.waitFor('sync')).args, [SCENE.timestamp]);
    await clientState(page, 'connected');
    const { rect, png } = SCENE;
    const pixels = await displayPixels(page, [
      [rect.x + 5, rect.y + 5],
      [png.x + 1, png.y + 1],
    ]);
    assert.deepEqual(pixels, [[...rect.color], [...png.color]]);

    const [token] = gateway.rest.sessions.keys();
    const request = gateway.tunnelRequests[0];
    assert.deepEqual(request?.get('token'), [token]);
    assert.deepEqual(request.get('GUAC_DATA_SOURCE'), ['default']);
    assert.deepEqual(request.get('GUAC_ID'), ['1']);
    assert.deepEqual(request.get('GUAC_TYPE'), ['c']);
    assert.deepEqual(request.get('GUAC_DPI'), ['96']);
    assert.ok(request.get('GUAC_IMAGE')?.includes('image/png'));
    assert.notEqual(request.get('GUAC_TIMEZONE')?.[0] ?? '', '');
    assert.deepEqual(desktop.handshake?.instructions.get('name'), ['bob']);
    assert.equal(desktop.handshake.connectArgs[3], PASSWORD);
    assert.equal(await page.locator('.toolbar .title').textContent(), 'Desktop');
  });

  it('sends typed keys to guacd', async () => {
    await page.keyboard.press('a');
    assert.deepEqual((await desktop.waitFor('key')).args, ['97', '1']);
    assert.deepEqual((await desktop.waitFor('key')).args, ['97', '0']);
  });

  it('sends mouse input in remote pixels, whatever the display scale', async () => {
    const box = await page.locator('.display-area > div').first().boundingBox();
    assert.ok(box);
    await page.mouse.click(box.x + box.width * 0.75, box.y + box.height * 0.25);
    const near = (value: string | undefined, expected: number) =>
      Math.abs(Number(value) - expected) <= 1;
    const pressed = await waitForMatching(desktop, 'mouse', (args) => args[2] === '1');
    assert.ok(
      near(pressed[0], SCENE.width * 0.75) && near(pressed[1], SCENE.height * 0.25),
      pressed.join(),
    );
    await waitForMatching(desktop, 'mouse', (args) => args[2] === '0');
  });

  it('copies text to the remote clipboard and shows the remote clipboard', async () => {
    await page.getByRole('button', { name: 'Clipboard' }).click();
    const textarea = page.locator('.clipboard-panel textarea');
    await page.keyboard.press('b');
    assert.deepEqual(await receiveText(desktop, 'clipboard'), {
      mimetype: 'text/plain',
      text: 'b',
    });
    await textarea.fill('héllo 😀 𝄞');
    assert.deepEqual(await receiveText(desktop, 'clipboard'), {
      mimetype: 'text/plain',
      text: 'héllo 😀 𝄞',
    });
    assert.ok(
      !desktop.received.some((i) => i.opcode === 'key' && i.args[0] === '98'),
      'typing stays local',
    );
    await sendClipboard(desktop, 'from remote 𝄞 犬');
    await page.waitForFunction(
      () =>
        (globalThis as unknown as PageGlobals).document.querySelector('.clipboard-panel textarea')
          ?.value === 'from remote 𝄞 犬',
    );
    await page.getByRole('button', { name: 'Clipboard' }).click();
  });

  it('sends the new size when the window is resized', async () => {
    await page.setViewportSize({ width: 700, height: 500 });
    const [width, height] = await displayAreaSize(page);
    assert.ok(width <= 700 && height < 500);
    await waitForMatching(
      desktop,
      'size',
      (args) => args[0] === String(width) && args[1] === String(height),
    );
  });

  it('reconnects with the Reconnect button', async () => {
    await page.getByRole('button', { name: 'Reconnect' }).click();
    const next = await gateway.guacd('1').connection(1);
    await desktop.closed;
    assert.ok(desktop.received.some((i) => i.opcode === 'disconnect'));
    desktop = next;
    await desktop.waitFor('sync');
    await clientState(page, 'connected');
  });

  it('describes a failure by status code and reconnects by itself when it is transient', async () => {
    await page.getByRole('link', { name: 'Home' }).click();
    await view(page, 'home');
    await desktop.closed;
    await page.getByRole('link', { name: 'Unreachable' }).click();
    const overlay = page.locator('.overlay[data-code="519"]');
    await overlay.waitFor();
    assert.equal(
      await overlay.locator('.message').textContent(),
      'The remote desktop server is unreachable.',
    );
    assert.match(
      String(await overlay.locator('.countdown').textContent()),
      /^Reconnecting in \d+ seconds?…$/,
    );
    // The first attempt dialled guacd twice (WebSocket, then ChainedTunnel's HTTP fallback).
    await gateway.guacd('3').connection(2);
    await page.getByRole('link', { name: 'Home' }).first().click();
    await view(page, 'home');
  });

  it('goes back to login when the session is gone (769), then on to the connection', async () => {
    const [token] = gateway.rest.sessions.keys();
    gateway.rest.expire(String(token));
    await page.getByRole('link', { name: 'Desktop', exact: true }).click();
    await view(page, 'login');
    await page.getByRole('alert').filter({ hasText: 'Your session has expired.' }).waitFor();
    assert.equal(await storedToken(page), null);
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('secret');
    await page.getByRole('button', { name: 'Log in' }).click();
    await view(page, 'client');
    desktop = await gateway.guacd('1').connection(2);
    await clientState(page, 'connected');
  });

  it('logs out: DELETE api/session, token forgotten, remote session closed', async () => {
    const [token] = gateway.rest.sessions.keys();
    await page.getByRole('button', { name: 'Log out' }).click();
    await view(page, 'login');
    await page.getByLabel('Username').waitFor();
    const logout = gateway.rest.requests.at(-1);
    assert.deepEqual([logout?.method, logout?.path, logout?.token], ['DELETE', '/session', token]);
    assert.equal(gateway.rest.sessions.size, 0);
    assert.equal(await storedToken(page), null);
    await desktop.closed;
    assert.ok(desktop.received.some((i) => i.opcode === 'disconnect'));
  });

  it('left no uncaught errors or Content-Security-Policy violations in the page', () => {
    assert.deepEqual(pageErrors, []);
    assert.deepEqual(cspViolations, []);
  });
});
