/** @module Handshake tests: each RFB version, each security type, VNC auth's DES vector and failures. */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { RfbAuthenticationError, vncAuthResponse } from '../../../src/proxy/vnc/index.js';
import { desEncryptBlock } from '../../../src/proxy/vnc/security/des.js';
import { rfb, type FakeVncConnection } from '../../fakes/fake-vnc-server.js';
import { run } from './harness.js';

const hex = (s: string) => Uint8Array.from(Buffer.from(s, 'hex'));
const CHALLENGE = hex('000102030405060708090a0b0c0d0e0f');
// Cross-checked with `openssl enc -des-ecb -provider legacy` under the bit-reversed key of "password".
const RESPONSE = 'b866924125c8eebb9debc1db61c538e2';

/** Runs a script that ends with ServerInit and returns what the client sent and emitted. */
async function handshake(
  script: (c: FakeVncConnection, sent: Buffer[]) => Promise<void>,
  password?: string,
) {
  const sent: Buffer[] = [];
  const r = await run(
    async (c) => {
      await script(c, sent);
    },
    { password },
    { maxPiece: 1 },
  );
  return { ...r, sent };
}

async function expectReady(r: Awaited<ReturnType<typeof handshake>>): Promise<void> {
  await new Promise<void>((resolve, reject) => {
    if (r.client.serverInit) resolve();
    r.client.once('ready', () => {
      resolve();
    });
    r.client.once('error', reject);
  });
  assert.equal(r.client.framebuffer.width, 4);
  r.client.close();
  await r.server.close();
}

async function expectError(r: Awaited<ReturnType<typeof handshake>>, code: string) {
  const error = await r.ended;
  await r.server.close();
  assert.equal(error?.code, code, error?.message);
  return error;
}

