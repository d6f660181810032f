/**
 * @module The connection parameter forms of the graphical protocols, vnc and rdp: the parameters guacd's
 * plugins read, grouped and typed as the official frontend edits them.
 */
import type { ProtocolInfo } from '../protocols.js';
import {
  CLIPBOARD_SIZES,
  COLOR_DEPTHS,
  GRAPHICAL_SFTP_FORM,
  READ_ONLY_SHARING,
  WOL_FORM,
  choice,
  flag,
  form,
  numeric,
  password,
  recordingForm,
  text,
  timezone,
  username,
} from './fields.js';

/** Clipboard buffer sizes of vnc and rdp: up to 50 MiB. */
const LARGE_CLIPBOARD_SIZES = [...CLIPBOARD_SIZES, '52428800'];

/** Compression and quality levels. */
const DIGITS = ['0', '1', '2', '3', '4', '5', '6', '7', '8', '9'];

/** RDP keyboard layouts guacd knows (`server-layout`). */
const RDP_LAYOUTS = [
  ...['cs-cz-qwertz', 'de-ch-qwertz', 'de-de-qwertz', 'en-gb-qwerty', 'en-us-qwerty'],
  ...['es-es-qwerty', 'es-latam-qwerty', 'fr-be-azerty', 'fr-fr-azerty', 'fr-ca-qwerty'],
  ...['fr-ch-qwertz', 'hu-hu-qwertz', 'it-it-qwerty', 'ja-jp-qwerty', 'no-no-qwerty'],
  ...['pl-pl-qwerty', 'pt-br-qwerty', 'pt-pt-qwerty', 'ro-ro-qwerty', 'sv-se-qwerty'],
  ...['da-dk-qwerty', 'tr-tr-qwerty', 'failsafe'],
];

/** vnc. */
export const VNC: ProtocolInfo = {
  name: 'vnc',
  connectionForms: [
    form('network', text('hostname'), numeric('port')),
    form('authentication', username('username'), password('password')),
    form(
      'display',
      flag('read-only'),
      flag('disable-server-input'),
      flag('disable-display-resize'),
      flag('swap-red-blue'),
      choice('cursor', 'local', 'remote'),
      choice('color-depth', ...COLOR_DEPTHS),
      flag('force-lossless'),
      choice('compress-level', ...DIGITS),
      choice('quality-level', ...DIGITS),
      text('encodings'),
    ),
    form(
      'clipboard',
      choice('clipboard-buffer-size', ...LARGE_CLIPBOARD_SIZES),
      choice('clipboard-encoding', 'ISO8859-1', 'UTF-8', 'UTF-16', 'CP1252', 'MacRoman'),
      flag('disable-copy'),
      flag('disable-paste'),
    ),
    form('repeater', text('dest-host'), numeric('dest-port')),
    recordingForm(),
    GRAPHICAL_SFTP_FORM,
    form('audio', flag('enable-audio'), text('audio-servername')),
    WOL_FORM,
  ],
  sharingProfileForms: READ_ONLY_SHARING,
};

/** rdp. */
export const RDP: ProtocolInfo = {
  name: 'rdp',
  connectionForms: [
    form('network', text('hostname'), numeric('port'), numeric('timeout')),
    form(
      'authentication',
      username('username'),
      password('password'),
      text('domain'),
      choice('security', 'any', 'nla', 'rdp', 'tls', 'vmconnect'),
      flag('disable-auth'),
      flag('ignore-cert'),
      flag('cert-tofu'),
      text('cert-fingerprints'),
    ),
    form(
      'gateway',
      text('gateway-hostname'),
      numeric('gateway-port'),
      username('gateway-username'),
      password('gateway-password'),
      text('gateway-domain'),
    ),
    form(
      'basic-parameters',
      text('initial-program'),
      text('client-name'),
      choice('server-layout', ...RDP_LAYOUTS),
      timezone('timezone'),
      flag('enable-touch'),
      flag('console'),
    ),
    form(
      'display',
      numeric('width'),
      numeric('height'),
      numeric('dpi'),
      choice('color-depth', ...COLOR_DEPTHS),
      flag('force-lossless'),
      choice('resize-method', 'display-update', 'reconnect'),
      flag('read-only'),
    ),
    form(
      'clipboard',
      choice('normalize-clipboard', 'preserve', 'unix', 'windows'),
      choice('clipboard-buffer-size', ...LARGE_CLIPBOARD_SIZES),
      flag('disable-copy'),
      flag('disable-paste'),
    ),
    form(
      'device-redirection',
      flag('console-audio'),
      flag('disable-audio'),
      flag('enable-audio-input'),
      flag('enable-printing'),
      text('printer-name'),
      flag('enable-drive'),
      text('drive-name'),
      flag('disable-download'),
      flag('disable-upload'),
      text('drive-path'),
      flag('create-drive-path'),
      text('static-channels'),
    ),
    form(
      'performance',
      ...['enable-wallpaper', 'enable-theming', 'enable-font-smoothing'].map(flag),
      ...['enable-full-window-drag', 'enable-desktop-composition', 'enable-menu-animations'].map(
        flag,
      ),
      ...['disable-bitmap-caching', 'disable-offscreen-caching', 'disable-glyph-caching'].map(flag),
      flag('disable-gfx'),
    ),
    form('remoteapp', text('remote-app'), text('remote-app-dir'), text('remote-app-args')),
    form('preconnection-pdu', numeric('preconnection-id'), text('preconnection-blob')),
    form('load-balancing', text('load-balance-info')),
    recordingForm(true),
    GRAPHICAL_SFTP_FORM,
    WOL_FORM,
  ],
  sharingProfileForms: READ_ONLY_SHARING,
};
