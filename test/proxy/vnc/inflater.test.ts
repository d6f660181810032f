/**
 * @module The persistent Inflater: rects over one zlib stream, data bigger than one slice (several
 * pushes and chunks joined into the reused buffer), the decompression cap and corrupt data.
 */
import assert from 'node:assert/strict';
import { randomBytes } from 'node:crypto';
import zlib from 'node:zlib';
import { describe, it } from 'node:test';
import { Inflater } from '../../../src/proxy/vnc/decoders/inflater.js';

/** A persistent deflate stream flushed with Z_SYNC_FLUSH per rect, read as it goes (any size). */
function deflater(): (data: Uint8Array) => Promise<Buffer> {
  const stream = zlib.createDeflate();
  const chunks: Buffer[] = [];
  stream.on('data', (chunk: Buffer) => chunks.push(chunk));
  return (data) =>
    new Promise((resolve) => {
      stream.write(data);
      stream.flush(zlib.constants.Z_SYNC_FLUSH, () => {
        resolve(Buffer.concat(chunks.splice(0)));
      });
    });
}

const code = (fn: () => unknown) => {
  try {
    fn();
  } catch (error) {
    return (error as { code?: string }).code;
  }
  return 'no error';
};

describe('VNC Inflater', () => {
  it('inflates rects of one stream, small and several slices long, in order', async () => {
    const deflate = deflater();
    const inflater = new Inflater();
    const payloads = [
      Buffer.from('first rect'),
      randomBytes(70_000),
      Buffer.alloc(300_000, 9),
      randomBytes(40_000),
      Buffer.from('last'),
    ];
    for (const payload of payloads) {
      const compressed = await deflate(payload);
      const out = inflater.inflate(compressed, payload.length, 'Test');
      assert.equal(Buffer.compare(Buffer.from(out), payload), 0, `${payload.length} bytes`);
    }
  });

  it('stops at the cap and on corrupt data', () => {
    const bomb = zlib.deflateSync(Buffer.alloc(4 << 20));
    assert.equal(
      code(() => new Inflater().inflate(bomb, 1000, 'Test')),
      'RFB_DECOMPRESSED_TOO_LARGE',
    );
    const corrupt = Buffer.from([0x78, 0x9c, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff]);
    assert.equal(
      code(() => new Inflater().inflate(corrupt, 1000, 'Test')),
      'RFB_ZLIB_ERROR',
    );
  });

  it('reaches back across many small rects and takes a header split between rects', async () => {
    const deflate = deflater();
    const inflater = new Inflater();
    const phrase = randomBytes(20_000);
    // Each later rect repeats text from up to ~30 KB earlier: only the carried window resolves it.
    const payloads = [phrase.subarray(0, 9000), phrase.subarray(9000), Buffer.alloc(5000, 1)];
    for (let i = 0; i < 20; i++) payloads.push(phrase.subarray(i * 700, i * 700 + 900));
    const first = await deflate(payloads[0] as Buffer);
    assert.equal(inflater.inflate(first.subarray(0, 1), 10, 'Test').length, 0);
    const out = inflater.inflate(first.subarray(1), 9000, 'Test');
    assert.equal(Buffer.compare(Buffer.from(out), payloads[0] as Buffer), 0);
    for (const payload of payloads.slice(1)) {
      const compressed = await deflate(payload);
      const back = inflater.inflate(compressed, payload.length, 'Test');
      assert.equal(Buffer.compare(Buffer.from(back), payload), 0);
    }
  });

  it('rejects a stream whose header is not zlib deflate', () => {
    assert.equal(
      code(() => new Inflater().inflate(Buffer.from([0x1f, 0x8b, 0, 0]), 1000, 'Test')),
      'RFB_ZLIB_ERROR',
    );
  });
});
