/**
 * @module guacd's VNC connection parameters (GUAC_VNC_CLIENT_ARGS in src/protocols/vnc/settings.c),
 * declared once: the full argument list in guacd's order, and typed parsers for those this client uses.
 * As in guacd, a malformed value falls back to the default instead of failing the connection.
 */
import { parseClipboardEncoding } from './clipboard-encoding.js';
import { DEFAULT_ENCODINGS } from './encodings.js';
import type { VncClientOptions } from './client-options.js';

/** Every argument guacd's VNC plugin accepts, in guacd's order (this list is data). */
// prettier-ignore
export const VNC_ARGS = [
  'hostname', 'port', 'read-only', 'disable-display-resize', 'encodings', 'username', 'password',
  'swap-red-blue', 'color-depth', 'cursor', 'autoretry', 'clipboard-encoding', 'dest-host', 'dest-port',
  'enable-audio', 'audio-servername', 'reverse-connect', 'listen-timeout', 'enable-sftp',
  'sftp-hostname', 'sftp-host-key', 'sftp-port', 'sftp-timeout', 'sftp-username', 'sftp-password',
  'sftp-private-key', 'sftp-passphrase', 'sftp-public-key', 'sftp-directory', 'sftp-root-directory',
  'sftp-server-alive-interval', 'sftp-disable-download', 'sftp-disable-upload', 'recording-path',
  'recording-name', 'recording-exclude-output', 'recording-exclude-mouse', 'recording-include-keys',
  'create-recording-path', 'recording-write-existing', 'disable-copy', 'disable-paste',
  'disable-server-input', 'wol-send-packet', 'wol-mac-addr', 'wol-broadcast-addr', 'wol-udp-port',
  'wol-wait-time', 'force-lossless', 'compress-level', 'quality-level',
] as const;

/** One of guacd's VNC argument names. */
export type VncArgName = (typeof VNC_ARGS)[number];

const text = (fallback: string) => (value: string | undefined) =>
  value === undefined || value === '' ? fallback : value;
const flag = (value: string | undefined) => value === 'true';
const integer = (min: number, max: number, fallback: number) => (value: string | undefined) => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(n) && n >= min && n <= max
    ? n
    : fallback;
};
const optionalText = (value: string | undefined) =>
  value === undefined || value === '' ? undefined : value;

/** Typed parsers for the arguments this client uses; `-1` levels mean "not sent", as in guacd. */
const PARSERS = {
  hostname: text(''),
  port: integer(1, 65535, 5900),
  'read-only': flag,
  'disable-display-resize': flag,
  encodings: text(DEFAULT_ENCODINGS),
  username: optionalText,
  password: optionalText,
  'swap-red-blue': flag,
  'color-depth': integer(8, 32, 24),
  cursor: (value: string | undefined): 'local' | 'remote' =>
    value === 'remote' ? 'remote' : 'local',
  autoretry: integer(0, 1000, 0),
  'clipboard-encoding': parseClipboardEncoding,
  'disable-copy': flag,
  'disable-paste': flag,
  'disable-server-input': flag,
  'force-lossless': flag,
  'compress-level': integer(0, 9, -1),
  'quality-level': integer(0, 9, -1),
} satisfies Partial<Record<VncArgName, (value: string | undefined) => unknown>>;

/** The parsed settings this client uses. */
export type VncSettings = { readonly [K in keyof typeof PARSERS]: ReturnType<(typeof PARSERS)[K]> };

/**
 * Parses connection parameters by guacd's argument names.
 * @param values argument name → value, as received in guacd's `connect` instruction
 * @returns the typed settings, defaults filled in
 */
export function parseVncSettings(values: Readonly<Partial<Record<string, string>>>): VncSettings {
  const entries = Object.entries(PARSERS).map(([name, parse]) => [name, parse(values[name])]);
  return Object.fromEntries(entries) as VncSettings;
}

/**
 * The VncClient options these settings ask for.
 * @param settings parsed settings
 * @returns the client options
 */
export function clientOptions(settings: VncSettings): VncClientOptions {
  return {
    password: settings.password,
    username: settings.username,
    clipboardEncoding: settings['clipboard-encoding'],
    shared: true,
    encodings: settings.encodings,
    swapRedBlue: settings['swap-red-blue'],
    colorDepth: settings['color-depth'],
    cursor: settings.cursor,
    qualityLevel: settings['quality-level'] >= 0 ? settings['quality-level'] : undefined,
    compressLevel: settings['compress-level'] >= 0 ? settings['compress-level'] : undefined,
  };
}
