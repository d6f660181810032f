/**
 * @module The protocol definitions this server ships (guacamole-ext bundles the same five): forms for
 * vnc, rdp, ssh, telnet and kubernetes. A file of the same name in GUACAMOLE_HOME/protocols replaces one.
 */
import type { ProtocolInfo } from '../protocols.js';
import { RDP, VNC } from './graphical.js';
import { KUBERNETES, SSH, TELNET } from './terminal.js';

export type { ProtocolField, ProtocolForm } from './fields.js';

/** The built-in definitions, by protocol name. */
export const BUILT_IN_PROTOCOLS: readonly ProtocolInfo[] = [KUBERNETES, RDP, SSH, TELNET, VNC];
