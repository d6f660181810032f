/**
 * @module The UI's side of `required` against a FakeGuacd (createWebUi, the REST stub and our real
 * tunnels): the sole connection opens after login, `required,username,password,domain` shows three
 * labelled fields with only the password masked, the answers go back as one `argv` stream of text/plain
 * per name (ManagedClient's way), the session then draws, and Home lists the connection without opening
 * it again.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import type { Page } from 'playwright-core';
import { encodeInstruction } from '../../src/protocol/index.js';
import type { FakeGuacdConnection } from '../fakes/fake-guacd.js';
import { BASE_PATH, UiGateway, type GatewayConnection } from '../web/ui-gateway.js';
import { NAME_SHIM, clientState, displayPixels, view } from '../web/ui-page.js';
import { chromiumSkip, useTestPage } from './browser.js';
import { SCENE, sceneInstructions } from './e2e-guacd.js';

const ANSWERS = { username: 'zoë', password: 'pä𝄞 ss', domain: 'CORP' } as const;

/** An `argv` stream the fake guacd received. */
interface Answer {
  readonly mimetype: string | undefined;
  readonly text: string;
}

/** What the fake guacd received as answers, by name. */
const received = new Map<string, Answer>();

/**
 * Reads the next `argv` stream to its `end`; only its own blobs count, as the client reuses a stream
 * index once the stream ended.
 */
async function receiveArgv(conn: FakeGuacdConnection): Promise<[string, Answer]> {
  const opening = await conn.waitFor('argv');
  const [index, mimetype, name = ''] = opening.args;
  let end = await conn.waitFor('end');
  while (end.args[0] !== index) end = await conn.waitFor('end');
  const blobs = conn.received
    .slice(conn.received.indexOf(opening), conn.received.indexOf(end))
    .filter((i) => i.opcode === 'blob' && i.args[0] === index)
    .map((i) => Buffer.from(i.args[1] ?? '', 'base64'));
  return [name, { mimetype, text: Buffer.concat(blobs).toString('utf8') }];
}

/** Asks for three parameters like guacd's RDP plugin, reads the answers, then draws the scene. */
async function requiredScript(conn: FakeGuacdConnection): Promise<void> {
  await conn.send(encodeInstruction('required', 'username', 'password', 'domain'));
  for (let i = 0; i < 3; i++) {
    const [name, answer] = await receiveArgv(conn);
    received.set(name, answer);
  }
  await conn.send(sceneInstructions());
  await conn.waitFor('disconnect');
  await conn.close();
}

const CONNECTIONS: readonly GatewayConnection[] = [
  {
    dataSource: 'default',
    identifier: '1',
    name: 'Server',
    protocol: 'rdp',
    parentIdentifier: 'ROOT',
    parameters: { hostname: 'server.example', port: '3389' },
    guacd: { script: requiredScript },
  },
];

void describe("the UI's credential prompt for `required`", { skip: chromiumSkip() }, () => {
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
  before(async () => {
    const context = await env.browser.newContext({ viewport: { width: 900, height: 640 } });
    await context.addInitScript(NAME_SHIM);
    page = await context.newPage();
    page.on('pageerror', (error) => pageErrors.push(error));
  });
  after(async () => {
    await gateway.close();
  });

  it('opens the only connection after login and shows one field per required name', async () => {
    await page.goto(`${env.server.origin}${BASE_PATH}/`);
    await view(page, 'login');
    await page.getByLabel('Username').fill('alice');
    await page.getByLabel('Password').fill('secret');
    await page.getByRole('button', { name: 'Log in' }).click();
    await view(page, 'client');
    const dialog = page.getByRole('dialog', { name: 'Credentials required' });
    await dialog.waitFor();
    await clientState(page, 'required');
    assert.equal(await dialog.locator('input').count(), 3);
    assert.equal(await dialog.getByLabel('Username').getAttribute('type'), 'text');
    assert.equal(await dialog.getByLabel('Password').getAttribute('type'), 'password');
    assert.equal(await dialog.getByLabel('Domain').getAttribute('type'), 'text');
    const focused = await page.locator(':focus').getAttribute('id');
    assert.equal(focused, await dialog.getByLabel('Username').getAttribute('id'));
  });

  it('sends each answer as an argv stream of text/plain, then the session draws', async () => {
    const dialog = page.getByRole('dialog', { name: 'Credentials required' });
    await dialog.getByLabel('Username').fill(ANSWERS.username);
    await dialog.getByLabel('Password').fill(ANSWERS.password);
    await dialog.getByLabel('Domain').fill(ANSWERS.domain);
    await dialog.getByRole('button', { name: 'Continue' }).click();
    await clientState(page, 'connected');
    assert.equal(await dialog.isHidden(), true);
    for (const [name, value] of Object.entries(ANSWERS)) {
      assert.deepEqual(received.get(name), { mimetype: 'text/plain', text: value }, name);
    }
    const { rect, png } = SCENE;
    const pixels = await displayPixels(page, [
      [rect.x + 5, rect.y + 5],
      [png.x + 1, png.y + 1],
    ]);
    assert.deepEqual(pixels, [[...rect.color], [...png.color]]);
  });

  it('lists the connection on Home instead of opening it again', async () => {
    await page.getByRole('link', { name: 'Home', exact: true }).click();
    await view(page, 'home');
    await page.getByRole('link', { name: 'Server', exact: true }).waitFor();
    assert.equal(new URL(page.url()).hash, '#/');
    assert.equal(gateway.tunnelRequests.length, 1, 'one tunnel only');
    assert.deepEqual(pageErrors, []);
  });
});
