/**
 * @module The connection parameter forms of the text protocols, ssh, telnet and kubernetes: the
 * parameters guacd's terminal-based plugins read, grouped and typed as the official frontend edits them.
 */
import type { ProtocolInfo } from '../protocols.js';
import {
  READ_ONLY_SHARING,
  TERMINAL_BEHAVIOR_FORM,
  TERMINAL_CLIPBOARD_FORM,
  TERMINAL_DISPLAY_FORM,
  TYPESCRIPT_FORM,
  WOL_FORM,
  flag,
  form,
  multiline,
  numeric,
  password,
  recordingForm,
  text,
  timezone,
  username,
} from './fields.js';

/** ssh. */
export const SSH: ProtocolInfo = {
  name: 'ssh',
  connectionForms: [
    form('network', text('hostname'), numeric('port'), text('host-key'), numeric('timeout')),
    form(
      'authentication',
      username('username'),
      password('password'),
      multiline('private-key'),
      password('passphrase'),
      multiline('public-key'),
    ),
    TERMINAL_DISPLAY_FORM,
    TERMINAL_CLIPBOARD_FORM,
    form(
      'session',
      text('command'),
      text('locale'),
      timezone('timezone'),
      numeric('server-alive-interval'),
    ),
    TERMINAL_BEHAVIOR_FORM,
    TYPESCRIPT_FORM,
    recordingForm(),
    form(
      'sftp',
      flag('enable-sftp'),
      text('sftp-root-directory'),
      flag('sftp-disable-download'),
      flag('sftp-disable-upload'),
    ),
    WOL_FORM,
  ],
  sharingProfileForms: READ_ONLY_SHARING,
};

/** telnet. */
export const TELNET: ProtocolInfo = {
  name: 'telnet',
  connectionForms: [
    form('network', text('hostname'), numeric('port'), numeric('timeout')),
    form(
      'authentication',
      username('username'),
      password('password'),
      text('username-regex'),
      text('password-regex'),
      text('login-success-regex'),
      text('login-failure-regex'),
    ),
    TERMINAL_DISPLAY_FORM,
    TERMINAL_CLIPBOARD_FORM,
    TERMINAL_BEHAVIOR_FORM,
    TYPESCRIPT_FORM,
    recordingForm(),
    WOL_FORM,
  ],
  sharingProfileForms: READ_ONLY_SHARING,
};

/** kubernetes (a container's console through the Kubernetes API). */
export const KUBERNETES: ProtocolInfo = {
  name: 'kubernetes',
  connectionForms: [
    form(
      'network',
      text('hostname'),
      numeric('port'),
      flag('use-ssl'),
      flag('ignore-cert'),
      multiline('ca-cert'),
    ),
    form('container', text('namespace'), text('pod'), text('container'), text('exec-command')),
    form('authentication', multiline('client-cert'), multiline('client-key')),
    TERMINAL_DISPLAY_FORM,
    TERMINAL_CLIPBOARD_FORM,
    TERMINAL_BEHAVIOR_FORM,
    TYPESCRIPT_FORM,
    recordingForm(),
  ],
  sharingProfileForms: READ_ONLY_SHARING,
};
