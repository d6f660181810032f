/**
 * @module End to end in headless Chromium, text outside the Basic Multilingual Plane: where npm
 * guacamole-common-js 1.5.0 breaks it and our fixes (src/web/public) do not, through our real server
 * (src/tunnel) to the scripted fake guacd. Clipboard streams are base64 on the wire, so they are the
 * codec's business (StringWriter/StringReader), not the tunnel's; text inside instructions (a connection
 * name, a file name) is the tunnels' and parser's.
 */

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import { encodeInstruction } from '../../src/protocol/index.js';
import type { FakeGuacdConnection } from '../fakes/fake-guacd.js';
import { chromiumSkip, useTestPage } from './browser.js';
import {
  ClientState,
  disconnect,
  driverLog,
  openClient,
  sendText,
  waitForClientState,
  waitForDriver,
  type ClientKind,
  type Codec,
} from './client-driver.js';
import { E2EGateway, tunnelClosed } from './e2e-gateway.js';
import { receiveStream, sceneInstructions, sendClipboard, sessionScript } from './e2e-guacd.js';
import { waitForWire } from './wire-recorder.js';

/** Latin-1, two astral characters (U+1F600, U+1D11E) and a CJK one. */
const ASTRAL = 'héllo 😀 𝄞 犬';
const FILE_NAME = `${ASTRAL}.txt`;

/**
 * @param text any text
 * @returns the bytes npm 1.5.0's StringWriter makes of it: every UTF-16 unit encoded on its own (CESU-8)
 */
function cesu8(text: string): Buffer {
  const bytes: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const u = text.charCodeAt(i);
    if (u < 0x80) bytes.push(u);
    else if (u < 0x800) bytes.push(0xc0 | (u >> 6), 0x80 | (u & 0x3f));
    else bytes.push(0xe0 | (u >> 12), 0x80 | ((u >> 6) & 0x3f), 0x80 | (u & 0x3f));
  }
  return Buffer.from(bytes);
}

/**
 * @param text any text
 * @returns what npm 1.5.0's StringReader makes of its UTF-8: each code point cut to 16 bits
 */
function cutTo16Bits(text: string): string {
  let out = '';
  for (const c of text) out += String.fromCharCode(c.codePointAt(0) ?? 0);
  return out;
}

/** Like sessionScript, but guacd first names the connection with astral text. */
async function namedSessionScript(conn: FakeGuacdConnection): Promise<void> {
  await conn.send(encodeInstruction('name', ASTRAL) + sceneInstructions());
  await conn.waitFor('disconnect');
  await conn.close();
}

describe('text outside the BMP, end to end', { skip: chromiumSkip(), timeout: 60_000 }, () => {
  const gateway = new E2EGateway();
  const env = useTestPage({ handle: gateway.handle, upgrade: gateway.upgrade });
  after(async () => {
    await gateway.close();
  });

  /** Opens a client over `kind` on a new case whose fake guacd runs `script`. */
  const start = async (
    kind: ClientKind,
    script: (conn: FakeGuacdConnection) => Promise<void>,
    codec: Codec = 'fixed',
  ) => {
    const session = await gateway.addCase({ guacd: { script } });
    const page = await env.newPage();
    await openClient(page, kind, session.data, codec);
    return { session, page, conn: await session.guacd.connection(0) };
  };

  describe('npm 1.5.0 StringWriter/StringReader mangle clipboard text, whatever the tunnel', () => {
    for (const kind of ['fixed-ws', 'npm-http'] as const) {
      it(`over ${kind}: guacd gets CESU-8, the page gets code points cut to 16 bits`, async () => {
        const { session, page, conn } = await start(kind, sessionScript, 'npm');
        await waitForClientState(page, ClientState.CONNECTED);
        await sendText(page, ASTRAL, { clipboard: true }, 'npm');
        const sent = await receiveStream(conn, 'clipboard');
        assert.deepEqual(sent.bytes, cesu8(ASTRAL));
        assert.notDeepEqual(sent.bytes, Buffer.from(ASTRAL, 'utf8'));
        await sendClipboard(conn, ASTRAL);
        const [, , text] = await waitForDriver(page, 'clipboard');
        assert.equal(text, cutTo16Bits(ASTRAL));
        assert.equal(text, 'héllo \uf600 \ud11e 犬');
        await disconnect(page);
        await tunnelClosed(await session.tunnel());
        await page.close();
      });
    }
  });

  describe('inside instructions, our tunnels carry it both ways', () => {
    for (const kind of ['fixed-ws', 'fixed-http', 'fixed-chained'] as const) {
      it(`${kind}: a connection name from guacd, a file name to guacd`, async () => {
        const { session, page, conn } = await start(kind, namedSessionScript);
        assert.deepEqual(await waitForDriver(page, 'name'), ['name', ASTRAL]);
        await waitForClientState(page, ClientState.CONNECTED);
        await sendText(page, ASTRAL, { file: FILE_NAME });
        const file = await receiveStream(conn, 'file');
        assert.deepEqual(file.opening.slice(1), ['text/plain', FILE_NAME]);
        assert.equal(file.bytes.toString('utf8'), ASTRAL);
        await disconnect(page);
        await conn.closed;
        await tunnelClosed(await session.tunnel());
        assert.deepEqual(
          (await driverLog(page)).filter(([k]) => k.endsWith('error')),
          [],
        );
        await page.close();
      });
    }
  });

  describe("inside instructions, npm 1.5.0's tunnels lose it: the defect is the client's", () => {
    for (const kind of ['npm-ws', 'npm-http', 'npm-chained'] as const) {
      const http = kind === 'npm-http';
      const judge = http ? 'guacd' : 'our server';
      it(`${kind}: its parser drops guacd's name; ${judge} rejects the file name's UTF-16 length`, async () => {
        const { session, page, conn } = await start(kind, namedSessionScript);
        // The name reached the page intact (our server passes guacd's bytes through), and the
        // tunnel has parsed it by now: 1.5.0 counts UTF-16 units, so it never makes an instruction.
        await waitForWire(page, encodeInstruction('name', ASTRAL));
        const log = await driverLog(page);
        assert.deepEqual(
          log.filter(([k]) => k === 'name'),
          [],
        );
        const uuid = (await session.tunnel()).uuid;
        await sendText(page, ASTRAL, { file: FILE_NAME });
        if (http) {
          // The HTTP tunnel forwards write bodies unparsed, as Java does: guacd sees the bad length.
          await conn.closed;
          assert.match(String(conn.parseError), /length prefix does not match the element/);
        } else {
          // `blob` and `end` come through; the `file` message was dropped at our server.
          assert.deepEqual((await conn.waitFor('end')).args, ['0']);
          const why = `debug: Tunnel ${uuid}: message ends inside an instruction.`;
          assert.ok(gateway.log.includes(why), gateway.log.join('\n'));
        }
        assert.deepEqual(
          conn.received.filter((i) => i.opcode === 'file'),
          [],
        );
        await page.close();
      });
    }
  });

  it('left no uncaught errors in the pages', () => {
    assert.deepEqual(env.pageErrors, []);
  });
});
