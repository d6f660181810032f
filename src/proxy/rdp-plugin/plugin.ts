/**
 * @module The `rdp` protocol plugin: guacd's RDP arguments, the bundled RDP client connected to the
 * owner's hostname and port at the owner's size, then an RdpSession. Missing credentials are asked of
 * the owner first (`required`), as guacd does.
 */
import { UpstreamNotFoundError } from '../../protocol/index.js';
import type { ConnectionContext, ProtocolPlugin } from '../plugin.js';
import { RDP_ARGS, parseRdpSettings } from '../rdp/index.js';
import { UNABLE_TO_CONNECT, openRdp, unsupportedSecurity } from './connect.js';
import { askMissingCredentials } from './credentials.js';
import { RdpSession } from './session.js';

/** The `rdp` plugin. */
export const rdpPlugin: ProtocolPlugin = {
  name: 'rdp',
  args: RDP_ARGS,
  connect: connectRdp,
};

async function connectRdp(context: ConnectionContext): Promise<RdpSession> {
  const parsed = parseRdpSettings(Object.fromEntries(context.owner.parameters));
  if (parsed.hostname === '') throw new UpstreamNotFoundError(`${UNABLE_TO_CONNECT} No hostname.`);
  const refused = unsupportedSecurity(parsed);
  if (refused !== undefined) throw refused;
  const info = context.owner.info;
  const settings = await askMissingCredentials(context, {
    ...parsed,
    width: parsed.width > 0 ? parsed.width : clampSize(info.width),
    height: parsed.height > 0 ? parsed.height : clampSize(info.height),
  });
  context.log('info', `Connecting to RDP server ${settings.hostname}:${settings.port}.`);
  let session: RdpSession | undefined;
  const client = await openRdp(settings, context.signal, (ready) => {
    session = new RdpSession(context, ready, settings);
  });
  const { width, height } = client.desktop;
  context.log('info', `RDP connection established (${width}x${height}).`);
  if (session === undefined) throw new Error('openRdp resolved before ready');
  return session;
}

function clampSize(n: number): number {
  return Number.isInteger(n) && n >= 64 && n <= 8192 ? n : 1024;
}
