/**
 * @module guacd's RDP connection parameters (GUAC_RDP_CLIENT_ARGS in src/protocols/rdp/settings.c),
 * declared once: the full argument list in guacd's order, and the typed settings this client uses.
 * Unknown or unsupported arguments are accepted and ignored; malformed values fall back to defaults.
 */
import {
  PERF_DISABLE_FULLWINDOWDRAG,
  PERF_DISABLE_MENUANIMATIONS,
  PERF_DISABLE_THEMING,
  PERF_DISABLE_WALLPAPER,
  PERF_ENABLE_DESKTOP_COMPOSITION,
  PERF_ENABLE_FONT_SMOOTHING,
} from './client-info.js';
import { KEYBOARD_LAYOUTS } from './keymap.js';

/** Every argument guacd's RDP plugin accepts, in guacd's order (this list is data). */
// prettier-ignore
export const RDP_ARGS = [
  'hostname', 'port', 'timeout', 'domain', 'username', 'password', 'width', 'height', 'dpi',
  'initial-program', 'color-depth', 'disable-audio', 'enable-printing', 'printer-name',
  'enable-drive', 'drive-name', 'drive-path', 'create-drive-path', 'disable-download',
  'disable-upload', 'console', 'console-audio', 'server-layout', 'security', 'ignore-cert',
  'cert-tofu', 'cert-fingerprints', 'disable-auth', 'remote-app', 'remote-app-dir',
  'remote-app-args', 'static-channels', 'client-name', 'enable-wallpaper', 'enable-theming',
  'enable-font-smoothing', 'enable-full-window-drag', 'enable-desktop-composition',
  'enable-menu-animations', 'disable-bitmap-caching', 'disable-offscreen-caching',
  'disable-glyph-caching', 'disable-gfx', 'preconnection-id', 'preconnection-blob', 'timezone',
  'enable-sftp', 'sftp-hostname', 'sftp-host-key', 'sftp-port', 'sftp-timeout', 'sftp-username',
  'sftp-password', 'sftp-private-key', 'sftp-passphrase', 'sftp-public-key', 'sftp-directory',
  'sftp-root-directory', 'sftp-server-alive-interval', 'sftp-disable-download',
  'sftp-disable-upload', 'recording-path', 'recording-name', 'recording-exclude-output',
  'recording-exclude-mouse', 'recording-exclude-touch', 'recording-include-keys',
  'create-recording-path', 'recording-write-existing', 'resize-method', 'secondary-monitors',
  'enable-audio-input', 'enable-touch', 'read-only', 'gateway-hostname', 'gateway-port',
  'gateway-domain', 'gateway-username', 'gateway-password', 'load-balance-info',
  'clipboard-buffer-size', 'disable-copy', 'disable-paste', 'wol-send-packet', 'wol-mac-addr',
  'wol-broadcast-addr', 'wol-udp-port', 'wol-wait-time', 'force-lossless', 'normalize-clipboard',
] as const;

/** The settings this client uses. */
export interface RdpSettings {
  readonly hostname: string;
  readonly port: number;
  /** Connect timeout in seconds (guacd's `timeout`, default 10). */
  readonly timeout: number;
  readonly domain: string;
  readonly username: string;
  readonly password: string;
  /** Requested desktop size; 0 means "the user's display". */
  readonly width: number;
  readonly height: number;
  readonly initialProgram: string;
  /** 8, 15, 16 or 24 (32 is requested as 24: planar bitmaps are not decoded). */
  readonly colorDepth: number;
  readonly serverLayout: string;
  readonly keyboardLayout: number;
  /** `any`, `tls`, `nla`, `nla-ext`, `rdp` or `vmconnect`. */
  readonly security: string;
  readonly ignoreCert: boolean;
  readonly clientName: string;
  readonly performanceFlags: number;
  /** `reconnect`, `display-update` or `` (none). */
  readonly resizeMethod: string;
  readonly readOnly: boolean;
  readonly forceLossless: boolean;
  readonly disableCopy: boolean;
  readonly disablePaste: boolean;
  /** The clipboard limit in bytes (`clipboard-buffer-size`, 256 KiB … 50 MiB). */
  readonly clipboardBytes: number;
}

const flag = (value: string | undefined) => value === 'true';
const integer = (value: string | undefined, min: number, max: number, fallback: number) => {
  const n = Number(value);
  return value !== undefined && value !== '' && Number.isInteger(n) && n >= min && n <= max
    ? n
    : fallback;
};

/**
 * Parses connection parameters by guacd's argument names.
 * @param values argument name → value, as received in guacd's `connect`
 * @returns the typed settings, defaults filled in
 */
export function parseRdpSettings(values: Readonly<Partial<Record<string, string>>>): RdpSettings {
  const depth = integer(values['color-depth'], 8, 32, 16);
  const layout = values['server-layout'] ?? '';
  let perf = 0;
  if (!flag(values['enable-wallpaper'])) perf |= PERF_DISABLE_WALLPAPER;
  if (!flag(values['enable-theming'])) perf |= PERF_DISABLE_THEMING;
  if (!flag(values['enable-full-window-drag'])) perf |= PERF_DISABLE_FULLWINDOWDRAG;
  if (!flag(values['enable-menu-animations'])) perf |= PERF_DISABLE_MENUANIMATIONS;
  if (flag(values['enable-font-smoothing'])) perf |= PERF_ENABLE_FONT_SMOOTHING;
  if (flag(values['enable-desktop-composition'])) perf |= PERF_ENABLE_DESKTOP_COMPOSITION;
  return {
    hostname: values.hostname ?? '',
    port: integer(values.port, 1, 65535, 3389),
    timeout: integer(values.timeout, 1, 3600, 10),
    domain: values.domain ?? '',
    username: values.username ?? '',
    password: values.password ?? '',
    width: integer(values.width, 1, 8192, 0),
    height: integer(values.height, 1, 8192, 0),
    initialProgram: values['initial-program'] ?? '',
    colorDepth: [8, 15, 16, 24].includes(depth) ? depth : depth === 32 ? 24 : 16,
    serverLayout: KEYBOARD_LAYOUTS[layout] === undefined ? 'en-us-qwerty' : layout,
    keyboardLayout: KEYBOARD_LAYOUTS[layout] ?? 0x409,
    security: (values.security ?? 'any').toLowerCase() || 'any',
    ignoreCert: flag(values['ignore-cert']),
    clientName:
      values['client-name'] === undefined || values['client-name'] === ''
        ? 'Guacamole'
        : values['client-name'],
    performanceFlags: perf,
    resizeMethod: values['resize-method'] ?? '',
    readOnly: flag(values['read-only']),
    forceLossless: flag(values['force-lossless']),
    disableCopy: flag(values['disable-copy']),
    disablePaste: flag(values['disable-paste']),
    clipboardBytes: integer(values['clipboard-buffer-size'], 262_144, 52_428_800, 262_144),
  };
}
