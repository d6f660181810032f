/**
 * @module guacd's `rdp_freerdp_authenticate` on top of the proxy's argument prompt: when the username
 * or password is missing and the owner speaks protocol 1.3.0+, it is asked for `username` (with
 * `domain` when that is missing too) and `password`, in that order, before the RDP connection starts.
 */
import { canPrompt, promptArguments } from '../argument-prompt.js';
import type { ConnectionContext } from '../plugin.js';
import type { RdpSettings } from '../rdp/index.js';

/**
 * The names guacd asks for: `username` and `domain` when neither is set, `username` alone when only
 * the domain is, and `password` when it is missing (an empty parameter counts as missing).
 * @param settings the parsed settings
 * @returns the names, possibly none
 */
export function missingCredentials(settings: RdpSettings): string[] {
  const names: string[] = [];
  if (settings.username === '') {
    names.push('username');
    if (settings.domain === '') names.push('domain');
  }
  if (settings.password === '') names.push('password');
  return names;
}

/**
 * Fills in missing credentials by asking the owner; without anything missing, or with an owner older
 * than 1.3.0 (guacd then logs a warning and connects without them), the settings are returned as they are.
 * @param context the connection
 * @param settings the parsed settings
 * @returns the settings with the owner's answers
 * @throws {UnauthorizedError} when the owner leaves, or the connection ends, before answering
 */
export async function askMissingCredentials<T extends RdpSettings>(
  context: ConnectionContext,
  settings: T,
): Promise<T> {
  const names = missingCredentials(settings);
  if (names.length === 0) return settings;
  if (!canPrompt(context.owner)) {
    context.log('warning', 'The client cannot be asked for the missing RDP credentials.');
    return settings;
  }
  const answers = await promptArguments(context, names);
  return {
    ...settings,
    username: answers.get('username') ?? settings.username,
    domain: answers.get('domain') ?? settings.domain,
    password: answers.get('password') ?? settings.password,
  };
}
