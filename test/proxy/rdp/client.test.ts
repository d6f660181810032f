/**
 * @module RdpClient against a scripted server on port 0 (replies written one byte at a time): the NLA
 * advice for security=tls, TLS verification, the license request flow, activation, bitmap updates and
 * fast-path input; and malformed servers, each ending only its own connection with a named error.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { once } from 'node:events';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { after, before, describe, it } from 'node:test';
import type { GuacamoleError } from '../../../src/protocol/index.js';
import { ByteReader, ByteWriter } from '../../../src/proxy/rdp/bytes.js';
import {
  NLA_ADVICE,
  RdpClient,
  RdpNegotiationError,
  parseRdpSettings,
  type DecodedBitmap,
} from '../../../src/proxy/rdp/index.js';
import { readPerLength } from '../../../src/proxy/rdp/per.js';
import { within } from '../helpers.js';
import {
  FakeRdpServer,
  activate,
  bitmapUpdate,
  fastPathUpdate,
  indication,
  SHARE_ID,
  demandActive,
  negotiationFailure,
  type FakeRdpConnection,
} from './fake-server.js';
import {
  PDUTYPE2_SET_ERROR_INFO_PDU,
  PDUTYPE_DEACTIVATEALLPDU,
  shareControl,
  shareData,
} from '../../../src/proxy/rdp/share.js';

let key = '';
let cert = '';

before(() => {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'rdp-cert-'));
  const keyFile = path.join(dir, 'key.pem');
  const certFile = path.join(dir, 'cert.pem');
  const result = spawnSync('openssl', [
    'req',
    '-x509',
    '-newkey',
    'rsa:2048',
    '-nodes',
    '-days',
    '1',
    '-subj',
    '/CN=localhost',
    '-keyout',
    keyFile,
    '-out',
    certFile,
  ]);
  assert.equal(result.status, 0, result.stderr.toString());
  key = readFileSync(keyFile, 'utf8');
  cert = readFileSync(certFile, 'utf8');
  rmSync(dir, { recursive: true });
});

/** Connects a client to the server with the given parameters. */
function connect(port: number, extra: Record<string, string> = {}): RdpClient {
  const settings = parseRdpSettings({
    hostname: '127.0.0.1',
    port: String(port),
    username: 'alice',
    password: 'secret',
    'ignore-cert': 'true',
    width: '64',
    height: '48',
    ...extra,
  });
  return new RdpClient(net.connect({ host: '127.0.0.1', port }), settings);
}

/** The user data of a client's MCS Send Data Request. */
function mcsData(payload: Buffer | undefined): Buffer {
  const reader = new ByteReader(payload ?? Buffer.alloc(0), 6);
  return Buffer.from(reader.bytes(readPerLength(reader)));
}

async function failure(client: RdpClient): Promise<GuacamoleError> {
  const [error] = (await within(once(client, 'error'))) as [GuacamoleError];
  return error;
}

describe('RdpClient against a scripted server', () => {
  let server: FakeRdpServer | undefined;
  after(async () => {
    await server?.close();
  });

  it('explains an NLA-only server in plain words when security=tls', async () => {
    server = await FakeRdpServer.start(async (c) => {
      c.split = true;
      const request = await c.next();
      // security=tls asks for PROTOCOL_SSL only.
      assert.equal(request?.data.readUInt32LE(request.data.length - 4), 1);
      await c.write(negotiationFailure(5));
    });
    const error = await failure(connect(server.port, { security: 'tls' }));
    assert.ok(error instanceof RdpNegotiationError);
    assert.equal(error.status.name, 'CLIENT_UNAUTHORIZED');
    assert.ok(error.message.startsWith(NLA_ADVICE));
    assert.match(error.message, /security to nla or any/);
    assert.match(error.message, /HYBRID_REQUIRED_BY_SERVER/);
    await server.close();
  });

  it('verifies the certificate unless ignore-cert is set', async () => {
    server = await FakeRdpServer.start(async (c) => {
      await c.next();
      await c.write(Buffer.from('030000130ed000000000000200080001000000', 'hex'));
      await c.startTls(key, cert).catch(() => undefined);
    });
    const error = await failure(connect(server.port, { 'ignore-cert': 'false' }));
    assert.equal(error.code, 'RDP_TLS');
    assert.match(error.message, /ignore-cert=true/);
    await server.close();
  });

  it('licenses, activates, draws bitmaps and sends input, with 1-byte writes', async () => {
    let licenseReply: Buffer | undefined;
    let clientInfo: Buffer | undefined;
    let input: Buffer | undefined;
    server = await FakeRdpServer.start(async (c) => {
      c.split = true;
      ({ licenseReply, clientInfo } = await activate(c, { key, cert, licenseRequest: true }));
      // A 2x2 16 bpp uncompressed bitmap at (1,1): rows bottom-up, padded to 4 bytes.
      const pixels = new ByteWriter().u16(0xf800).u16(0x07e0).u16(0x001f).u16(0xffff).toBuffer();
      const rect = { left: 1, top: 1, right: 2, bottom: 2, width: 2, height: 2, bpp: 16 };
      await c.write(fastPathUpdate(1, bitmapUpdate([{ ...rect, flags: 0, data: pixels }])));
      input = (await c.next())?.data;
    });
    const client = connect(server.port);
    const [width, height] = (await within(once(client, 'ready'))) as [number, number];
    assert.deepEqual([width, height], [64, 48]);
    const [bitmap] = (await within(once(client, 'bitmap'))) as [DecodedBitmap];
    assert.deepEqual([bitmap.x, bitmap.y, bitmap.width, bitmap.height], [1, 1, 2, 2]);
    assert.deepEqual(
      [...bitmap.rgba],
      [0, 0, 255, 255, 255, 255, 255, 255, 255, 0, 0, 255, 0, 255, 0, 255],
    );
    client.sendKeysym(0x61, true);
    await within(server.done());
    assert.equal(input?.toString('hex'), '048005001e');
    // The Client Info PDU: security header SEC_INFO_PKT, then the credentials in UTF-16.
    const info = mcsData(clientInfo);
    assert.equal(new ByteReader(info).u16(), 0x40);
    assert.ok(info.includes(Buffer.from('alice\0', 'utf16le')));
    assert.ok(info.includes(Buffer.from('secret\0', 'utf16le')));
    // The New License Request: security header SEC_LICENSE_PKT, message 0x13.
    const license = mcsData(licenseReply);
    assert.deepEqual([license.readUInt16LE(0), license[4]], [0x80, 0x13]);
    client.close();
    await server.close();
  });
});

