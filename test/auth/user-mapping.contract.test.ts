/**
 * @module Runs the AuthenticationProvider conformance suite against the user-mapping.xml provider, using
 * the fixture file in a temporary GUACAMOLE_HOME.
 */
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { FileAuthenticationProvider } from '../../src/auth/index.js';
import { createEnvironment, Credentials } from '../../src/extensions/api.js';
import { authProviderContract } from '../contract/auth-provider.contract.js';

const home = await mkdtemp(join(tmpdir(), 'user-mapping-contract-'));
await copyFile(
  new URL('../fixtures/user-mapping/user-mapping.xml', import.meta.url),
  join(home, 'user-mapping.xml'),
);

const login = (username: string, password: string) => (): Credentials =>
  new Credentials({ username, password, request: { remoteAddress: '127.0.0.1' } });

authProviderContract({
  name: 'user-mapping.xml (default)',
  identifier: 'default',
  create: () => new FileAuthenticationProvider(createEnvironment({ guacamoleHome: home })),
  cleanup: async () => {
    await rm(home, { recursive: true, force: true });
  },
  unknownUser: { credentials: login('nobody', 'x'), expect: 'null' },
  wrongPassword: { credentials: login('USERNAME', 'wrong'), expect: 'null' },
  users: [
    {
      identifier: 'USERNAME',
      credentials: login('USERNAME', 'PASSWORD'),
      connections: {
        DEFAULT: {
          protocol: 'vnc',
          parameters: { hostname: 'localhost', port: '5900', password: 'VNCPASS' },
        },
      },
    },
    {
      identifier: 'USERNAME2',
      credentials: login('USERNAME2', 'PASSWORD'),
      connections: {
        localhost: { protocol: 'vnc', parameters: { hostname: 'localhost', port: '5901' } },
        otherhost: { protocol: 'vnc', parameters: { hostname: 'otherhost', port: '5900' } },
      },
    },
    {
      identifier: 'USERNAME3',
      credentials: login('USERNAME3', 'pässwörd'),
      connections: {
        ssh: {
          protocol: 'ssh',
          parameters: {
            hostname: 'ssh.example',
            username: '${GUAC_USERNAME}',
            command: ' echo <&> <raw> & AB',
          },
        },
      },
    },
  ],
});
