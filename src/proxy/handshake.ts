/**
 * @module The daemon side of the handshake (guacd's connection.c and user-handshake.c): `select` with exactly
 * one argument, then `size`, `audio`, `video`, `image`, `timezone` and `name` in any order until `connect`.
 */
import {
  ClientError,
  ProtocolVersion,
  codePointCount,
  defaultClientInformation,
  type ClientInformation,
} from '../protocol/index.js';
import type { ProxyLogger } from './plugin.js';
import type { UserChannel } from './user-channel.js';

/** What `connect` brought: the client information gathered before it, and its values. */
export interface ConnectRequest {
  /** Size, DPI, mimetypes, time zone and name, guacd's defaults where the client sent nothing. */
  readonly info: ClientInformation;
  /** The `connect` arguments: the version first, then one value per advertised parameter. */
  readonly values: readonly string[];
}

/** Longest name quoted back in error messages and logs. */
const MAX_QUOTED = 64;

/**
 * Quotes client-supplied text for a message, or describes it when it is too long or unprintable
 * (CVE-2012-4415: protocol names are never trusted).
 * @param text the text
 * @returns `"text"` or a description
 */
export function quote(text: string): string {
  if (codePointCount(text) > MAX_QUOTED) return `(a name of ${codePointCount(text)} characters)`;
  if (!/^[\x20-\x7e]*$/.test(text) || text.includes('"')) return '(an unprintable name)';
  return `"${text}"`;
}

/**
 * Reads `select` (connection.c: guac_parser_expect "select", then argc must be 1).
 * @param channel the user's channel
 * @param timeoutMs guacd's GUACD_TIMEOUT (15 s)
 * @returns the protocol name or `$`-prefixed connection ID, or undefined when the user left
 * @throws {ClientError} on another opcode or a wrong argument count
 * @throws {ClientTimeoutError} when nothing arrives in time
 */
export async function readSelect(
  channel: UserChannel,
  timeoutMs: number,
): Promise<string | undefined> {
  const instruction = await channel.read(timeoutMs);
  if (instruction === null) return undefined;
  if (instruction.opcode !== 'select') {
    throw new ClientError(`Expected "select" but received ${quote(instruction.opcode)}.`);
  }
  const [selected] = instruction.args;
  if (selected === undefined || instruction.args.length !== 1) {
    throw new ClientError(`Bad number of arguments to "select" (${instruction.args.length}).`);
  }
  return selected;
}

/**
 * Reads the client's handshake instructions until `connect` (guacd ≥ 1.1.0 accepts them in any order).
 * @param channel the user's channel
 * @param timeoutMs the user timeout applied to every read
 * @param log the proxy's logger
 * @returns the client information and `connect` values, or undefined when the user left
 * @throws {ClientError} when `size` lacks its width and height
 * @throws {ClientTimeoutError} when the user falls silent
 */
export async function readConnect(
  channel: UserChannel,
  timeoutMs: number,
  log: ProxyLogger,
): Promise<ConnectRequest | undefined> {
  const info = defaultClientInformation();
  for (;;) {
    const instruction = await channel.read(timeoutMs);
    if (instruction === null) return undefined;
    const { opcode, args } = instruction;
    switch (opcode) {
      case 'connect':
        return { info, values: args };
      case 'size': {
        const [width, height, dpi] = args.map(atoi);
        if (width === undefined || height === undefined) {
          throw new ClientError('Received "size" instruction lacked required arguments.');
        }
        info.width = width;
        info.height = height;
        info.dpi = dpi ?? 96;
        break;
      }
      case 'audio':
        info.audioMimetypes = [...args];
        break;
      case 'video':
        info.videoMimetypes = [...args];
        break;
      case 'image':
        info.imageMimetypes = [...args];
        break;
      case 'timezone':
        if (args[0] !== undefined) info.timezone = args[0];
        break;
      case 'name':
        if (args[0] !== undefined) info.name = args[0];
        break;
      default:
        log('debug', `Ignoring unknown handshake instruction ${quote(opcode)}.`);
    }
  }
}

/**
 * The version a `connect` names in its first value, capped at the newest this proxy speaks.
 * @param first the first `connect` value
 * @returns the version, or 1.0.0 when the value is not a version
 */
export function negotiatedVersion(first: string | undefined): ProtocolVersion {
  const version = first === undefined ? undefined : ProtocolVersion.parse(first);
  if (version === undefined) return ProtocolVersion.VERSION_1_0_0;
  return version.atLeast(ProtocolVersion.LATEST) ? ProtocolVersion.LATEST : version;
}

/** C's `atoi` on well-formed numbers: leading digits, 0 when there are none. */
function atoi(text: string): number {
  const match = /^\s*[+-]?\d{1,9}/.exec(text);
  return match === null ? 0 : Number.parseInt(match[0], 10);
}