describe('RdpClient reactivation and disconnects', () => {
  /** Activates, reactivates at 80x60, then sets `errorInfo` and closes. */
  const script = (errorInfo: number) => async (c: FakeRdpConnection) => {
    await activate(c, { key, cert });
    const deactivate = new ByteWriter().u32(SHARE_ID).u16(1).u8(0).toBuffer();
    await c.write(indication(shareControl(PDUTYPE_DEACTIVATEALLPDU, 1002, deactivate)));
    await c.write(indication(demandActive(80, 60)));
    const confirm = mcsData(await c.nextPayload());
    assert.equal(confirm.readUInt16LE(2) & 0x0f, 3);
    for (let i = 0; i < 4; i++) await c.nextPayload();
    const body = new ByteWriter().u32(errorInfo).toBuffer();
    await c.write(indication(shareData(1002, SHARE_ID, PDUTYPE2_SET_ERROR_INFO_PDU, body)));
    c.close();
  };

  it('reactivates at a new size after Deactivate All; a logoff is SESSION_CLOSED', async () => {
    const server = await FakeRdpServer.start(script(0x2));
    const client = connect(server.port);
    try {
      const resized = once(client, 'resize');
      const failed = once(client, 'error');
      assert.deepEqual(await within(resized), [80, 60]);
      assert.deepEqual(client.desktop, { width: 80, height: 60 });
      const [error] = (await within(failed)) as [GuacamoleError];
      assert.deepEqual([error.status.name, error.message], ['SESSION_CLOSED', 'Logged off.']);
      await within(server.done());
    } finally {
      client.close();
      await server.close();
    }
  });

  it('a logoff by the user itself (ERRINFO_LOGOFF_BY_USER) is a normal close', async () => {
    const server = await FakeRdpServer.start(script(0xc));
    const client = connect(server.port);
    try {
      let failed: unknown;
      client.on('error', (error) => (failed = error));
      await within(once(client, 'close'));
      assert.equal(failed, undefined);
    } finally {
      client.close();
      await server.close();
    }
  });
});

describe('RdpClient against malformed servers', () => {
  const cases: [string, string, (c: FakeRdpConnection) => Promise<void>][] = [
    [
      'a bitmap rect outside the desktop',
      'RDP_RECT_OUT_OF_BOUNDS',
      async (c) => {
        const rect = { left: 64, top: 0, right: 65, bottom: 0, width: 2, height: 1, bpp: 16 };
        await c.write(
          fastPathUpdate(1, bitmapUpdate([{ ...rect, flags: 0, data: Buffer.alloc(4) }])),
        );
      },
    ],
    [
      'a bitmap larger than the data sent',
      'RDP_BAD_BITMAP',
      async (c) => {
        const rect = { left: 0, top: 0, right: 9, bottom: 9, width: 10, height: 10, bpp: 16 };
        await c.write(
          fastPathUpdate(1, bitmapUpdate([{ ...rect, flags: 0, data: Buffer.alloc(8) }])),
        );
      },
    ],
    [
      'an RLE bitmap that overruns',
      'RDP_RLE_OVERRUN',
      async (c) => {
        const rect = { left: 0, top: 0, right: 1, bottom: 0, width: 2, height: 1, bpp: 16 };
        const data = Buffer.from([0x65, 0x00, 0x00]);
        await c.write(fastPathUpdate(1, bitmapUpdate([{ ...rect, flags: 0x401, data }])));
      },
    ],
    [
      'a bitmap update that claims more rects than it carries',
      'RDP_TRUNCATED',
      async (c) => {
        await c.write(fastPathUpdate(1, new ByteWriter().u16(1).u16(5).u16(0).toBuffer()));
      },
    ],
    [
      'a share PDU whose length runs past its data',
      'RDP_TRUNCATED',
      async (c) => {
        await c.write(indication(new ByteWriter().u16(0x7fff).u16(0x17).u16(1002).toBuffer()));
      },
    ],
    [
      'a TPKT length shorter than its header',
      'RDP_BAD_TPKT',
      async (c) => {
        await c.write(Buffer.from([3, 0, 0, 4]));
      },
    ],
    [
      'a fast-path update longer than its PDU',
      'RDP_TRUNCATED',
      async (c) => {
        await c.write(Buffer.from([0, 0x80, 6, 1, 0xff, 0x7f]));
      },
    ],
  ];

  for (const [name, code, misbehave] of cases) {
    it(`${name}: ${code}`, async () => {
      const server = await FakeRdpServer.start(async (c) => {
        await activate(c, { key, cert });
        await misbehave(c);
      });
      try {
        const client = connect(server.port);
        const error = await failure(client);
        assert.equal(error.code, code);
        assert.equal(error.status.guac, 0x203);
      } finally {
        await server.close();
      }
    });
  }
});
