/**
 * @module CredSSP's DER structures (MS-CSSP 2.2.1): TSRequest (versions 2 to 6: negoTokens, authInfo,
 * pubKeyAuth, errorCode, clientNonce), TSCredentials with TSPasswordCreds, and TsRequestReader, which
 * cuts the TLS stream into whole TSRequests. Every length is checked against the bytes present.
 */
import {
  BER_INTEGER,
  BER_OCTET_STRING,
  BER_SEQUENCE,
  berInteger,
  berTlv,
  readBerLength,
} from '../ber.js';
import { ByteReader } from '../bytes.js';
import { protocolError } from '../errors.js';

/** A TSRequest; absent optional fields are undefined. */
export interface TsRequest {
  readonly version: number;
  readonly negoTokens?: readonly Buffer[];
  readonly authInfo?: Buffer;
  readonly pubKeyAuth?: Buffer;
  /** An NTSTATUS (unsigned 32-bit). */
  readonly errorCode?: number;
  readonly clientNonce?: Buffer;
}

/** The largest TSRequest accepted from a server. */
export const MAX_TS_REQUEST = 0xffff;

const context = (n: number) => 0xa0 | n;
const octets = (n: number, data: Uint8Array) => berTlv(context(n), berTlv(BER_OCTET_STRING, data));

/**
 * DER-encodes a TSRequest.
 * @param request the fields
 * @returns the encoding
 */
export function encodeTsRequest(request: TsRequest): Buffer {
  const fields: Buffer[] = [berTlv(context(0), berInteger(request.version))];
  if (request.negoTokens !== undefined) {
    const items = request.negoTokens.map((token) => berTlv(BER_SEQUENCE, octets(0, token)));
    fields.push(berTlv(context(1), berTlv(BER_SEQUENCE, Buffer.concat(items))));
  }
  if (request.authInfo !== undefined) fields.push(octets(2, request.authInfo));
  if (request.pubKeyAuth !== undefined) fields.push(octets(3, request.pubKeyAuth));
  if (request.errorCode !== undefined) {
    fields.push(berTlv(context(4), signedInteger(request.errorCode)));
  }
  if (request.clientNonce !== undefined) fields.push(octets(5, request.clientNonce));
  return berTlv(BER_SEQUENCE, Buffer.concat(fields));
}

/**
 * Decodes a TSRequest; unknown context fields are skipped.
 * @param data one whole TSRequest
 * @returns the fields
 */
export function decodeTsRequest(data: Uint8Array): TsRequest {
  const outer = new ByteReader(data);
  const body = tlv(outer, BER_SEQUENCE, 'TSRequest');
  if (outer.remaining !== 0) {
    throw protocolError('RDP_BAD_CREDSSP', `${outer.remaining} bytes after the TSRequest.`);
  }
  let version: number | undefined;
  let negoTokens: Buffer[] | undefined;
  let authInfo: Buffer | undefined;
  let pubKeyAuth: Buffer | undefined;
  let errorCode: number | undefined;
  let clientNonce: Buffer | undefined;
  while (body.remaining > 0) {
    const tag = body.u8();
    const field = body.sub(readBerLength(body), 'TSRequest field');
    if (tag === context(0)) version = integer(field, 'TSRequest.version');
    else if (tag === context(1)) negoTokens = readNegoData(field);
    else if (tag === context(2)) authInfo = octetString(field, 'TSRequest.authInfo');
    else if (tag === context(3)) pubKeyAuth = octetString(field, 'TSRequest.pubKeyAuth');
    else if (tag === context(4)) errorCode = integer(field, 'TSRequest.errorCode');
    else if (tag === context(5)) clientNonce = octetString(field, 'TSRequest.clientNonce');
  }
  if (version === undefined) throw protocolError('RDP_BAD_CREDSSP', 'TSRequest without a version.');
  return {
    version,
    ...(negoTokens === undefined ? {} : { negoTokens }),
    ...(authInfo === undefined ? {} : { authInfo }),
    ...(pubKeyAuth === undefined ? {} : { pubKeyAuth }),
    ...(errorCode === undefined ? {} : { errorCode }),
    ...(clientNonce === undefined ? {} : { clientNonce }),
  };
}

/**
 * TSCredentials (credType 1) wrapping TSPasswordCreds, all text UTF-16LE.
 * @param domain the domain
 * @param user the user name
 * @param password the password
 * @returns the encoding
 */
