import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import type { ProxyUser } from '../../../src/proxy/index.js';
import { sendText } from '../../../src/proxy/vnc-plugin/session.js';

const TEXT = '4.size,1.0,2.64,2.48;4.sync,3.100,1.1;';

/**
 * A ProxyUser that records what it is given.
 * @param raw whether it offers sendRaw
 * @returns the user and its records
 */
function recordingUser(raw: boolean) {
  const sent: string[][] = [];
  const rawSent: string[] = [];
  const user = {
    send: (opcode: string, ...args: readonly string[]) => {
      sent.push([opcode, ...args]);
    },
    ...(raw
      ? {
          sendRaw: (text: string) => {
            rawSent.push(text);
          },
        }
      : {}),
  } as unknown as ProxyUser;
  return { user, sent, rawSent };
}

describe('sendText (the display output path of the vnc plugin)', () => {
  it('hands whole instructions to sendRaw unparsed when the user has it', () => {
    const { user, sent, rawSent } = recordingUser(true);
    sendText(user, TEXT);
    assert.deepEqual(rawSent, [TEXT]);
    assert.deepEqual(sent, []);
  });

  it('falls back to one send per instruction for a ProxyUser without sendRaw', () => {
    const { user, sent } = recordingUser(false);
    sendText(user, TEXT);
    assert.deepEqual(sent, [
      ['size', '0', '64', '48'],
      ['sync', '100', '1'],
    ]);
  });
});
