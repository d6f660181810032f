/**
 * @module The RDP codec layers against byte vectors built from MS-RDPBCGR and X.690/X.691: BER and PER,
 * the GCC request and server data blocks, MCS PDUs, the X.224 negotiation, TPKT/fast-path framing split at
 * every byte, fast-path output fragments and input events, and the en-us keyboard.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  berInteger,
  berLength,
  readBerInteger,
  readBerTlv,
  BER_INTEGER,
} from '../../../src/proxy/rdp/ber.js';
import { ByteReader, ByteWriter } from '../../../src/proxy/rdp/bytes.js';
import { RdpNegotiationError } from '../../../src/proxy/rdp/errors.js';
import {
  FastPathReader,
  fastPathInput,
  mouseEvents,
  scancodeEvent,
} from '../../../src/proxy/rdp/fastpath.js';
import {
  clientDataBlocks,
  conferenceCreateRequest,
  parseConferenceCreateResponse,
} from '../../../src/proxy/rdp/gcc.js';
import { KeyboardState } from '../../../src/proxy/rdp/keyboard.js';
import * as mcs from '../../../src/proxy/rdp/mcs.js';
import { perLength, readPerLength } from '../../../src/proxy/rdp/per.js';
import { FrameReader, tpkt } from '../../../src/proxy/rdp/tpkt.js';
import {
  NLA_ADVICE,
  PROTOCOL_HYBRID,
  PROTOCOL_SSL,
  checkSelectedProtocol,
  connectionRequest,
  parseConnectionConfirm,
} from '../../../src/proxy/rdp/x224.js';
import { connectionConfirm, gccResponse, negotiationFailure } from './fake-server.js';

const hex = (data: Uint8Array) => Buffer.from(data).toString('hex');

describe('BER and PER', () => {
  it('encodes lengths and minimal integers', () => {
    assert.equal(hex(berLength(5)), '05');
    assert.equal(hex(berLength(0x80)), '8180');
    assert.equal(hex(berLength(0x1234)), '821234');
    assert.equal(hex(berInteger(0)), '020100');
    assert.equal(hex(berInteger(0x7f)), '02017f');
    assert.equal(hex(berInteger(0x80)), '02020080');
    assert.equal(hex(berInteger(0xffff)), '020300ffff');
    assert.equal(hex(berInteger(0xfc17)), '020300fc17');
  });

  it('reads back what it writes and checks tags', () => {
    const reader = new ByteReader(berInteger(0xfc17));
    assert.equal(readBerInteger(reader, BER_INTEGER, 'n'), 0xfc17);
    assert.throws(() => readBerTlv(new ByteReader(Buffer.from([0x04, 0x00])), 0x02, 'x'), {
      code: 'RDP_BAD_BER',
    });
  });

  it('PER lengths: one byte below 128, two with the top bit above', () => {
    assert.equal(hex(perLength(0x7f)), '7f');
    assert.equal(hex(perLength(0x12a)), '812a');
    assert.equal(readPerLength(new ByteReader(Buffer.from([0x81, 0x2a]))), 0x12a);
  });
});

describe('GCC and MCS', () => {
  const blocks = clientDataBlocks({
    width: 1024,
    height: 768,
    colorDepth: 24,
    keyboardLayout: 0x409,
    clientName: 'guac',
    selectedProtocol: PROTOCOL_SSL,
    channels: ['cliprdr'],
  });

  it('client data blocks: CS_CORE (216), CS_SECURITY, CS_NET, CS_CLUSTER', () => {
    const r = new ByteReader(blocks);
    assert.deepEqual(
      [r.u16(), r.u16(), r.u32(), r.u16(), r.u16()],
      [0xc001, 216, 0x80004, 1024, 768],
    );
    r.skip(216 - 12 - 4);
    assert.equal(r.u32(), PROTOCOL_SSL);
    assert.deepEqual([r.u16(), r.u16()], [0xc002, 12]);
    r.skip(8);
    assert.deepEqual([r.u16(), r.u16(), r.u32()], [0xc003, 20, 1]);
    assert.equal(Buffer.from(r.bytes(8)).toString('latin1'), 'cliprdr\0');
    r.skip(4);
    assert.deepEqual([r.u16(), r.u16()], [0xc004, 12]);
  });

  it('the Conference Create Request prefix is the spec example', () => {
    const gcc = conferenceCreateRequest(blocks);
    assert.equal(hex(gcc.subarray(0, 7)), '000500147c0001');
    assert.equal(hex(gcc.subarray(9, 21)), '000800100001c00044756361');
    assert.equal(readPerLength(new ByteReader(gcc, 7)), gcc.length - 9);
  });

  it('Connect Initial is BER application 101 and Connect Response is parsed', () => {
    const initial = mcs.connectInitial(Buffer.from('abc'));
    assert.equal(hex(initial.subarray(0, 2)), '7f65');
    const response = mcs.parseConnectResponse(connectResponseBytes());
    const server = parseConferenceCreateResponse(response, 1);
    assert.deepEqual(server, {
      version: 0x80004,
      ioChannel: 1003,
      channelIds: [1004],
      encryptionMethod: 0,
    });
  });

  it('domain PDUs', () => {
    assert.equal(hex(mcs.erectDomainRequest()), '0401000100');
    assert.equal(hex(mcs.attachUserRequest()), '28');
    assert.equal(hex(mcs.channelJoinRequest(1007, 1003)), '38000603eb');
    assert.deepEqual(mcs.parseDomainPdu(Buffer.from('2e000006', 'hex')), {
      type: 'attachUserConfirm',
      result: 0,
      userId: 1007,
    });
    assert.deepEqual(mcs.parseDomainPdu(Buffer.from('3e00000603eb03eb', 'hex')), {
      type: 'channelJoinConfirm',
      result: 0,
      channelId: 1003,
    });
    const request = mcs.sendDataRequest(1007, 1003, Buffer.from('hi'));
    assert.equal(hex(request), '64000603eb7002' + '6869');
    const indication = mcs.parseDomainPdu(Buffer.from('68000103eb7002' + '6869', 'hex'));
    assert.deepEqual(indication, { type: 'data', channelId: 1003, data: Buffer.from('hi') });
    assert.deepEqual(mcs.parseDomainPdu(Buffer.from('2180', 'hex')), {
      type: 'disconnect',
      reason: 3,
    });
  });
});

function connectResponseBytes(): Buffer {
  return gccResponse([1004]);
}

describe('X.224 negotiation', () => {
  it('the Connection Request carries the cookie and RDP_NEG_REQ', () => {
    const request = connectionRequest(PROTOCOL_SSL, 'guac user');
    const text = request.toString('latin1');
    assert.ok(text.includes('Cookie: mstshash=guacuser\r\n'));
    assert.equal(hex(request.subarray(-8)), '0100080001000000');
    assert.equal(request.readUInt16BE(2), request.length);
    assert.equal(request[4], request.length - 5);
  });

  it('reads the selected protocol, or explains a failure in plain words', () => {
    assert.equal(parseConnectionConfirm(connectionConfirm(PROTOCOL_SSL)), PROTOCOL_SSL);
    assert.throws(
      () => parseConnectionConfirm(negotiationFailure(5)),
      (error: unknown) =>
        error instanceof RdpNegotiationError &&
        error.message.startsWith(NLA_ADVICE) &&
        error.message.includes('security to nla or any'),
    );
    assert.throws(() => parseConnectionConfirm(negotiationFailure(2)), /Standard RDP Security/);
    assert.equal(checkSelectedProtocol(PROTOCOL_HYBRID, PROTOCOL_SSL | PROTOCOL_HYBRID), 2);
    assert.throws(() => checkSelectedProtocol(PROTOCOL_SSL, PROTOCOL_HYBRID), /not requested/);
    assert.throws(() => checkSelectedProtocol(0, PROTOCOL_SSL), /Standard RDP Security/);
  });
});

describe('framing', () => {
  it('splits TPKT and fast-path frames at any chunk boundary', () => {
    const a = tpkt(Buffer.from('020f80aabb', 'hex'));
    const b = Buffer.from([0x00, 0x05, 1, 2, 3]);
    const c = Buffer.concat([Buffer.from([0x00, 0x80, 0x84]), Buffer.alloc(0x81, 7)]);
    const stream = Buffer.concat([a, b, c, a]);
    for (let cut = 0; cut <= stream.length; cut++) {
      for (const step of [1, 3, 64]) {
        const reader = new FrameReader();
        const frames = [];
        const parts = [stream.subarray(0, cut)];
        for (let at = cut; at < stream.length; at += step)
          parts.push(stream.subarray(at, at + step));
        for (const part of parts) frames.push(...reader.push(part));
        assert.deepEqual(
          frames.map((f) => [f.fastPath, hex(f.data)]),
          [a, b, c, a].map((f) => [f[0] !== 3, hex(f)]),
        );
        assert.equal(reader.buffered, 0);
      }
    }
  });

  it('reassembles fragmented fast-path updates', () => {
    const update = (header: number, data: number[]) =>
      new ByteWriter().u8(header).u16(data.length).bytes(Uint8Array.from(data)).toBuffer();
    const pdu = (body: Buffer) =>
      Buffer.concat([Buffer.from([0, 0x80 | 0, body.length + 3]), body]);
    const reader = new FastPathReader();
    assert.deepEqual(reader.read(pdu(update(0x21, [1, 2]))), []);
    assert.deepEqual(reader.read(pdu(update(0x31, [3]))), []);
    const [done] = reader.read(pdu(Buffer.concat([update(0x11, [4]), update(0x03, [])])));
    assert.deepEqual([done?.code, hex(done?.data ?? Buffer.alloc(0))], [1, '01020304']);
  });
});

describe('input', () => {
  it('fast-path input header and events', () => {
    const pdu = fastPathInput([scancodeEvent(0x1e, false, true), scancodeEvent(0x48, true, false)]);
    assert.equal(hex(pdu), '0880' + '07' + '001e' + '0348');
  });

  it('mouse: a move, changed buttons, wheel steps', () => {
    const events = mouseEvents(0, 0b01001, 10, 20).map(hex);
    assert.deepEqual(events, ['2000080a001400', '2000900a001400', '2078020a001400']);
    assert.deepEqual(mouseEvents(1, 0, 1, 2).map(hex).slice(1), ['20001001000200']);
    assert.equal(hex(mouseEvents(0, 0x10, 0, 0)[1] ?? Buffer.alloc(0)), '20880300000000');
  });

  it('en-us keyboard: shift around shifted symbols, Unicode for the rest', () => {
    const sent: string[][] = [];
    const keyboard = new KeyboardState(true, (events) => sent.push(events.map(hex)));
    keyboard.key(0x61, true); // a
    keyboard.key(0x61, false);
    keyboard.key(0x21, true); // ! = shift + 1
    keyboard.key(0x010020ac, true); // € has no en-us key: Unicode
    keyboard.key(0x010020ac, false);
    assert.deepEqual(sent, [['001e'], ['011e'], ['002a', '0002', '012a'], ['80ac20'], ['81ac20']]);
  });
});

describe('malformed connection PDUs', () => {
  const code = (fn: () => unknown, expected: string) => {
    assert.throws(fn, (error: unknown) => (error as { code?: string }).code === expected);
  };

  it('BER: long lengths, lengths past the data, wrong tags', () => {
    code(
      () => readBerTlv(new ByteReader(Buffer.from('0284ffffffff', 'hex')), 0x02, 'n'),
      'RDP_BAD_BER',
    );
    code(
      () => readBerTlv(new ByteReader(Buffer.from('0282ffff00', 'hex')), 0x02, 'n'),
      'RDP_TRUNCATED',
    );
    code(() => mcs.parseConnectResponse(Buffer.from('7f6500', 'hex')), 'RDP_BAD_BER');
    code(() => mcs.parseConnectResponse(Buffer.from('7f66030a0101', 'hex')), 'RDP_MCS_REFUSED');
  });

  it('PER and GCC: fragmented lengths, missing user data, bad blocks, wrong channel counts', () => {
    code(() => readPerLength(new ByteReader(Buffer.from([0xc1]))), 'RDP_BAD_PER');
    code(() => parseConferenceCreateResponse(Buffer.from('no key'), 0), 'RDP_BAD_GCC');
    const bad = Buffer.concat([Buffer.from('McDn'), Buffer.from([4, 0x01, 0x0c, 0x02, 0x00])]);
    code(() => parseConferenceCreateResponse(bad, 0), 'RDP_BAD_GCC');
    const big = Buffer.concat([Buffer.from('McDn'), Buffer.from([0x81, 0xff, 0])]);
    code(() => parseConferenceCreateResponse(big, 0), 'RDP_TRUNCATED');
    const more = mcs.parseConnectResponse(gccResponse([1004, 1005]));
    code(() => parseConferenceCreateResponse(more, 1), 'RDP_BAD_GCC');
    const fewer = parseConferenceCreateResponse(mcs.parseConnectResponse(gccResponse([])), 1);
    assert.deepEqual(fewer.channelIds, []);
  });

  it('MCS and X.224: unknown PDUs, short confirms, unknown negotiation types', () => {
    code(() => mcs.parseDomainPdu(Buffer.from([0x7c])), 'RDP_BAD_MCS');
    code(() => mcs.parseDomainPdu(Buffer.from([0x2e])), 'RDP_TRUNCATED');
    code(() => mcs.parseDomainPdu(Buffer.from('68000103eb708110', 'hex')), 'RDP_TRUNCATED');
    code(() => parseConnectionConfirm(tpkt(Buffer.from('06e00000000000', 'hex'))), 'RDP_BAD_X224');
    code(() => parseConnectionConfirm(tpkt(Buffer.from('20d0', 'hex'))), 'RDP_TRUNCATED');
    const unknownType = tpkt(Buffer.from('0ed000000000000700080001000000', 'hex'));
    code(() => parseConnectionConfirm(unknownType), 'RDP_BAD_X224');
  });

  it('framing: unknown header bytes', () => {
    code(() => new FrameReader().push(Buffer.from([0x05, 0x00, 0x00])), 'RDP_BAD_FRAME');
    code(() => new FrameReader().push(Buffer.from([0x00, 0x01])), 'RDP_BAD_FASTPATH');
  });
});
