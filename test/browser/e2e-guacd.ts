/**
 * @module What the scripted fake guacd does in the browser end-to-end tests: draw a known scene (a `cfill`
 * rectangle and a PNG sent over an `img` stream), stream clipboard text, read the client's streams back,
 * and hang up on `disconnect` as guacd does.
 */

import { crc32, deflateSync } from 'node:zlib';
import { encodeInstruction } from '../../src/protocol/index.js';
import type { FakeGuacdConnection } from '../fakes/fake-guacd.js';

/** An RGBA colour, 0–255 each. */
export type RGBA = readonly [number, number, number, number];

/** A rectangle of one colour. */
export interface Patch {
  readonly x: number;
  readonly y: number;
  readonly w: number;
  readonly h: number;
  readonly color: RGBA;
}

/** The scene: display size, a rectangle filled with `cfill`, a PNG drawn by `img`, then `sync`. */
export const SCENE = {
  width: 64,
  height: 48,
  rect: { x: 0, y: 0, w: 32, h: 48, color: [0x12, 0x34, 0x56, 255] } satisfies Patch,
  png: { x: 40, y: 8, w: 4, h: 4, color: [0xc8, 0x64, 0x1e, 255] } satisfies Patch,
  timestamp: '1723456789012',
} as const;

/**
 * Encodes a PNG of one colour (8-bit RGBA, no filtering).
 * @param patch its size and colour
 * @returns the file
 */
export function solidPng(patch: Patch): Buffer {
  const chunk = (type: string, data: Buffer): Buffer => {
    const body = Buffer.concat([Buffer.from(type, 'latin1'), data]);
    const out = Buffer.alloc(body.length + 8);
    out.writeUInt32BE(data.length, 0);
    body.copy(out, 4);
    out.writeUInt32BE(crc32(body), body.length + 4);
    return out;
  };
  const header = Buffer.alloc(13);
  header.writeUInt32BE(patch.w, 0);
  header.writeUInt32BE(patch.h, 4);
  header.set([8, 6, 0, 0, 0], 8);
  const row = Buffer.from([0, ...Array.from({ length: patch.w }, () => patch.color).flat()]);
  const pixels = Buffer.concat(Array.from({ length: patch.h }, () => row));
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(pixels)),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

/** @returns the scene as guacd would send it, all on layer 0 */
export function sceneInstructions(): string {
  const { rect, png } = SCENE;
  const text = (...values: number[]) => values.map(String);
  return [
    encodeInstruction('size', '0', ...text(SCENE.width, SCENE.height)),
    encodeInstruction('rect', '0', ...text(rect.x, rect.y, rect.w, rect.h)),
    // Channel mask 14 is SRC_OVER.
    encodeInstruction('cfill', '14', '0', ...text(...rect.color)),
    encodeInstruction('img', '1', '14', '0', 'image/png', ...text(png.x, png.y)),
    encodeInstruction('blob', '1', solidPng(png).toString('base64')),
    encodeInstruction('end', '1'),
    encodeInstruction('sync', SCENE.timestamp),
  ].join('');
}

/**
 * The session script: draws the scene, then, like guacd, closes the connection once the client sends
 * `disconnect`. (It consumes that connection's `waitFor('disconnect')` cursor.)
 * @param conn the connection
 */
export async function sessionScript(conn: FakeGuacdConnection): Promise<void> {
  await conn.send(sceneInstructions());
  await conn.waitFor('disconnect');
  await conn.close();
}

/**
 * Sends text as guacd sends the remote clipboard: `clipboard`, UTF-8 in base64 `blob`s, `end`. The bytes
 * are cut in two inside the first 4-byte sequence, so a decoder must carry it across blobs.
 * @param conn the connection
 * @param text the text
 */
export async function sendClipboard(conn: FakeGuacdConnection, text: string): Promise<void> {
  const bytes = Buffer.from(text, 'utf8');
  const astral = bytes.findIndex((b) => b >= 0xf0);
  const cut = astral < 0 ? bytes.length >> 1 : astral + 2;
  await conn.send(
    encodeInstruction('clipboard', '7', 'text/plain') +
      encodeInstruction('blob', '7', bytes.subarray(0, cut).toString('base64')) +
      encodeInstruction('blob', '7', bytes.subarray(cut).toString('base64')) +
      encodeInstruction('end', '7'),
  );
}

/** A stream the client sent: its opening instruction and the bytes of its blobs. */
export interface ReceivedStream {
  readonly opening: readonly string[];
  readonly bytes: Buffer;
}

/**
 * Waits for the client to open a stream with `opcode` (e.g. `clipboard`) and end it.
 * @param conn the connection
 * @param opcode the opening instruction's opcode; its first argument is the stream index
 * @returns its arguments and the decoded blobs
 */
export async function receiveStream(
  conn: FakeGuacdConnection,
  opcode: string,
): Promise<ReceivedStream> {
  const opening = await conn.waitFor(opcode);
  const index = opening.args[0];
  for (
    let end = await conn.waitFor('end');
    end.args[0] !== index;
    end = await conn.waitFor('end')
  ) {
    // Another stream's end: keep waiting.
  }
  const blobs = conn.received.filter((i) => i.opcode === 'blob' && i.args[0] === index);
  return {
    opening: opening.args,
    bytes: Buffer.concat(blobs.map((i) => Buffer.from(i.args[1] ?? '', 'base64'))),
  };
}