export function encodeTsCredentials(domain: string, user: string, password: string): Buffer {
  const text = (n: number, value: string) => octets(n, Buffer.from(value, 'utf16le'));
  const passwordCreds = berTlv(
    BER_SEQUENCE,
    Buffer.concat([text(0, domain), text(1, user), text(2, password)]),
  );
  return berTlv(
    BER_SEQUENCE,
    Buffer.concat([berTlv(context(0), berInteger(1)), octets(1, passwordCreds)]),
  );
}

/** Cuts a byte stream into whole DER SEQUENCEs (TSRequests), however the chunks are split. */
export class TsRequestReader {
  #buffer = Buffer.alloc(0);

  /**
   * Appends received bytes.
   * @param chunk the bytes
   */
  push(chunk: Uint8Array): void {
    this.#buffer = Buffer.concat([this.#buffer, chunk]);
  }

  /**
   * Takes the next whole TSRequest; bytes after it are not looked at until asked for.
   * @returns the TSRequest, or undefined while it is incomplete
   */
  next(): Buffer | undefined {
    const length = this.#messageLength();
    if (length === undefined || this.#buffer.length < length) return undefined;
    const message = this.#buffer.subarray(0, length);
    this.#buffer = this.#buffer.subarray(length);
    return message;
  }

  /** Takes what is buffered beyond the last whole message. */
  takeRest(): Buffer {
    const rest = this.#buffer;
    this.#buffer = Buffer.alloc(0);
    return rest;
  }

  #messageLength(): number | undefined {
    const b = this.#buffer;
    if (b.length < 2) return undefined;
    if (b[0] !== BER_SEQUENCE) {
      throw protocolError(
        'RDP_BAD_CREDSSP',
        `expected a TSRequest (DER SEQUENCE), got byte 0x${(b[0] ?? 0).toString(16)}.`,
      );
    }
    const first = b[1] ?? 0;
    if (first < 0x80) return 2 + first;
    const count = first & 0x7f;
    if (count < 1 || count > 3) {
      throw protocolError('RDP_BAD_CREDSSP', `TSRequest length of ${count} bytes.`);
    }
    if (b.length < 2 + count) return undefined;
    let length = 0;
    for (let i = 0; i < count; i++) length = length * 256 + (b[2 + i] ?? 0);
    if (length > MAX_TS_REQUEST) {
      throw protocolError('RDP_BAD_CREDSSP', `TSRequest of ${length} bytes is too long.`);
    }
    return 2 + count + length;
  }
}

function tlv(reader: ByteReader, tag: number, what: string): ByteReader {
  const got = reader.u8();
  if (got !== tag) {
    throw protocolError('RDP_BAD_CREDSSP', `${what}: tag 0x${got.toString(16)} is not expected.`);
  }
  return reader.sub(readBerLength(reader), what);
}

function octetString(field: ByteReader, what: string): Buffer {
  const value = tlv(field, BER_OCTET_STRING, what);
  return Buffer.from(value.bytes(value.remaining));
}

/** An INTEGER of up to 5 bytes, as an unsigned 32-bit value (NTSTATUS codes are negative in DER). */
function integer(field: ByteReader, what: string): number {
  const value = tlv(field, BER_INTEGER, what);
  if (value.remaining < 1 || value.remaining > 5) {
    throw protocolError('RDP_BAD_CREDSSP', `${what}: ${value.remaining}-byte integer.`);
  }
  let n = 0;
  while (value.remaining > 0) n = ((n << 8) | value.u8()) >>> 0;
  return n;
}

function readNegoData(field: ByteReader): Buffer[] {
  const list = tlv(field, BER_SEQUENCE, 'TSRequest.negoTokens');
  const tokens: Buffer[] = [];
  while (list.remaining > 0) {
    const item = tlv(list, BER_SEQUENCE, 'NegoDataItem');
    const token = tlv(item, context(0), 'NegoDataItem.negoToken');
    tokens.push(octetString(token, 'NegoDataItem.negoToken'));
  }
  return tokens;
}

/** A 4-byte-or-shorter two's complement INTEGER of a 32-bit value. */
function signedInteger(value: number): Buffer {
  const bytes = Buffer.alloc(4);
  bytes.writeInt32BE(value | 0);
  let start = 0;
  while (
    start < 3 &&
    ((bytes[start] === 0 && ((bytes[start + 1] ?? 0) & 0x80) === 0) ||
      (bytes[start] === 0xff && ((bytes[start + 1] ?? 0) & 0x80) !== 0))
  ) {
    start++;
  }
  return berTlv(BER_INTEGER, bytes.subarray(start));
}
