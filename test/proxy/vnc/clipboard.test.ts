/**
 * @module Clipboard against a scripted server (writes cut into pieces of 1…7 bytes): the extended
 * clipboard's Caps, Notify/Request/Provide both ways and Peek, its limits (a zlib bomb, an oversized
 * message, corrupt data), guacd's clipboard-encoding for the classic messages, and SetDesktopSize.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import zlib from 'node:zlib';
import {
  ClipboardFlag as F,
  Encoding,
  MAX_TEXT_BYTES,
  decodeClipboard,
  encodeClipboard,
  type VncClient,
  type VncClientOptions,
} from '../../../src/proxy/vnc/index.js';
import { acceptNone38, rfb, type FakeVncConnection } from '../../fakes/fake-vnc-server.js';
import { run } from './harness.js';

const ALL = F.CAPS | F.REQUEST | F.PEEK | F.NOTIFY | F.PROVIDE;

/** Resolves on the client's next Bell (the scripts' marker that earlier messages were handled). */
async function bell(client: VncClient): Promise<void> {
  await new Promise<void>((resolve) => {
    client.once('bell', resolve);
  });
}

/** An extended ServerCutText. */
function extended(flags: number, body: Buffer = Buffer.alloc(0)): Buffer {
  return Buffer.concat([rfb.u8(3, 0, 0, 0), rfb.s32(-(4 + body.length)), rfb.u32(flags), body]);
}

/** A Provide body: zlib(u32 size, text, NUL), sync-flushed like TigerVNC's. */
function provide(text: string): Buffer {
  const utf8 = Buffer.from(text, 'utf8');
  const plain = Buffer.concat([rfb.u32(utf8.length + 1), utf8, rfb.u8(0)]);
  return extended(F.PROVIDE | F.TEXT, zlib.deflateSync(plain));
}

/** Reads one extended ClientCutText and returns its flags and body. */
async function readExtended(c: FakeVncConnection): Promise<{ flags: number; body: Buffer }> {
  const header = await c.read(8);
  assert.equal(header[0], 6);
  const length = -header.readInt32BE(4);
  assert.ok(length >= 4, `extended length ${length}`);
  const rest = await c.read(length);
  return { flags: rest.readUInt32BE(0), body: rest.subarray(4) };
}

/** The handshake, then the server's Caps (text limit `limit`) and the client's Caps in reply. */
async function capsExchange(c: FakeVncConnection, limit = 0): Promise<void> {
  await acceptNone38(c, 4, 4);
  await c.send(extended(ALL | F.TEXT, rfb.u32(limit)));
  const caps = await readExtended(c);
  assert.equal(caps.flags, ALL | F.TEXT);
  assert.equal(caps.body.readUInt32BE(0), MAX_TEXT_BYTES);
}

/** Runs a script; collects clipboard texts until the client closes or errs. */
async function clipboardRun(
  script: (c: FakeVncConnection) => Promise<void>,
  options: VncClientOptions = {},
  maxPiece = 7,
) {
  const texts: string[] = [];
  const r = await run(script, options, { maxPiece });
  r.client.on('clipboard', (text) => texts.push(text));
  return { ...r, texts };
}