describe('VNC handshake', () => {
  it('DES encrypts the FIPS 46 test vectors', () => {
    const out = desEncryptBlock(hex('133457799bbcdff1'), hex('0123456789abcdef'));
    assert.equal(Buffer.from(out).toString('hex'), '85e813540f0ab405');
    const zero = desEncryptBlock(hex('0e329232ea6d0d73'), hex('8787878787878787'));
    assert.equal(Buffer.from(zero).toString('hex'), '0000000000000000');
  });

  it('computes the VNC auth response with bit-reversed key bytes', () => {
    assert.equal(Buffer.from(vncAuthResponse('password', CHALLENGE)).toString('hex'), RESPONSE);
    // Only the first 8 characters count.
    assert.equal(Buffer.from(vncAuthResponse('password123', CHALLENGE)).toString('hex'), RESPONSE);
  });

  for (const [announced, answered] of [
    ['003.008', '003.008'],
    ['003.889', '003.008'],
    ['004.001', '003.008'],
  ] as const) {
    it(`answers RFB ${announced} with ${answered} and security None`, async () => {
      const r = await handshake(async (c, sent) => {
        await c.send(Buffer.from(`RFB ${announced}\n`));
        sent.push(await c.read(12));
        await c.send(rfb.u8(2, 16, 1));
        sent.push(await c.read(1));
        await c.send(rfb.u32(0));
        sent.push(await c.read(1));
        await c.send(rfb.serverInit(4, 3, 'désk'));
      });
      await expectReady(r);
      assert.equal(r.sent[0]?.toString(), `RFB ${answered}\n`);
      assert.deepEqual([r.sent[1]?.[0], r.sent[2]?.[0]], [1, 1]);
      assert.equal(r.client.serverInit?.name, 'désk');
      assert.equal(r.client.serverInit.version, '3.8');
    });
  }

  it('speaks 3.7: no SecurityResult after None', async () => {
    const r = await handshake(async (c) => {
      await c.send(Buffer.from('RFB 003.007\n'));
      assert.equal((await c.read(12)).toString(), 'RFB 003.007\n');
      await c.send(rfb.u8(1, 1));
      await c.read(2);
      await c.send(rfb.serverInit(4, 3));
    });
    await expectReady(r);
    assert.equal(r.client.serverInit?.version, '3.7');
  });

  it('speaks 3.3: the server chooses the type as a u32, no SecurityResult after None', async () => {
    const r = await handshake(async (c) => {
      await c.send(Buffer.from('RFB 003.003\n'));
      assert.equal((await c.read(12)).toString(), 'RFB 003.003\n');
      await c.send(rfb.u32(1));
      await c.read(1);
      await c.send(rfb.serverInit(4, 3));
    });
    await expectReady(r);
    assert.equal(r.client.serverInit?.version, '3.3');
  });

  for (const version of ['003.008', '003.003'] as const) {
    it(`authenticates with VNC Authentication (${version})`, async () => {
      const r = await handshake(async (c, sent) => {
        await c.send(Buffer.from(`RFB ${version}\n`));
        await c.read(12);
        if (version === '003.008') {
          await c.send(rfb.u8(1, 2));
          await c.read(1);
        } else await c.send(rfb.u32(2));
        await c.send(CHALLENGE);
        sent.push(await c.read(16));
        await c.send(rfb.u32(0));
        await c.read(1);
        await c.send(rfb.serverInit(4, 3));
      }, 'password');
      await expectReady(r);
      assert.equal(r.sent[0]?.toString('hex'), RESPONSE);
    });
  }

  it('reports a 3.8 authentication failure with its reason', async () => {
    const r = await handshake(async (c) => {
      await c.send(Buffer.from('RFB 003.008\n'));
      await c.read(12);
      await c.send(rfb.u8(1, 2));
      await c.read(1);
      await c.send(CHALLENGE);
      await c.read(16);
      await c.send(rfb.u32(1), rfb.string('Bad password'));
      await c.waitClosed();
    }, 'wrong');
    const error = await expectError(r, 'RFB_AUTH_FAILED');
    assert.ok(error instanceof RfbAuthenticationError);
    assert.match(error.message, /Bad password/);
  });

  it('reports a 3.3 authentication failure (no reason string)', async () => {
    const r = await handshake(async (c) => {
      await c.send(Buffer.from('RFB 003.003\n'));
      await c.read(12);
      await c.send(rfb.u32(2), CHALLENGE);
      await c.read(16);
      await c.send(rfb.u32(1));
      await c.waitClosed();
    }, 'wrong');
    assert.ok((await expectError(r, 'RFB_AUTH_FAILED')) instanceof RfbAuthenticationError);
  });

  it('fails clearly when VNC Authentication is required and no password is set', async () => {
    const r = await handshake(async (c) => {
      await c.send(Buffer.from('RFB 003.008\n'));
      await c.read(12);
      await c.send(rfb.u8(1, 2));
      await c.read(1);
      await c.send(CHALLENGE);
      await c.waitClosed();
    });
    assert.ok((await expectError(r, 'RFB_PASSWORD_REQUIRED')) instanceof RfbAuthenticationError);
  });

  it('reports a refused connection (zero security types) with the reason', async () => {
    const r = await handshake(async (c) => {
      await c.send(Buffer.from('RFB 003.008\n'));
      await c.read(12);
      await c.send(rfb.u8(0), rfb.string('Too many connections'));
      await c.waitClosed();
    });
    const error = await expectError(r, 'RFB_CONNECTION_FAILED');
    assert.match(error.message, /Too many connections/);
  });

  it('rejects servers offering only unsupported security types', async () => {
    const r = await handshake(async (c) => {
      await c.send(Buffer.from('RFB 003.008\n'));
      await c.read(12);
      await c.send(rfb.u8(2, 16, 30));
      await c.waitClosed();
    });
    await expectError(r, 'RFB_UNSUPPORTED_SECURITY');
  });

  it('rejects a non-RFB greeting and too-old versions', async () => {
    for (const greeting of ['SSH-2.0-xyz\r\n', 'RFB 002.000\n']) {
      const r = await handshake(async (c) => {
        await c.send(Buffer.from(greeting.padEnd(12, ' ').slice(0, 12)));
        await c.waitClosed();
      });
      await expectError(r, 'RFB_BAD_VERSION');
    }
  });

  it('rejects an oversized reason length without buffering it', async () => {
    const r = await handshake(async (c) => {
      await c.send(Buffer.from('RFB 003.008\n'));
      await c.read(12);
      await c.send(rfb.u8(0), rfb.u32(0xffffffff));
      await c.waitClosed();
    });
    await expectError(r, 'RFB_LENGTH_TOO_LARGE');
  });

  it('rejects a ServerInit larger than 8192 pixels', async () => {
    const r = await handshake(async (c) => {
      await c.send(Buffer.from('RFB 003.008\n'));
      await c.read(12);
      await c.send(rfb.u8(1, 1));
      await c.read(1);
      await c.send(rfb.u32(0));
      await c.read(1);
      await c.send(rfb.serverInit(8193, 10));
      await c.waitClosed();
    });
    await expectError(r, 'RFB_SIZE_TOO_LARGE');
  });

  it('fails cleanly when the server hangs up mid-handshake', async () => {
    const r = await handshake(async (c) => {
      await c.send(Buffer.from('RFB 003.0'));
      c.end();
    });
    await expectError(r, 'RFB_CLOSED');
  });
});
