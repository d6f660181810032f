/**
 * @module Building blocks of connection parameter forms (guacamole-ext's `Form` and `Field` as the REST
 * API serialises them: `{name, fields}` and `{name, type, options?}`), and the forms several protocols
 * share (recording, SFTP, Wake-on-LAN and the terminal settings of ssh, telnet and kubernetes).
 */

/** One form field: a guacd parameter name and how the frontend edits it. */
export interface ProtocolField {
  readonly name: string;
  readonly type: string;
  readonly options?: readonly string[];
}

/** A named group of fields. */
export interface ProtocolForm {
  readonly name: string;
  readonly fields: readonly ProtocolField[];
}

/**
 * @param name the form's name (a translation key suffix in the frontend)
 * @param fields its fields, in display order
 * @returns the form
 */
export const form = (name: string, ...fields: ProtocolField[]): ProtocolForm => ({ name, fields });

/** A free-text field. */
export const text = (name: string): ProtocolField => ({ name, type: 'TEXT' });
/** A number field. */
export const numeric = (name: string): ProtocolField => ({ name, type: 'NUMERIC' });
/** A user name field. */
export const username = (name: string): ProtocolField => ({ name, type: 'USERNAME' });
/** A password field. */
export const password = (name: string): ProtocolField => ({ name, type: 'PASSWORD' });
/** A multi-line text field (keys, certificates). */
export const multiline = (name: string): ProtocolField => ({ name, type: 'MULTILINE' });
/** A time zone picker. */
export const timezone = (name: string): ProtocolField => ({ name, type: 'TIMEZONE' });
/** A checkbox whose checked value is `true`. */
export const flag = (name: string): ProtocolField => ({ name, type: 'BOOLEAN', options: ['true'] });

/**
 * A drop-down list; the first choice, `""`, is the unset default.
 * @param name the parameter
 * @param choices the values after `""`
 * @returns the field
 */
export const choice = (name: string, ...choices: string[]): ProtocolField => ({
  name,
  type: 'ENUM',
  options: ['', ...choices],
});

/** Clipboard buffer sizes offered: 256 KiB, 1 MiB and 10 MiB, plus 50 MiB where the protocol allows. */
export const CLIPBOARD_SIZES = ['262144', '1048576', '10485760'] as const;

/** Colour depths offered by the graphical protocols. */
export const COLOR_DEPTHS = ['8', '16', '24', '32'] as const;

/**
 * The session recording form.
 * @param touch whether the protocol can leave touch events out (rdp)
 * @returns the form
 */
export function recordingForm(touch = false): ProtocolForm {
  return form(
    'recording',
    text('recording-path'),
    text('recording-name'),
    flag('recording-exclude-output'),
    flag('recording-exclude-mouse'),
    ...(touch ? [flag('recording-exclude-touch')] : []),
    flag('recording-include-keys'),
    flag('recording-include-clipboard'),
    flag('create-recording-path'),
    flag('recording-write-existing'),
  );
}

/** The SFTP form of the graphical protocols (vnc, rdp), which connect to a separate SSH server. */
export const GRAPHICAL_SFTP_FORM: ProtocolForm = form(
  'sftp',
  flag('enable-sftp'),
  text('sftp-hostname'),
  numeric('sftp-port'),
  numeric('sftp-timeout'),
  text('sftp-host-key'),
  username('sftp-username'),
  password('sftp-password'),
  multiline('sftp-private-key'),
  password('sftp-passphrase'),
  multiline('sftp-public-key'),
  text('sftp-root-directory'),
  text('sftp-directory'),
  numeric('sftp-server-alive-interval'),
  flag('sftp-disable-download'),
  flag('sftp-disable-upload'),
);

/** Wake-on-LAN before connecting. */
export const WOL_FORM: ProtocolForm = form(
  'wol',
  flag('wol-send-packet'),
  text('wol-mac-addr'),
  text('wol-broadcast-addr'),
  numeric('wol-udp-port'),
  numeric('wol-wait-time'),
);

/** How a terminal looks (ssh, telnet, kubernetes). */
export const TERMINAL_DISPLAY_FORM: ProtocolForm = form(
  'display',
  {
    name: 'color-scheme',
    type: 'TERMINAL_COLOR_SCHEME',
    options: ['', 'black-white', 'gray-black', 'green-black', 'white-black'],
  },
  text('font-name'),
  choice('font-size', ...'8 9 10 11 12 14 18 24 30 36 48 60 72 96'.split(' ')),
  numeric('scrollback'),
  flag('read-only'),
);

/** A terminal's clipboard. */
export const TERMINAL_CLIPBOARD_FORM: ProtocolForm = form(
  'clipboard',
  choice('clipboard-buffer-size', ...CLIPBOARD_SIZES),
  flag('disable-copy'),
  flag('disable-paste'),
);

/** What a terminal's keys send, and the terminal type it announces. */
export const TERMINAL_BEHAVIOR_FORM: ProtocolForm = form(
  'behavior',
  choice('backspace', '127', '8'),
  choice('func-keys-and-keypad', 'esc', 'vt100'),
  choice('terminal-type', 'xterm', 'xterm-256color', 'vt220', 'vt100', 'ansi', 'linux'),
);

/** Recording a terminal's text output (typescript). */
export const TYPESCRIPT_FORM: ProtocolForm = form(
  'typescript',
  text('typescript-path'),
  text('typescript-name'),
  flag('create-typescript-path'),
  flag('typescript-write-existing'),
);

/** What every protocol offers for sharing profiles: a read-only view. */
export const READ_ONLY_SHARING: readonly ProtocolForm[] = [form('display', flag('read-only'))];