describe('VNC clipboard', () => {
  it('announces the extended clipboard and takes UTF-8 text through Notify, Request, Provide', async () => {
    const r = await clipboardRun(async (c) => {
      await capsExchange(c);
      await c.send(extended(F.NOTIFY | F.TEXT));
      assert.equal((await readExtended(c)).flags, F.REQUEST | F.TEXT);
      await c.send(provide('Grüße\r\n世界 𝄞'), rfb.u8(2));
      await c.waitClosed();
    });
    await bell(r.client);
    assert.deepEqual(r.texts, ['Grüße\n世界 𝄞']);
    assert.ok(r.client.extendedClipboard);
    r.client.close();
    await r.server.close();
    assert.deepEqual(r.server.errors, []);
  });

  it('offers text with Notify and provides it on Request when clipboard-encoding is UTF-8', async () => {
    let provided: Buffer | undefined;
    let peeked = 0;
    const r = await clipboardRun(
      async (c) => {
        await capsExchange(c);
        c.send(rfb.u8(2)).catch(() => undefined);
        assert.equal((await readExtended(c)).flags, F.NOTIFY | F.TEXT);
        await c.send(extended(F.REQUEST | F.TEXT));
        const answer = await readExtended(c);
        assert.equal(answer.flags, F.PROVIDE | F.TEXT);
        provided = zlib.inflateSync(answer.body, { finishFlush: zlib.constants.Z_SYNC_FLUSH });
        await c.send(extended(F.PEEK));
        peeked = (await readExtended(c)).flags;
        c.end();
      },
      { clipboardEncoding: 'UTF-8' },
    );
    await bell(r.client);
    r.client.sendClipboard('Ω\nx');
    await r.ended;
    await r.server.close();
    assert.deepEqual(r.server.errors, []);
    const text = Buffer.from('Ω\r\nx\0');
    assert.deepEqual(provided, Buffer.concat([rfb.u32(text.length), text]));
    assert.equal(peeked, F.NOTIFY | F.TEXT);
  });

  it('provides small text right after Notify when the server accepts it unsolicited', async () => {
    let flags: number[] = [];
    const r = await clipboardRun(
      async (c) => {
        await capsExchange(c, 1024);
        await c.send(rfb.u8(2));
        flags = [(await readExtended(c)).flags, (await readExtended(c)).flags];
        c.end();
      },
      { clipboardEncoding: 'UTF-8' },
    );
    await bell(r.client);
    r.client.sendClipboard('short');
    await r.ended;
    await r.server.close();
    assert.deepEqual(flags, [F.NOTIFY | F.TEXT, F.PROVIDE | F.TEXT]);
  });

  it('stops a zlib bomb at 256 KiB of text and keeps the connection', async () => {
    const bomb = zlib.deflateSync(Buffer.concat([rfb.u32(0xffffffff), Buffer.alloc(64 << 20, 97)]));
    assert.ok(bomb.length < 100_000);
    const r = await clipboardRun(
      async (c) => {
        await capsExchange(c);
        await c.send(extended(F.PROVIDE | F.TEXT, bomb), rfb.u8(2));
        await c.waitClosed();
      },
      {},
      4096,
    );
    await bell(r.client);
    r.client.close();
    await r.server.close();
    assert.equal(r.texts.length, 1);
    assert.equal(r.texts[0]?.length, MAX_TEXT_BYTES);
  });

  it('skips an extended message over 1 MiB as it arrives, without ending the connection', async () => {
    const r = await clipboardRun(
      async (c) => {
        await capsExchange(c);
        const huge = Buffer.alloc(2 << 20);
        await c.send(rfb.u8(3, 0, 0, 0), rfb.s32(-huge.length), huge, rfb.u8(2));
        await c.waitClosed();
      },
      {},
      65536,
    );
    await bell(r.client);
    r.client.close();
    await r.server.close();
    assert.deepEqual(r.texts, []);
    assert.ok(!r.events.includes('error'));
  });

  for (const [what, message, code] of [
    [
      'corrupt zlib data',
      extended(F.PROVIDE | F.TEXT, Buffer.from('not zlib at all')),
      'RFB_ZLIB_ERROR',
    ],
    [
      'a message without flags',
      Buffer.concat([rfb.u8(3, 0, 0, 0), rfb.s32(-2), rfb.u8(0, 0)]),
      'RFB_BAD_CLIPBOARD',
    ],
    ['caps without their sizes', extended(F.CAPS | F.TEXT | 4), 'RFB_BAD_CLIPBOARD'],
    [
      'a Provide without a text size',
      extended(F.PROVIDE | F.TEXT, zlib.deflateSync(rfb.u8(0))),
      'RFB_BAD_CLIPBOARD',
    ],
  ] as const) {
    it(`ends the connection with ${code} on ${what}`, async () => {
      const r = await clipboardRun(async (c) => {
        await acceptNone38(c, 4, 4);
        await c.send(message);
        await c.waitClosed();
      });
      const error = await r.ended;
      await r.server.close();
      assert.equal(error?.code, code, error?.message);
    });
  }

  it('uses clipboard-encoding for the classic cut-text messages', async () => {
    let sent: Buffer | undefined;
    const r = await clipboardRun(
      async (c) => {
        await acceptNone38(c, 4, 4);
        await c.send(rfb.u8(3, 0, 0, 0), rfb.u32(3), rfb.u8(0x80, 0x20, 0xfc), rfb.u8(2));
        sent = await c.read(8 + 8);
        c.end();
      },
      { clipboardEncoding: 'CP1252' },
    );
    await bell(r.client);
    r.client.sendClipboard('€ ü ™ 世!');
    await r.ended;
    await r.server.close();
    assert.deepEqual(r.texts, ['€ ü']);
    assert.deepEqual(
      [...(sent ?? Buffer.alloc(8)).subarray(8)],
      [0x80, 32, 0xfc, 32, 0x99, 32, 0x3f, 0x21],
    );
  });

  it('converts each guacd clipboard encoding both ways and cuts at 256 KiB', () => {
    assert.equal(decodeClipboard(Buffer.from('caf\xe9', 'latin1'), 'ISO8859-1'), 'café');
    assert.deepEqual([...encodeClipboard('é✓', 'ISO8859-1')], [0xe9, 0x3f]);
    assert.equal(decodeClipboard(Buffer.from('✓ é', 'utf8'), 'UTF-8'), '✓ é');
    assert.deepEqual([...encodeClipboard('Ω', 'UTF-16')], [0xa9, 0x03]);
    assert.equal(decodeClipboard(Uint8Array.of(0xa9, 0x03, 0x41), 'UTF-16'), 'Ω');
    assert.equal(decodeClipboard(Uint8Array.of(0x80, 0x9f, 0x81), 'CP1252'), '€Ÿ\x81');
    const long = encodeClipboard('é'.repeat(200_000), 'UTF-8');
    assert.equal(long.length, MAX_TEXT_BYTES);
    const odd = encodeClipboard(`x${'é'.repeat(200_000)}`, 'UTF-8');
    assert.equal(odd.length, MAX_TEXT_BYTES - 1, 'never cut inside a character');
    const pairs = encodeClipboard(`x${'𝄞'.repeat(100_000)}`, 'UTF-16');
    assert.equal(pairs.length % 4, 2, 'never cut inside a surrogate pair');
  });
});

