/**
 * @module Tests that guacd data cut at arbitrary byte boundaries (inside multi-byte UTF-8 characters too)
 * and delivered in many separate reads is parsed exactly as if it had arrived whole, handshake included.
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import net from 'node:net';
import { describe, it } from 'node:test';
import { StreamGuacdSocket, configureSocket } from '../../src/guacd/index.js';
import { defaultClientInformation, encodeInstruction } from '../../src/protocol/index.js';
import { FakeGuacd } from '../fakes/fake-guacd.js';
import { configFor } from './helpers.js';

/** Instructions whose elements hold 1-, 2-, 3- and 4-byte UTF-8 characters and empty elements. */
const SCRIPT: readonly (readonly string[])[] = [
  ['name', 'Jürgen 😀 ✓'],
  ['clipboard', '0', 'text/plain'],
  ['blob', '0', '𝄞𝄞𝄞 — 中文 — ﬁ'],
  ['end', '0'],
  ['sync', '1723456789012', ''],
  ['', 'ping', '42'],
];

describe('reading a stream split at arbitrary byte boundaries', () => {
  for (const [seed, maxPiece] of [
    [1, 1],
    [7, 2],
    [42, 3],
    [1234, 5],
  ] as const) {
    it(`parses identically (seed ${seed}, pieces of 1–${maxPiece} bytes)`, async () => {
      const wire = SCRIPT.map(([opcode = '', ...args]) => encodeInstruction(opcode, ...args));
      const guacd = await FakeGuacd.start({
        args: ['hostname', 'pässwört', '😀'],
        split: { seed, maxPiece },
        script: async (conn) => {
          await conn.send(wire.join(''));
        },
      });
      try {
        const tcp = net.connect(guacd.port, guacd.host);
        await once(tcp, 'connect');
        let reads = 0;
        tcp.on('data', () => reads++);
        const config = configFor('rdp', { pässwört: 'geheim', '😀': 'ja', hostname: 'h' });
        const socket = await configureSocket(
          new StreamGuacdSocket(tcp),
          config,
          defaultClientInformation(),
        );
        const conn = await guacd.connection(0);
        assert.deepEqual(conn.handshake?.connectArgs, ['VERSION_1_5_0', 'h', 'geheim', 'ja']);
        for (const [i, expected] of SCRIPT.entries()) {
          const instruction = await socket.reader.readInstruction();
          assert.deepEqual([instruction?.opcode, ...(instruction?.args ?? [])], expected);
          assert.equal(instruction?.toString(), wire[i], 'the raw text is kept byte for byte');
        }
        const bytes = Buffer.byteLength(wire.join('')) + Buffer.byteLength(conn.receivedText());
        assert.ok(reads > SCRIPT.length, `the data arrived in ${reads} reads (${bytes} bytes)`);
        socket.close();
      } finally {
        await guacd.close();
      }
    });
  }
});
