/**
 * @module The clipboard virtual channel: chunking and reassembly of channel messages (with limits), the
 * cliprdr exchange on its own, and clipboard text both ways through the `rdp` plugin and a scripted
 * server (server copy → `clipboard` stream to the user; user `clipboard` stream → format list and data).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { before, describe, it } from 'node:test';
import { ProxyServer } from '../../../src/proxy/index.js';
import { rdpPlugin } from '../../../src/proxy/rdp-plugin/index.js';
import { ByteReader, ByteWriter } from '../../../src/proxy/rdp/bytes.js';
import { ClipboardChannel } from '../../../src/proxy/rdp/cliprdr.js';
import { readPerLength } from '../../../src/proxy/rdp/per.js';
import { ChannelReassembler, channelChunks } from '../../../src/proxy/rdp/virtual-channel.js';
import { within } from '../helpers.js';
import { VncUser } from '../vnc-plugin/support.js';
import {
  CLIPRDR_CHANNEL_ID,
  FakeRdpServer,
  activate,
  indication,
  type FakeRdpConnection,
} from './fake-server.js';

const cliprdr = (type: number, flags: number, body: Uint8Array = Buffer.alloc(0)) =>
  new ByteWriter().u16(type).u16(flags).u32(body.length).bytes(body).toBuffer();
const unicodeList = () => new ByteWriter().u32(13).zeros(32).toBuffer();

describe('virtual channel framing', () => {
  it('splits into 1600-byte chunks with first/last flags and reassembles them', () => {
    const message = Buffer.alloc(3500, 7);
    const chunks = channelChunks(message);
    assert.deepEqual(
      chunks.map((c) => [c.readUInt32LE(0), c.readUInt32LE(4), c.length - 8]),
      [
        [3500, 0x11, 1600],
        [3500, 0x10, 1600],
        [3500, 0x12, 300],
      ],
    );
    const reassembler = new ChannelReassembler(4000);
    assert.equal(reassembler.push(chunks[0] ?? Buffer.alloc(8)), undefined);
    assert.equal(reassembler.push(chunks[1] ?? Buffer.alloc(8)), undefined);
    assert.deepEqual(reassembler.push(chunks[2] ?? Buffer.alloc(8)), message);
    assert.deepEqual(
      channelChunks(Buffer.alloc(0)).map((c) => c.readUInt32LE(4)),
      [0x13],
    );
  });

  it('rejects messages over the limit and chunks beyond the announced length', () => {
    assert.throws(
      () =>
        new ChannelReassembler(100).push(channelChunks(Buffer.alloc(200))[0] ?? Buffer.alloc(8)),
      {
        code: 'RDP_CHANNEL_TOO_LARGE',
      },
    );
    const lying = new ByteWriter().u32(2).u32(0x03).bytes(Buffer.alloc(5)).toBuffer();
    assert.throws(() => new ChannelReassembler(100).push(lying), { code: 'RDP_CHANNEL_OVERRUN' });
  });
});

describe('cliprdr', () => {
  it('answers Monitor Ready, requests offered Unicode text and serves local text', () => {
    const sent: Buffer[] = [];
    const texts: string[] = [];
    const channel = new ClipboardChannel(
      (chunk) => sent.push(chunk.subarray(8)),
      (t) => texts.push(t),
      1000,
    );
    channel.receive(cliprdr(1, 0));
    assert.deepEqual(
      sent.map((m) => m.readUInt16LE(0)),
      [7, 2],
    );
    assert.equal(sent[1]?.readUInt32LE(4), 0); // an empty format list
    channel.receive(cliprdr(2, 0, unicodeList()));
    assert.deepEqual(
      sent.slice(2).map((m) => [m.readUInt16LE(0), m.readUInt16LE(2)]),
      [
        [3, 1],
        [4, 0],
      ],
    );
    channel.receive(cliprdr(5, 1, Buffer.from('h\u00e9llo\0', 'utf16le')));
    assert.deepEqual(texts, ['h\u00e9llo']);
    channel.setText('z\u00df\u20ac');
    const list = sent[4] ?? Buffer.alloc(12);
    assert.deepEqual([list.readUInt16LE(0), list.readUInt32LE(8)], [2, 13]);
    channel.receive(cliprdr(4, 0, new ByteWriter().u32(13).toBuffer()));
    assert.equal(sent[5]?.subarray(8).toString('utf16le'), 'z\u00df\u20ac\0');
    assert.throws(
      () => {
        channel.receive(cliprdr(5, 1, Buffer.alloc(2000)));
      },
      { code: 'RDP_CLIPBOARD_TOO_LARGE' },
    );
  });
});

let key = '';
let cert = '';
before(() => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rdp-cert-'));
  const args = ['req', '-x509', '-newkey', 'rsa:2048', '-nodes', '-days', '1'];
  args.push('-subj', '/CN=localhost', '-keyout', path.join(dir, 'k'), '-out', path.join(dir, 'c'));
  assert.equal(spawnSync('openssl', args).status, 0);
  key = readFileSync(path.join(dir, 'k'), 'utf8');
  cert = readFileSync(path.join(dir, 'c'), 'utf8');
  rmSync(dir, { recursive: true });
});

/** The next cliprdr message the client sent on the clipboard channel. */
async function nextClip(c: FakeRdpConnection): Promise<Buffer> {
  for (;;) {
    const payload = await c.nextPayload();
    const reader = new ByteReader(payload, 3);
    if (reader.u16be() !== CLIPRDR_CHANNEL_ID) continue;
    reader.skip(1);
    const chunk = reader.bytes(readPerLength(reader));
    return Buffer.from(chunk.subarray(8));
  }
}

