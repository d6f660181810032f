/**
 * @module The Client Info PDU (TS_INFO_PACKET with TS_EXTENDED_INFO_PACKET, MS-RDPBCGR 2.2.1.11): the
 * credentials for auto-logon, the shell, and the performance flags, behind a basic security header.
 */
import { ByteWriter } from './bytes.js';
import type { RdpSettings } from './settings.js';

/** Basic security header flag of the Client Info PDU. */
export const SEC_INFO_PKT = 0x0040;

/** TS_INFO_PACKET flags. */
export const INFO_MOUSE = 0x00000001;
export const INFO_DISABLECTRLALTDEL = 0x00000002;
export const INFO_AUTOLOGON = 0x00000008;
export const INFO_UNICODE = 0x00000010;
export const INFO_MAXIMIZESHELL = 0x00000020;
export const INFO_LOGONNOTIFY = 0x00000040;
export const INFO_ENABLEWINDOWSKEY = 0x00000100;
export const INFO_MOUSE_HAS_WHEEL = 0x00020000;
export const INFO_NOAUDIOPLAYBACK = 0x00080000;

/** Performance flags (TS_EXTENDED_INFO_PACKET). */
export const PERF_DISABLE_WALLPAPER = 0x01;
export const PERF_DISABLE_FULLWINDOWDRAG = 0x02;
export const PERF_DISABLE_MENUANIMATIONS = 0x04;
export const PERF_DISABLE_THEMING = 0x08;
export const PERF_ENABLE_FONT_SMOOTHING = 0x80;
export const PERF_ENABLE_DESKTOP_COMPOSITION = 0x100;

/** The Client Info PDU's contents. */
export interface ClientInfoOptions {
  readonly domain: string;
  readonly username: string;
  readonly password: string;
  readonly shell: string;
  readonly workingDir: string;
  readonly performanceFlags: number;
  readonly audio: boolean;
}

function utf16z(text: string): Buffer {
  return Buffer.from(`${text}\0`, 'utf16le');
}

/**
 * The Client Info PDU with its basic security header.
 * @param options the credentials, shell and flags
 * @returns the PDU (to send on the I/O channel)
 */
export function clientInfoPdu(options: ClientInfoOptions): Buffer {
  let flags =
    INFO_MOUSE |
    INFO_DISABLECTRLALTDEL |
    INFO_UNICODE |
    INFO_MAXIMIZESHELL |
    INFO_LOGONNOTIFY |
    INFO_ENABLEWINDOWSKEY |
    INFO_MOUSE_HAS_WHEEL;
  if (options.password !== '') flags |= INFO_AUTOLOGON;
  if (!options.audio) flags |= INFO_NOAUDIOPLAYBACK;
  const fields = [
    options.domain,
    options.username,
    options.password,
    options.shell,
    options.workingDir,
  ].map((text) => text.slice(0, 255));
  const writer = new ByteWriter().u16(SEC_INFO_PKT).u16(0).u32(0).u32(flags);
  for (const text of fields) writer.u16(Buffer.byteLength(text, 'utf16le'));
  for (const text of fields) writer.bytes(utf16z(text));
  const address = utf16z('127.0.0.1');
  const dir = utf16z('C:\\Windows\\System32\\mstscax.dll');
  writer.u16(2).u16(address.length).bytes(address).u16(dir.length).bytes(dir);
  writer.zeros(172); // clientTimeZone: UTC
  writer.u32(0).u32(options.performanceFlags).u16(0);
  return writer.toBuffer();
}

/**
 * The Client Info PDU for a connection's settings (no audio, no working directory).
 * @param settings credentials, initial program and performance flags
 * @returns the PDU with its basic security header
 */
export function clientInfoForSettings(settings: RdpSettings): Buffer {
  return clientInfoPdu({
    domain: settings.domain,
    username: settings.username,
    password: settings.password,
    shell: settings.initialProgram,
    workingDir: '',
    performanceFlags: settings.performanceFlags,
    audio: false,
  });
}
