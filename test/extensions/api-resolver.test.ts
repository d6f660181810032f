/**
 * @module `guacamole-gateway/extension-api` resolves for an extension installed in GUACAMOLE_HOME with no
 * `node_modules` at all, to the server's own API module: the provider it builds extends the server's
 * SimpleAuthenticationProvider and throws the server's error classes.
 */
import assert from 'node:assert/strict';
import { afterEach, beforeEach, describe, it } from 'node:test';
import {
  Credentials,
  InvalidCredentialsError,
  SimpleAuthenticationProvider,
} from '../../src/extensions/api.js';
import {
  BuiltInPortRegistry,
  EXTENSION_API_SPECIFIER,
  loadExtensions,
  registerExtensionApiResolver,
  type LoadedExtensions,
} from '../../src/extensions/index.js';
import { configuration, RecordingLogger, TestHome } from './helpers.js';

/** A provider written as a third party would: only the API's public name, no dependencies. */
const PROVIDER = `import {
  InvalidCredentialsError,
  CredentialsInfo,
  SimpleAuthenticationProvider,
  GuacamoleConfiguration,
} from '${EXTENSION_API_SPECIFIER}';

export default class ResolvedProvider extends SimpleAuthenticationProvider {
  getIdentifier() {
    return 'resolved';
  }
  async getAuthorizedConfigurations(credentials) {
    if (credentials.username !== 'carol') {
      throw new InvalidCredentialsError('Not carol.', CredentialsInfo.USERNAME_PASSWORD);
    }
    return { box: new GuacamoleConfiguration({ protocol: 'ssh' }) };
  }
}
`;

void describe('the extension API resolve hook', () => {
  let home: TestHome;
  let loaded: LoadedExtensions | undefined;
  beforeEach(async () => {
    home = await TestHome.create();
  });
  afterEach(async () => {
    await loaded?.close();
    await home.cleanup();
  });

  void it("resolves the public name to the server's own API module", async () => {
    await home.writeFolder(
      'resolved',
      new Map([
        [
          'guac-manifest.json',
          JSON.stringify({
            guacamoleVersion: '1.6.0',
            name: 'Resolved',
            namespace: 'resolved',
            authProviders: ['dist/provider.js'],
          }),
        ],
        ['package.json', JSON.stringify({ type: 'module' })],
        ['dist/provider.js', PROVIDER],
      ]),
    );
    const logger = new RecordingLogger();
    loaded = await loadExtensions({
      configuration: configuration(),
      guacamoleHome: home.home,
      logger,
      ports: new BuiltInPortRegistry(),
      temporaryDirectory: home.temp,
    });
    assert.equal(loaded.providers.length, 1, JSON.stringify(logger.lines));
    const provider = loaded.providers[0]?.provider;
    assert.ok(provider instanceof SimpleAuthenticationProvider, 'the same class, not a copy');
    assert.equal(provider.getIdentifier(), 'resolved');
    await assert.rejects(
      provider.authenticateUser(new Credentials({ username: 'dave', password: 'x' })),
      InvalidCredentialsError,
    );
    const user = await provider.authenticateUser(
      new Credentials({ username: 'carol', password: 'x' }),
    );
    assert.equal(user?.identifier, 'carol');
    assert.equal(registerExtensionApiResolver(), false, 'registered once');
  });
});