describe('VNC SetDesktopSize', () => {
  it('asks for a new size with the server’s screen id, only when it has ExtendedDesktopSize', async () => {
    let request: Buffer | undefined;
    const r = await run(async (c) => {
      await acceptNone38(c, 8, 8);
      await c.send(rfb.update(0));
      await c.read(10);
      const screen = Buffer.concat([rfb.u32(7), rfb.u16(0, 0, 8, 8), rfb.u32(0)]);
      await c.send(
        rfb.update(1),
        rfb.rect(0, 0, 8, 8, Encoding.EXTENDED_DESKTOP_SIZE),
        rfb.u8(1, 0, 0, 0),
        screen,
      );
      await c.read(10);
      request = await c.read(8 + 16);
      c.end();
    });
    await r.frame();
    assert.equal(r.client.requestDesktopSize(10, 6), false, 'no ExtendedDesktopSize yet');
    await r.frame();
    assert.equal(r.client.requestDesktopSize(8, 8), false, 'already that size');
    assert.equal(r.client.requestDesktopSize(0, 6), false, 'empty');
    assert.equal(r.client.requestDesktopSize(10, 6), true);
    await r.ended;
    await r.server.close();
    assert.equal(
      request?.toString('hex'),
      'fb00000a000601 00'.replace(' ', '') + '00000007' + '00000000000a0006' + '00000000',
    );
  });
});

describe('VNC initial desktop size', () => {
  it('asks once for the configured size after the first update showing ExtendedDesktopSize', async () => {
    let after: Buffer | undefined;
    let second: Buffer | undefined;
    const r = await run(
      async (c) => {
        await acceptNone38(c, 8, 8);
        const screen = Buffer.concat([rfb.u32(3), rfb.u16(0, 0, 8, 8), rfb.u32(0)]);
        const extendedSize = Buffer.concat([
          rfb.update(1),
          rfb.rect(0, 0, 8, 8, Encoding.EXTENDED_DESKTOP_SIZE),
          rfb.u8(1, 0, 0, 0),
          screen,
        ]);
        await c.send(extendedSize);
        after = await c.read(24 + 10);
        await c.send(extendedSize);
        second = await c.read(10);
        c.end();
      },
      { desktopSize: { width: 12, height: 9 } },
    );
    await r.frame();
    await r.frame();
    await r.ended;
    await r.server.close();
    assert.deepEqual(r.server.errors, []);
    const bytes = after ?? Buffer.alloc(0);
    // SetDesktopSize 12x9 with screen 3, then the update request; only once (the second read was 10).
    assert.equal(
      bytes.subarray(0, 24).toString('hex'),
      'fb00000c000901000000000300000000000c000900000000',
    );
    assert.equal(bytes[24], 3);
    assert.equal(second?.[0], 3, 'no second SetDesktopSize');
  });
});