describe('clipboard through the rdp plugin', () => {
  it('server text reaches the user; user text is offered and served', async () => {
    let served = '';
    const server = await FakeRdpServer.start(async (c) => {
      await activate(c, { key, cert });
      const send = (m: Buffer) => c.write(indication(channelChunks(m)[0] ?? m, CLIPRDR_CHANNEL_ID));
      await send(cliprdr(1, 0));
      assert.equal((await nextClip(c)).readUInt16LE(0), 7);
      assert.equal((await nextClip(c)).readUInt16LE(0), 2);
      await send(cliprdr(2, 0, unicodeList()));
      assert.equal((await nextClip(c)).readUInt16LE(0), 3);
      assert.equal((await nextClip(c)).readUInt16LE(0), 4);
      await send(cliprdr(5, 1, Buffer.from('h\u00e9llo\0', 'utf16le')));
      const list = await nextClip(c);
      assert.deepEqual([list.readUInt16LE(0), list.readUInt32LE(8)], [2, 13]);
      await send(cliprdr(4, 0, new ByteWriter().u32(13).toBuffer()));
      served = (await nextClip(c)).subarray(8).toString('utf16le');
    });
    const proxy = new ProxyServer({ plugins: [rdpPlugin] });
    try {
      const params = {
        hostname: '127.0.0.1',
        port: String(server.port),
        username: 'alice',
        password: 'secret',
        'ignore-cert': 'true',
      };
      const user = await VncUser.open(proxy, { ...params, width: '64', height: '48' }, 'rdp');
      const clipboard = await within(user.expect('clipboard'));
      assert.equal(clipboard.args[1], 'text/plain');
      const blob = await within(user.expect('blob'));
      assert.equal(Buffer.from(blob.args[1] ?? '', 'base64').toString('utf8'), 'h\u00e9llo');
      await user.send('clipboard', '3', 'text/plain');
      await user.send('blob', '3', Buffer.from('z\u00df\u20ac', 'utf8').toString('base64'));
      await user.send('end', '3');
      await within(server.done());
      assert.equal(served, 'z\u00df\u20ac\0');
    } finally {
      await within(proxy.close());
      await server.close();
    }
  });

  it("offers the user's clipboard again to the server after a resize reconnect", async () => {
    let connections = 0;
    let reportOffered: (list: number[]) => void = () => undefined;
    const offered = new Promise<number[]>((resolve) => (reportOffered = resolve));
    const server = await FakeRdpServer.start(async (c) => {
      const first = ++connections === 1;
      await activate(c, { key, cert, width: first ? 64 : 96, height: first ? 48 : 72 });
      if (first) {
        while ((await c.next()) !== undefined); // the plugin drops this one to reconnect
        return;
      }
      const send = (m: Buffer) => c.write(indication(channelChunks(m)[0] ?? m, CLIPRDR_CHANNEL_ID));
      await send(cliprdr(1, 0)); // Monitor Ready on the new connection's channel
      assert.equal((await nextClip(c)).readUInt16LE(0), 7);
      const list = await nextClip(c);
      reportOffered([list.readUInt16LE(0), list.length > 8 ? list.readUInt32LE(8) : 0]);
    });
    const proxy = new ProxyServer({ plugins: [rdpPlugin] });
    try {
      const params = {
        hostname: '127.0.0.1',
        port: String(server.port),
        username: 'alice',
        password: 'secret',
        'ignore-cert': 'true',
        'resize-method': 'reconnect',
      };
      const user = await VncUser.open(proxy, { ...params, width: '64', height: '48' }, 'rdp');
      await within(user.expect('size'));
      // The text reaches the first connection before the server announced its channel, then
      // the owner's new size makes the plugin reconnect.
      await user.send('clipboard', '3', 'text/plain');
      await user.send('blob', '3', Buffer.from('kept', 'utf8').toString('base64'));
      await user.send('end', '3');
      await user.send('size', '96', '72');
      // A Format List (2) offering CF_UNICODETEXT (13).
      assert.deepEqual(await within(offered), [2, 13]);
      await within(server.done());
    } finally {
      await within(proxy.close());
      await server.close();
    }
  });
});
