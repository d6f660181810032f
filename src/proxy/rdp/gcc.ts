/**
 * @module T.124 GCC Conference Create Request/Response with RDP's client and server data blocks
 * (MS-RDPBCGR 2.2.1.3 and 2.2.1.4): client core, security, network and cluster data out; server core,
 * security and network data (the I/O channel and static channel IDs) in.
 */
import { ByteReader, ByteWriter, fixedUtf16 } from './bytes.js';
import { protocolError } from './errors.js';
import {
  CONFERENCE_CREATE_REQUEST,
  SERVER_H221_KEY,
  T124_OID,
  perLength,
  readPerLength,
} from './per.js';

const CS_CORE = 0xc001;
const CS_SECURITY = 0xc002;
const CS_NET = 0xc003;
const CS_CLUSTER = 0xc004;
const SC_CORE = 0x0c01;
const SC_SECURITY = 0x0c02;
const SC_NET = 0x0c03;

/** RNS_UD_COLOR_8BPP: the legacy colour depth fields' value. */
const COLOR_8BPP = 0xca01;
/** earlyCapabilityFlags: RNS_UD_CS_SUPPORT_ERRINFO_PDU. */
const SUPPORT_ERRINFO_PDU = 0x0001;
/** supportedColorDepths bits. */
const SUPPORT_24BPP = 0x0001;
const SUPPORT_16BPP = 0x0002;
const SUPPORT_15BPP = 0x0004;

/** What the client data blocks say about the client. */
export interface ClientDataOptions {
  readonly width: number;
  readonly height: number;
  /** 8, 15, 16 or 24. */
  readonly colorDepth: number;
  readonly keyboardLayout: number;
  readonly clientName: string;
  /** The protocol the server selected in the X.224 negotiation. */
  readonly selectedProtocol: number;
  /** Static virtual channel names (at most 7 characters each). */
  readonly channels: readonly string[];
}

/** What the server data blocks say. */
export interface ServerData {
  /** The server's RDP version (e.g. 0x00080004). */
  readonly version: number;
  /** The MCS I/O channel. */
  readonly ioChannel: number;
  /** The static channel IDs, in the order requested. */
  readonly channelIds: readonly number[];
  /** The server's encryption method (0 with TLS). */
  readonly encryptionMethod: number;
}

function block(type: number, body: Buffer): Buffer {
  const head = Buffer.alloc(4);
  head.writeUInt16LE(type, 0);
  head.writeUInt16LE(body.length + 4, 2);
  return Buffer.concat([head, body]);
}

/**
 * The client data blocks.
 * @param options the client's settings
 * @returns CS_CORE, CS_SECURITY, CS_NET and CS_CLUSTER, concatenated
 */
export function clientDataBlocks(options: ClientDataOptions): Buffer {
  const core = new ByteWriter()
    .u32(0x00080004)
    .u16(options.width)
    .u16(options.height)
    .u16(COLOR_8BPP)
    .u16(0xaa03)
    .u32(options.keyboardLayout)
    .u32(2600)
    .bytes(fixedUtf16(options.clientName, 32))
    .u32(4)
    .u32(0)
    .u32(12)
    .zeros(64)
    .u16(COLOR_8BPP)
    .u16(1)
    .u32(0)
    .u16(options.colorDepth === 8 ? 8 : options.colorDepth)
    .u16(SUPPORT_24BPP | SUPPORT_16BPP | SUPPORT_15BPP)
    .u16(SUPPORT_ERRINFO_PDU)
    .zeros(64)
    .u8(0)
    .u8(0)
    .u32(options.selectedProtocol)
    .toBuffer();
  const security = new ByteWriter().u32(0).u32(0).toBuffer();
  const net = new ByteWriter().u32(options.channels.length);
  for (const name of options.channels) {
    const field = Buffer.alloc(8);
    field.write(name.slice(0, 7), 'latin1');
    // CHANNEL_OPTION_INITIALIZED | ENCRYPT_RDP | COMPRESS_RDP | SHOW_PROTOCOL
    net.bytes(field).u32(0x80000000 | 0x40000000 | 0x00800000 | 0x00200000);
  }
  const cluster = new ByteWriter().u32(0x0d).u32(0).toBuffer();
  return Buffer.concat([
    block(CS_CORE, core),
    block(CS_SECURITY, security),
    block(CS_NET, net.toBuffer()),
    block(CS_CLUSTER, cluster),
  ]);
}

/**
 * The GCC Conference Create Request carrying the client data blocks.
 * @param blocks the client data blocks
 * @returns the T.124 ConnectData
 */
export function conferenceCreateRequest(blocks: Buffer): Buffer {
  const gcc = Buffer.concat([CONFERENCE_CREATE_REQUEST, perLength(blocks.length), blocks]);
  return Buffer.concat([T124_OID, perLength(gcc.length), gcc]);
}

/**
 * Parses the GCC Conference Create Response and its server data blocks.
 * @param data the MCS Connect Response user data
 * @param channelCount how many static channels were requested
 * @returns the server data; `channelIds` may be shorter than requested, never longer
 */
export function parseConferenceCreateResponse(data: Uint8Array, channelCount: number): ServerData {
  const key = Buffer.from(data.buffer, data.byteOffset, data.byteLength).indexOf(SERVER_H221_KEY);
  if (key < 0) throw protocolError('RDP_BAD_GCC', 'no server user data (McDn) in the response.');
  const reader = new ByteReader(data, key + SERVER_H221_KEY.length);
  const blocks = reader.sub(readPerLength(reader), 'GCC user data');
  let version = 0;
  let ioChannel: number | undefined;
  let channelIds: number[] = [];
  let encryptionMethod = 0;
  while (blocks.remaining >= 4) {
    const type = blocks.u16();
    const length = blocks.u16();
    if (length < 4) throw protocolError('RDP_BAD_GCC', `server data block length ${length}.`);
    const body = blocks.sub(length - 4, 'server data block');
    if (type === SC_CORE) version = body.u32();
    else if (type === SC_SECURITY) encryptionMethod = body.u32();
    else if (type === SC_NET) {
      ioChannel = body.u16();
      const count = body.u16();
      channelIds = Array.from({ length: count }, () => body.u16());
    }
  }
  if (ioChannel === undefined) throw protocolError('RDP_BAD_GCC', 'no server network data.');
  // Fewer IDs than requested means channels the server does not offer (xrdp with channels off).
  if (channelIds.length > channelCount) {
    throw protocolError(
      'RDP_BAD_GCC',
      `the server assigned ${channelIds.length} channels for ${channelCount} requested.`,
    );
  }
  return { version, ioChannel, channelIds, encryptionMethod };
}
