/**
 * @module Real peer end to end: xrdp + xorgxrdp ← the `rdp` plugin in the in-process proxy ←
 * connectLocalProxy + configureSocket. The session's root colour must arrive in bitmap updates, typed
 * keys must reach the xterm in the session (it writes them to ~/typed.txt), and a `size` from the owner
 * must reconnect at the new size. With CI=true a missing peer fails the test; otherwise it is skipped.
 */
import assert from 'node:assert/strict';
import { watch } from 'node:fs';
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import { ProxyServer } from '../../../src/proxy/index.js';
import { rdpPlugin } from '../../../src/proxy/rdp-plugin/index.js';
import { within } from '../helpers.js';
import {
  XRDP_PASSWORD,
  XRDP_USER,
  missingXrdpPeers,
  startXrdp,
  type Xrdp,
} from '../../support/xrdp.js';
import { VncUser } from '../vnc-plugin/support.js';

const missing = missingXrdpPeers();
const skip =
  missing.length > 0 && process.env.CI !== 'true'
    ? `missing ${missing.join(', ')}; run scripts/install-test-peers.sh as root`
    : false;

const COLOUR = 0x3366cc;

/**
 * Resolves once `file` exists and its text satisfies `test` (fs.watch on its directory).
 * @param file the file
 * @param test the condition
 * @param ms fail after this long, closing the watcher
 * @returns the text
 */
async function waitForFile(
  file: string,
  test: (text: string) => boolean,
  ms: number,
): Promise<string> {
  const read = async () => await readFile(file, 'utf8').catch(() => '');
  return await new Promise((resolve, reject) => {
    const finish = (error?: Error, text = '') => {
      clearTimeout(timer);
      watcher.close();
      if (error) reject(error);
      else resolve(text);
    };
    const timer = setTimeout(() => {
      void read().then((text) => {
        finish(new Error(`${file} still reads ${JSON.stringify(text)} after ${ms} ms`));
      });
    }, ms);
    const watcher = watch(path.dirname(file), () => {
      void check();
    });
    const check = async () => {
      const text = await read();
      if (test(text)) finish(undefined, text);
    };
    watcher.on('error', (error) => {
      finish(error);
    });
    void check();
  });
}

describe('rdp plugin against xrdp + xorgxrdp', { skip }, () => {
  let xrdp: Xrdp | undefined;

  before(async () => {
    assert.deepEqual(missing, [], `real peers missing with CI=true: ${missing.join(', ')}`);
    xrdp = await startXrdp('#3366cc');
  });

  after(async () => {
    await xrdp?.stop();
  });

  it(
    'shows the session, types into it and reconnects at a new size',
    { timeout: 90_000 },
    async () => {
      const proxy = new ProxyServer({ plugins: [rdpPlugin] });
      try {
        const user = await within(
          VncUser.open(
            proxy,
            {
              hostname: '127.0.0.1',
              port: String(xrdp?.port),
              username: XRDP_USER,
              password: XRDP_PASSWORD,
              'ignore-cert': 'true',
              width: '640',
              height: '480',
              'color-depth': '24',
              'resize-method': 'reconnect',
            },
            'rdp',
          ),
          30_000,
        );
        await within(user.waitForPixel(600, 400, COLOUR), 30_000);
        // Keys typed before the xterm is mapped would reach the root window: wait until it shows.
        while (user.screen.pixel(5, 5) === COLOUR) await within(user.expect('sync'), 30_000);
        assert.deepEqual([user.screen.width, user.screen.height], [640, 480]);
        // xorgxrdp sends its pointer as a colour/new pointer update: it becomes the `cursor`.
        assert.ok(user.received.some((instruction) => instruction.opcode === 'cursor'));

        // The xterm sits at the top left; without a window manager the focus follows the pointer.
        await user.send('mouse', '20', '20', '0');
        for (const keysym of [0x48, 0x69, 0x21, 0xff0d]) {
          await user.send('key', String(keysym), '1');
          await user.send('key', String(keysym), '0');
        }
        const typed = path.join(xrdp?.home ?? '', 'typed.txt');
        const text = await waitForFile(typed, (t) => t.includes('\n'), 20_000);
        assert.equal(text, 'Hi!\n');

        await user.send('size', '800', '600');
        await within(
          (async () => {
            for (;;) {
              await user.expect('sync');
              const { screen } = user;
              if (
                screen.width === 800 &&
                screen.height === 600 &&
                screen.pixel(790, 590) === COLOUR
              ) {
                return;
              }
            }
          })(),
          30_000,
        );
        user.socket.close();
      } finally {
        await within(proxy.close());
      }
    },
  );
});
