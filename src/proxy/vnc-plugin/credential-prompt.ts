/**
 * @module The VNC client's credential prompt on top of the proxy's argument prompt: guacd asks the owner
 * for `password` (VNC Authentication, and VeNCrypt's VNC sub-types) or for `username` and/or `password`
 * (VeNCrypt Plain), waits for the answers, then goes on with the handshake.
 */
import { promptArguments } from '../argument-prompt.js';
import type { ConnectionContext } from '../plugin.js';
import type { CredentialName, CredentialPrompt } from '../vnc/index.js';

/** Told when the owner is asked and when it has answered (the plugin stops its connect timer meanwhile). */
export interface PromptEvents {
  asking(): void;
  answered(): void;
}

/**
 * Builds the CredentialPrompt the VncClient calls when a credential is missing.
 * @param context the connection, whose owner is asked
 * @param events told before asking and after the answer (or the failure)
 * @returns the prompt
 */
export function credentialPrompt(
  context: ConnectionContext,
  events: PromptEvents,
): CredentialPrompt {
  return async (names) => {
    events.asking();
    try {
      const values = await promptArguments(context, names);
      const answers: Partial<Record<CredentialName, string>> = {};
      for (const name of names) {
        const value = values.get(name);
        if (value !== undefined) answers[name] = value;
      }
      return answers;
    } finally {
      events.answered();
    }
  };
}
