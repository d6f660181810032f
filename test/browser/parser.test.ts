/**
 * @module In headless Chromium: our code-point Parser against guacamole-common-js's ParserSpec vectors
 * (tunnel-protocol.md §9.8), and the npm 1.5.0 build's UTF-16 defect in parsing and in sendMessage.
 */

import { after, describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { Page } from 'playwright-core';
import { EMOJI, H, L, PAIR, U } from '../fixtures/instructions.js';
import { chromiumSkip, useTestPage } from './browser.js';
import { FakeHTTPEndpoint, FakeWebSocketEndpoint } from './fake-endpoints.js';
import type { TestWindow } from './page-types.js';

/** One `oninstruction` call. */
type Call = [opcode: string, args: string[]];

/** Two astral characters (U+1F600): 2 code points, 4 UTF-16 units. */
const GRINS = '😀😀';

/** §9.8's single-instruction vectors, plus astral ones (§9.3's emoji, a clipboard of emoji). */
const VECTORS: readonly { name: string; wire: string; call: Call }[] = [
  { name: 'empty opcode, no args', wire: '0.;', call: ['', []] },
  {
    name: 'plain ASCII',
    wire: '5.test2,10.hellohello,15.worldworldworld;',
    call: ['test2', ['hellohello', 'worldworldworld']],
  },
  {
    name: 'multibyte characters and an element ending on a surrogate pair',
    wire: `4.test,6.a${U}b,5.1234${PAIR},10.a${U}${U}c;`,
    call: ['test', [`a${U}b`, `1234${PAIR}`, `a${U}${U}c`]],
  },
  {
    name: 'elements ending on half a surrogate pair',
    wire: `4.test,5.1234${H},5.4567${L};`,
    call: ['test', [`1234${H}`, `4567${L}`]],
  },
  {
    name: 'broken surrogate pairs inside elements',
    wire: `5.te${L}st,5.12${H}3${L},6.5${L}${L}4${H}${H},10.${U}${H}${U}${H};`,
    call: [`te${L}st`, [`12${H}3${L}`, `5${L}${L}4${H}${H}`, `${U}${H}${U}${H}`]],
  },
  {
    name: 'lone high surrogates in the opcode',
    wire: `4.ab${H}${H},6.a${U}b,5.12345,10.a${U}${U}c;`,
    call: [`ab${H}${H}`, [`a${U}b`, '12345', `a${U}${U}c`]],
  },
  { name: 'an astral opcode (U+1F979)', wire: `1.${EMOJI};`, call: [EMOJI, []] },
  {
    name: 'a clipboard of astral characters',
    wire: `9.clipboard,2.${GRINS};`,
    call: ['clipboard', [GRINS]],
  },
];

const STREAM = VECTORS.map((v) => v.wire).join('');
const STREAM_CALLS = VECTORS.map((v) => v.call);

/** Result of feeding a parser in the page. */
interface Parsed {
  readonly calls: Call[];
  readonly error: string | null;
}

/**
 * Feeds chunks to a parser in the page.
 * @param page the test page
 * @param chunks the data, in order
 * @param options `npm`: use the npm 1.5.0 Guacamole.Parser (else ours); `buffer`: buffer mode
 * @returns every instruction and the error thrown, if any
 */
async function parse(
  page: Page,
  chunks: readonly string[],
  options: { npm?: boolean; buffer?: boolean } = {},
): Promise<Parsed> {
  const arg = { chunks, npm: options.npm ?? false, buffer: options.buffer ?? false };
  return await page.evaluate(({ chunks, npm, buffer }) => {
    const { Guacamole, fixed } = globalThis as unknown as TestWindow;
    const parser = npm ? new Guacamole.Parser() : new fixed.Parser();
    const calls: Call[] = [];
    // The 1.5.0 parser reuses its args array, so copy it.
    parser.oninstruction = (opcode, args) => calls.push([opcode, [...args]]);
    try {
      for (const chunk of chunks) parser.receive(chunk, buffer);
      return { calls, error: null };
    } catch (e) {
      return { calls, error: (e as Error).message };
    }
  }, arg);
}

/**
 * @param text a string
 * @returns its UTF-16 units one by one (splitting surrogate pairs)
 */
const units = (text: string): string[] =>
  Array.from({ length: text.length }, (_, i) => text[i] ?? '');

/**
 * @param text a string
 * @returns every prefix of it, one UTF-16 unit longer each time (buffer-mode input)
 */
const prefixes = (text: string): string[] => units(text).map((_, i) => text.slice(0, i + 1));

describe('Parser in Chromium', { skip: chromiumSkip(), timeout: 60_000 }, () => {
  const wsNpm = new FakeWebSocketEndpoint();
  const wsFixed = new FakeWebSocketEndpoint();
  const httpNpm = new FakeHTTPEndpoint('/tunnel-npm');
  const httpFixed = new FakeHTTPEndpoint('/tunnel-fixed');
  const env = useTestPage({
    handle: (req, res) => httpNpm.handle(req, res) || httpFixed.handle(req, res),
    upgrade: (req, socket, head) => {
      (req.url?.startsWith('/ws-npm') ? wsNpm : wsFixed).upgrade(req, socket, head);
    },
  });
  after(() => {
    for (const fake of [wsNpm, wsFixed, httpNpm, httpFixed]) fake.close();
  });

  describe('fixed Parser: ParserSpec vectors (§9.8)', () => {
    for (const { name, wire, call } of VECTORS) {
      it(`parses ${name}`, async () => {
        assert.deepEqual(await parse(env.page, [wire]), { calls: [call], error: null });
      });
    }

    it('buffer mode: fires once the growing text holds the whole instruction', async () => {
      const steps = [
        '5.test2,10.hello',
        '5.test2,10.hellohello,15',
        '5.test2,10.hellohello,15.worldworldworld;',
      ];
      const calls: Call[] = [['test2', ['hellohello', 'worldworldworld']]];
      assert.deepEqual(await parse(env.page, steps.slice(0, 2), { buffer: true }), {
        calls: [],
        error: null,
      });
      assert.deepEqual(await parse(env.page, steps, { buffer: true }), { calls, error: null });
    });

    it('parses the whole stream fed one UTF-16 unit at a time, pairs split', async () => {
      assert.deepEqual(await parse(env.page, units(STREAM)), { calls: STREAM_CALLS, error: null });
    });

    it('parses the whole stream as a buffer growing one UTF-16 unit at a time', async () => {
      const parsed = await parse(env.page, prefixes(STREAM), { buffer: true });
      assert.deepEqual(parsed, { calls: STREAM_CALLS, error: null });
    });

    it('keeps parsing across the 4096-character buffer truncation', async () => {
      const many = Array.from({ length: 300 }, () => STREAM);
      const parsed = await parse(env.page, many);
      assert.equal(parsed.error, null);
      assert.deepEqual(
        parsed.calls,
        many.flatMap(() => STREAM_CALLS),
      );
    });

    it('rejects a non-numeric length and a bad terminator with 1.5.2+ messages', async () => {
      assert.deepEqual(await parse(env.page, ['x.abc;']), {
        calls: [],
        error: 'Non-numeric character in element length.',
      });
      assert.deepEqual(await parse(env.page, ['3.abcd;']), {
        calls: [],
        error: 'Element terminator of instruction was not ";" nor ",".',
      });
    });

    it('codePointCount matches the ParserSpec table', async () => {
      const table: [args: [string, number?, number?], expected: number][] = [
        [[''], 0],
        [['test string'], 11],
        [[`surrogate${PAIR}pair`], 14],
        [[`missing${H}surrogates${L}`], 19],
        [[H + L + H], 2],
        [[H + H + L], 2],
        [['test string', 0], 11],
        [[`surrogate${PAIR}pair`, 5], 9],
        [[`missing${H}surrogates${L}`, 2, 17], 15],
        [[H + L + H, 0, 2], 1],
        [[H + H + L, 1, 2], 1],
      ];
      const counts = await env.page.evaluate(
        (calls) => {
          const { fixed } = globalThis as unknown as TestWindow;
          return calls.map((args) => fixed.Parser.codePointCount(...args));
        },
        table.map(([args]) => args),
      );
      assert.deepEqual(
        counts,
        table.map(([, expected]) => expected),
      );
    });

    it('toInstruction matches the ParserSpec table', async () => {
      const table: [elements: unknown[], expected: string][] = [
        [['test', 'instruction'], '4.test,11.instruction;'],
        [[`test${PAIR}`, 'instruction'], `5.test${PAIR},11.instruction;`],
        [[U, `${H}xyz${L}`], `4.${U},5.${H}xyz${L};`],
        [[U, `${L}xyz${H}`], `4.${U},5.${L}xyz${H};`],
        [['sync', 1723456789012], '4.sync,13.1723456789012;'],
      ];
      const encoded = await env.page.evaluate(
        (inputs) => {
          const { fixed } = globalThis as unknown as TestWindow;
          return inputs.map((elements) => fixed.Parser.toInstruction(elements));
        },
        table.map(([elements]) => elements),
      );
      assert.deepEqual(
        encoded,
        table.map(([, expected]) => expected),
      );
    });
  });

  describe('npm guacamole-common-js 1.5.0 Guacamole.Parser (the defect is the client’s)', () => {
    it('parses BMP-only instructions', async () => {
      const wire = '5.test2,10.hellohello,15.worldworldworld;';
      assert.deepEqual(await parse(env.page, [wire], { npm: true }), {
        calls: [['test2', ['hellohello', 'worldworldworld']]],
        error: null,
      });
    });

    for (const wire of [`1.${EMOJI};`, `9.clipboard,2.${GRINS};`]) {
      it(`throws on code-point lengths: ${JSON.stringify(wire)}`, async () => {
        const parsed = await parse(env.page, [wire], { npm: true });
        assert.deepEqual(parsed, { calls: [], error: 'Illegal terminator.' });
      });
    }

    it('has no static toInstruction: its tunnels encode lengths inline', async () => {
      const statics = await env.page.evaluate(() => {
        const { Guacamole } = globalThis as unknown as TestWindow;
        const parser = Guacamole.Parser as unknown as Record<string, unknown>;
        return [typeof parser.toInstruction, typeof parser.codePointCount];
      });
      assert.deepEqual(statics, ['undefined', 'undefined']);
    });
  });

  describe('sendMessage encoding of an astral clipboard', () => {
    /**
     * Connects a tunnel in the page and sends `clipboard` with two emoji through it.
     * @param kind which tunnel class
     * @param url its URL on the page's origin
     */
    async function sendClipboard(kind: `${'npm' | 'fixed'}-${'ws' | 'http'}`, url: string) {
      const page = await env.newPage();
      await page.evaluate(
        async ({ kind, url, text }) => {
          const { Guacamole, fixed } = globalThis as unknown as TestWindow;
          const tunnels = {
            'npm-ws': () => new Guacamole.WebSocketTunnel(url),
            'npm-http': () => new Guacamole.HTTPTunnel(url),
            'fixed-ws': () => new fixed.WebSocketTunnel(url),
            'fixed-http': () => new fixed.HTTPTunnel(url),
          };
          const tunnel = tunnels[kind]();
          await new Promise<void>((resolve, reject) => {
            tunnel.onstatechange = (state) => {
              if (state === Guacamole.Tunnel.State.OPEN) resolve();
            };
            tunnel.onerror = (status) => {
              reject(new Error(`tunnel error ${status.code}`));
            };
            tunnel.connect('id=1');
          });
          tunnel.sendMessage('clipboard', text);
        },
        { kind, url, text: GRINS },
      );
      return page;
    }

    it('npm 1.5.0 tunnels write UTF-16 lengths (4 for two emoji)', async () => {
      const pages = [
        await sendClipboard('npm-ws', '/ws-npm'),
        await sendClipboard('npm-http', '/tunnel-npm'),
      ];
      const wsText = await wsNpm.waitFor((t) => t.startsWith('9.clipboard,'));
      const httpText = await httpNpm.waitFor((t) => t.includes('9.clipboard,'));
      assert.equal(wsText, `9.clipboard,4.${GRINS};`);
      assert.match(httpText, new RegExp(`(^|;)9\\.clipboard,4\\.${GRINS};`, 'u'));
      await Promise.all(pages.map((page) => page.close()));
    });

    it('fixed tunnels write code-point lengths (2), as guacd counts', async () => {
      const pages = [
        await sendClipboard('fixed-ws', '/ws-fixed'),
        await sendClipboard('fixed-http', '/tunnel-fixed'),
      ];
      const wsText = await wsFixed.waitFor((t) => t.startsWith('9.clipboard,'));
      const httpText = await httpFixed.waitFor((t) => t.includes('9.clipboard,'));
      assert.equal(wsText, `9.clipboard,2.${GRINS};`);
      assert.match(httpText, new RegExp(`(^|;)9\\.clipboard,2\\.${GRINS};`, 'u'));
      await Promise.all(pages.map((page) => page.close()));
    });
  });

  describe('fixed tunnels are Guacamole.Tunnels that Guacamole.Client accepts', () => {
    it('constructs WebSocketTunnel, HTTPTunnel and a ChainedTunnel of both for a Client', async () => {
      const result = await env.page.evaluate(() => {
        const { Guacamole, fixed } = globalThis as unknown as TestWindow;
        const ws = new fixed.WebSocketTunnel('websocket-tunnel');
        const http = new fixed.HTTPTunnel('tunnel', false, { 'X-Test': '1' });
        const chained = new fixed.ChainedTunnel(ws, http);
        const clients = [ws, http, chained].map((tunnel) => new Guacamole.Client(tunnel));
        return {
          instances: [ws, http].map((t) => t instanceof Guacamole.Tunnel),
          states: [ws, http].map((t) => t.state),
          closed: Guacamole.Tunnel.State.CLOSED,
          timers: [
            ws.receiveTimeout,
            ws.unstableThreshold,
            http.receiveTimeout,
            http.unstableThreshold,
          ],
          uuids: [ws.uuid, http.uuid],
          clients: clients.length,
          chainedIsNpm: fixed.ChainedTunnel === Guacamole.ChainedTunnel,
        };
      });
      assert.deepEqual(result, {
        instances: [true, true],
        states: [result.closed, result.closed],
        closed: result.closed,
        timers: [15000, 1500, 15000, 1500],
        uuids: [null, null],
        clients: 3,
        chainedIsNpm: true,
      });
    });

    it('installGuacamoleFixes leaves Guacamole alone unless asked to patch it', async () => {
      const page = await env.newPage();
      const result = await page.evaluate(() => {
        const { Guacamole, fixes, fixed } = globalThis as unknown as TestWindow;
        const untouched = Guacamole.Parser !== fixed.Parser;
        const same = fixes.installGuacamoleFixes(Guacamole) === fixed;
        fixes.installGuacamoleFixes(Guacamole, { patch: true });
        return {
          untouched,
          same,
          patched: [
            Guacamole.Parser === fixed.Parser,
            Guacamole.WebSocketTunnel === fixed.WebSocketTunnel,
            Guacamole.HTTPTunnel === fixed.HTTPTunnel,
          ],
        };
      });
      assert.deepEqual(result, { untouched: true, same: true, patched: [true, true, true] });
      await page.close();
    });
  });

  it('left no uncaught errors in the pages', () => {
    assert.deepEqual(env.pageErrors, []);
  });
});
