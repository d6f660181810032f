/**
 * @module The public key CredSSP binds to (MS-CSSP 3.1.5): the contents of the TLS certificate's
 * SubjectPublicKeyInfo `subjectPublicKey` BIT STRING (for RSA, the RSAPublicKey DER), and the
 * client-to-server and server-to-client values for the negotiated CredSSP version.
 */
import { createHash, type X509Certificate } from 'node:crypto';
import { BER_SEQUENCE, readBerLength } from '../ber.js';
import { ByteReader } from '../bytes.js';
import { protocolError } from '../errors.js';

const BIT_STRING = 0x03;
/** The hash magic strings, with their terminating null (MS-CSSP 3.1.5). */
const CLIENT_MAGIC = Buffer.from('CredSSP Client-To-Server Binding Hash\0', 'latin1');
const SERVER_MAGIC = Buffer.from('CredSSP Server-To-Client Binding Hash\0', 'latin1');

/**
 * Extracts `subjectPublicKey` from a DER SubjectPublicKeyInfo.
 * @param spki the SubjectPublicKeyInfo
 * @returns the BIT STRING's bytes (after the unused-bits byte)
 */
export function subjectPublicKey(spki: Uint8Array): Buffer {
  const outer = new ByteReader(spki);
  if (outer.u8() !== BER_SEQUENCE) {
    throw protocolError('RDP_BAD_CERTIFICATE', 'SubjectPublicKeyInfo is not a SEQUENCE.');
  }
  const info = outer.sub(readBerLength(outer), 'SubjectPublicKeyInfo');
  if (info.u8() !== BER_SEQUENCE) {
    throw protocolError('RDP_BAD_CERTIFICATE', 'SubjectPublicKeyInfo has no algorithm.');
  }
  info.skip(readBerLength(info));
  if (info.u8() !== BIT_STRING) {
    throw protocolError('RDP_BAD_CERTIFICATE', 'SubjectPublicKeyInfo has no BIT STRING.');
  }
  const bits = info.sub(readBerLength(info), 'subjectPublicKey');
  if (bits.u8() !== 0) {
    throw protocolError('RDP_BAD_CERTIFICATE', 'subjectPublicKey has unused bits.');
  }
  return Buffer.from(bits.bytes(bits.remaining));
}

/**
 * The subjectPublicKey of a certificate.
 * @param certificate the server's X.509 certificate
 * @returns the key bytes CredSSP binds to
 */
export function certificatePublicKey(certificate: X509Certificate): Buffer {
  return subjectPublicKey(certificate.publicKey.export({ type: 'spki', format: 'der' }));
}

/**
 * What the client seals into pubKeyAuth: the key itself up to version 4, else SHA-256 of the
 * client-to-server magic, the nonce and the key.
 * @param version the negotiated CredSSP version
 * @param publicKey the server's subjectPublicKey
 * @param nonce the 32-byte client nonce (versions 5 and 6)
 * @returns the value to seal
 */
export function clientBinding(version: number, publicKey: Buffer, nonce: Buffer): Buffer {
  if (version < 5) return publicKey;
  return createHash('sha256').update(CLIENT_MAGIC).update(nonce).update(publicKey).digest();
}

/**
 * What the server's pubKeyAuth must unseal to: the key with its first byte incremented up to
 * version 4, else SHA-256 of the server-to-client magic, the nonce and the key.
 * @param version the negotiated CredSSP version
 * @param publicKey the server's subjectPublicKey
 * @param nonce the client nonce
 * @returns the expected value
 */
export function serverBinding(version: number, publicKey: Buffer, nonce: Buffer): Buffer {
  if (version >= 5) {
    return createHash('sha256').update(SERVER_MAGIC).update(nonce).update(publicKey).digest();
  }
  const expected = Buffer.from(publicKey);
  if (expected.length > 0) expected[0] = ((expected[0] ?? 0) + 1) & 0xff;
  return expected;
}
