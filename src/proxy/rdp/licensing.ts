/**
 * @module The licensing phase (MS-RDPELE / MS-RDPBCGR 2.2.1.12): the server either reports a valid client
 * at once (an error alert with STATUS_VALID_CLIENT, as xrdp and most Windows servers in TLS mode do) or
 * sends a License Request, answered with a New License Request; an issued or upgraded license or the
 * valid-client alert ends the phase. Platform challenges (real license servers) are not supported.
 */
import { randomBytes } from 'node:crypto';
import { ByteReader, ByteWriter } from './bytes.js';
import { protocolError } from './errors.js';

/** Basic security header flag of licensing PDUs. */
export const SEC_LICENSE_PKT = 0x0080;

export const LICENSE_REQUEST = 0x01;
export const PLATFORM_CHALLENGE = 0x02;
export const NEW_LICENSE = 0x03;
export const UPGRADE_LICENSE = 0x04;
export const NEW_LICENSE_REQUEST = 0x13;
export const ERROR_ALERT = 0xff;
export const STATUS_VALID_CLIENT = 0x07;
const PREAMBLE_VERSION_3 = 0x03;
const BB_ENCRYPTED_DATA_BLOB = 0x0009;
const BB_CLIENT_USER_NAME_BLOB = 0x000f;
const BB_CLIENT_MACHINE_NAME_BLOB = 0x0010;
const KEY_EXCHANGE_ALG_RSA = 0x01;

/** What the client does after one licensing PDU. */
export type LicenseStep =
  { readonly done: true } | { readonly done: false; readonly reply: Buffer | undefined };

/** Names for the client's New License Request. */
export interface LicenseIdentity {
  readonly username: string;
  readonly clientName: string;
}

/**
 * Handles one licensing PDU (security header included).
 * @param data the PDU as received on the I/O channel
 * @param identity the user and machine names
 * @returns done, or the reply to send (with its security header)
 */
export function handleLicensePdu(data: Uint8Array, identity: LicenseIdentity): LicenseStep {
  const reader = new ByteReader(data);
  const flags = reader.u16();
  reader.skip(2);
  if ((flags & SEC_LICENSE_PKT) === 0) {
    throw protocolError('RDP_BAD_LICENSE', 'expected a licensing PDU.');
  }
  const type = reader.u8();
  reader.skip(1);
  const size = reader.u16();
  if (size < 4 || size - 4 > reader.remaining) {
    throw protocolError('RDP_BAD_LICENSE', `licensing PDU size ${size}.`);
  }
  const body = reader.sub(size - 4, 'licensing PDU');
  switch (type) {
    case ERROR_ALERT: {
      const code = body.u32();
      if (code === STATUS_VALID_CLIENT) return { done: true };
      throw protocolError('RDP_LICENSE_ERROR', `the server's licensing failed (error ${code}).`);
    }
    case NEW_LICENSE:
    case UPGRADE_LICENSE:
      return { done: true };
    case LICENSE_REQUEST:
      return { done: false, reply: newLicenseRequest(identity) };
    case PLATFORM_CHALLENGE:
      throw protocolError(
        'RDP_LICENSE_CHALLENGE',
        'the server asked for a license platform challenge, which is not supported.',
      );
    default:
      throw protocolError('RDP_BAD_LICENSE', `unknown licensing message 0x${type.toString(16)}.`);
  }
}

function blob(type: number, data: Uint8Array): Buffer {
  return new ByteWriter().u16(type).u16(data.length).bytes(data).toBuffer();
}

/**
 * A New License Request. The premaster secret is not encrypted with the server's key: servers that
 * validate it (real license servers) answer with a platform challenge, which ends the connection.
 * @param identity the user and machine names
 * @returns the PDU with its security header
 */
export function newLicenseRequest(identity: LicenseIdentity): Buffer {
  const body = new ByteWriter()
    .u32(KEY_EXCHANGE_ALG_RSA)
    .u32(0x04000000)
    .bytes(randomBytes(32))
    .bytes(blob(BB_ENCRYPTED_DATA_BLOB, Buffer.alloc(72)))
    .bytes(blob(BB_CLIENT_USER_NAME_BLOB, Buffer.from(`${identity.username}\0`, 'latin1')))
    .bytes(blob(BB_CLIENT_MACHINE_NAME_BLOB, Buffer.from(`${identity.clientName}\0`, 'latin1')))
    .toBuffer();
  return new ByteWriter()
    .u16(SEC_LICENSE_PKT)
    .u16(0)
    .u8(NEW_LICENSE_REQUEST)
    .u8(PREAMBLE_VERSION_3)
    .u16(body.length + 4)
    .bytes(body)
    .toBuffer();
}
