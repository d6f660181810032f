/**
 * @module Helpers for the built-in UI's browser test (test/browser/ui-login.test.ts): page globals typed
 * for `page.evaluate` (the tests' TypeScript has no DOM library), waits on the UI's `data-*` states,
 * and reading what the client sent to the fake guacd.
 */
import type { Page } from 'playwright-core';
import type { FakeGuacdConnection } from '../fakes/fake-guacd.js';

/** esbuild's `__name` helper, which tsx-compiled evaluate callbacks may call. */
export const NAME_SHIM = `globalThis.__name ??= (fn, name) =>
  Object.defineProperty(fn, 'name', { value: name, configurable: true });`;

/** What evaluate callbacks touch in the page (the test's TypeScript has no DOM library). */
export interface PageGlobals {
  readonly localStorage: { getItem(key: string): string | null };
  readonly document: {
    readonly body: { readonly dataset: Record<string, string | undefined> };
    querySelector(selector: string): PageCanvas | null;
  };
}
export interface PageCanvas {
  readonly value: string;
  readonly clientWidth: number;
  readonly clientHeight: number;
  getContext(kind: '2d'): {
    getImageData(x: number, y: number, w: number, h: number): { data: ArrayLike<number> };
  } | null;
}

/**
 * @param page the UI's page
 * @returns the stored GUAC_AUTH_TOKEN item, raw
 */
export const storedToken = async (page: Page) =>
  await page.evaluate(() =>
    (globalThis as unknown as PageGlobals).localStorage.getItem('GUAC_AUTH_TOKEN'),
  );

/**
 * Waits for `body[data-view=<name>]`.
 * @param page the UI's page
 * @param name login, home or client
 */
export const view = async (page: Page, name: string) => {
  await page.waitForSelector(`body[data-view="${name}"]`);
};

/**
 * Waits for the client view's state.
 * @param page the UI's page
 * @param state connecting, connected, failed or disconnected
 */
export const clientState = async (page: Page, state: string) => {
  await page.waitForSelector(`.client[data-state="${state}"]`);
};

/**
 * Waits for the next stream the client opens with `opcode` and ends; unlike e2e-guacd's
 * receiveStream, only this stream's blobs count, as stream indexes are reused once ended.
 * @param conn the fake guacd connection
 * @param opcode e.g. `clipboard`
 * @returns the stream's mimetype and its blobs as UTF-8 text
 */
export async function receiveText(conn: FakeGuacdConnection, opcode: string) {
  const opening = await conn.waitFor(opcode);
  const [index, mimetype] = opening.args;
  let end = await conn.waitFor('end');
  while (end.args[0] !== index) end = await conn.waitFor('end');
  const text = conn.received
    .slice(conn.received.indexOf(opening), conn.received.indexOf(end))
    .filter((i) => i.opcode === 'blob' && i.args[0] === index)
    .map((i) => Buffer.from(i.args[1] ?? '', 'base64'));
  return { mimetype, text: Buffer.concat(text).toString('utf8') };
}

/**
 * Waits for an instruction whose arguments satisfy `match`.
 * @param conn the fake guacd connection
 * @param opcode the opcode
 * @param match the test on the arguments
 * @returns the matching arguments
 */
export async function waitForMatching(
  conn: FakeGuacdConnection,
  opcode: string,
  match: (args: readonly string[]) => boolean,
): Promise<readonly string[]> {
  for (;;) {
    const { args } = await conn.waitFor(opcode);
    if (match(args)) return args;
  }
}

/**
 * Reads pixels of the display's default layer (the first canvas in the display area).
 * @param page the UI's page
 * @param points the (x, y) positions
 * @returns an RGBA array per point
 */
export async function displayPixels(
  page: Page,
  points: readonly (readonly [number, number])[],
): Promise<number[][]> {
  return await page.evaluate((points) => {
    const canvas = (globalThis as unknown as PageGlobals).document.querySelector(
      '.display-area canvas',
    );
    const context = canvas?.getContext('2d');
    if (!context) throw new Error('No display canvas');
    return points.map(([x, y]) => Array.from(context.getImageData(x, y, 1, 1).data));
  }, points);
}

/**
 * @param page the UI's page
 * @returns the display area's size in CSS pixels
 */
export async function displayAreaSize(page: Page): Promise<[number, number]> {
  return await page.evaluate(() => {
    const area = (globalThis as unknown as PageGlobals).document.querySelector('.display-area');
    if (!area) throw new Error('No display area');
    return [area.clientWidth, area.clientHeight] as [number, number];
  });
}
