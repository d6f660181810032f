/**
 * @module Tests of the user-mapping.xml provider (spec §4): parsing (DEFAULT connection, named
 * connections, text and entities, duplicates), password encodings, malformed files with line numbers,
 * character encodings, and re-reading on modification-time changes.
 */
import assert from 'node:assert/strict';
import { copyFile, mkdtemp, readFile, rm, utimes, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  Authorization,
  decodeXml,
  FileAuthenticationProvider,
  parseUserMapping,
  UserMappingSyntaxError,
  type UserMapping,
  type UserMappingFileSystem,
} from '../../src/auth/index.js';
import { createEnvironment, type GuacamoleConfiguration } from '../../src/extensions/api.js';
import { credentials, RecordingLogger } from './support.js';

const FIXTURES = new URL('../fixtures/user-mapping/', import.meta.url);

async function fixture(name: string): Promise<string> {
  return decodeXml(await readFile(new URL(name, FIXTURES)));
}

function configurationsOf(
  mapping: UserMapping,
  username: string,
): Map<string, GuacamoleConfiguration> {
  const authorization = mapping.getAuthorization(username);
  assert.ok(authorization, `no authorization for ${username}`);
  return authorization.getConfigurations();
}

describe('parseUserMapping', () => {
  let mapping: UserMapping;
  before(async () => {
    mapping = parseUserMapping(await fixture('user-mapping.xml'));
  });

  it('turns protocol and params directly inside authorize into the DEFAULT connection', () => {
    const configs = configurationsOf(mapping, 'USERNAME');
    assert.deepEqual([...configs.keys()], ['DEFAULT']);
    const config = configs.get('DEFAULT');
    assert.equal(config?.protocol, 'vnc');
    assert.deepEqual(config.getParameters(), {
      hostname: 'localhost',
      port: '5900',
      password: 'VNCPASS',
    });
  });

  it('keeps named connections sorted by name', () => {
    const configs = configurationsOf(mapping, 'USERNAME2');
    assert.deepEqual([...configs.keys()], ['localhost', 'otherhost']);
    assert.equal(configs.get('localhost')?.getParameter('port'), '5901');
  });

  it('keeps text untrimmed and decodes entities, character references and CDATA', () => {
    const ssh = configurationsOf(mapping, 'USERNAME3').get('ssh');
    assert.equal(ssh?.getParameter('command'), ' echo <&> <raw> & AB');
    assert.equal(ssh.getParameter('username'), '${GUAC_USERNAME}');
  });

  it('mixes DEFAULT with named connections; a repeated param keeps its last value', () => {
    const configs = configurationsOf(mapping, 'mixed');
    assert.deepEqual([...configs.keys()], ['DEFAULT', 'named']);
    assert.equal(configs.get('DEFAULT')?.protocol, 'telnet');
    assert.equal(configs.get('DEFAULT')?.getParameter('hostname'), 'second');
    assert.equal(configs.get('named')?.protocol, 'rdp');
  });

  it('lets a later authorize for the same username replace the earlier one', () => {
    const dup = mapping.getAuthorization('dup');
    assert.equal(dup?.password, 'new');
    assert.equal(dup.getConfigurations().get('DEFAULT')?.protocol, 'rdp');
    assert.equal(mapping.size, 6);
  });

  it('expands internal DOCTYPE entities', async () => {
    const parsed = parseUserMapping(await fixture('doctype-entity.xml'));
    assert.equal(
      configurationsOf(parsed, 'a').get('DEFAULT')?.getParameter('hostname'),
      'entity.example',
    );
  });

  const rejected: readonly { file: string; line: number; reason: RegExp }[] = [
    { file: 'unexpected-element.xml', line: 3, reason: /^Unexpected element: 'conection'$/ },
    { file: 'malformed.xml', line: 4, reason: /close tag/ },
    { file: 'invalid-encoding.xml', line: 2, reason: /^Invalid encoding: 'MD5'$/ },
    { file: 'wrong-root.xml', line: 2, reason: /^Root element must be 'user-mapping'$/ },
    {
      file: 'param-with-element.xml',
      line: 3,
      reason: /^The 'param' tag can contain no elements\.$/,
    },
    { file: 'nameless-connection.xml', line: 3, reason: /requires a 'name' attribute/ },
  ];
  for (const { file, line, reason } of rejected) {
    it(`rejects ${file} with the line of the problem`, async () => {
      const text = await fixture(file);
      assert.throws(
        () => parseUserMapping(text),
        (error: unknown) =>
          error instanceof UserMappingSyntaxError &&
          error.line === line &&
          reason.test(error.message.replace(/^line \d+: /, '')),
      );
    });
  }

  it('rejects documents without a root, with two roots, or with text outside the root', () => {
    for (const text of [
      '',
      '<user-mapping/><user-mapping/>',
      '<user-mapping/>junk',
      'x<user-mapping/>',
    ]) {
      assert.throws(() => parseUserMapping(text), UserMappingSyntaxError, JSON.stringify(text));
    }
  });
});

describe('Authorization.validate', () => {
  const md5 = new Authorization('u', '319f4d26e3c536b5dd871bb2c52e3178', 'md5');
  const sha = new Authorization(
    'u',
    '46970BEF70ACED8123F0D5D094717E2A5CD412041E03B26376049FE65B2834A4',
    'sha256',
  );

  it('compares plain passwords and usernames exactly', () => {
    const plain = new Authorization('User', 'Secret');
    assert.equal(plain.validate('User', 'Secret'), true);
    assert.equal(plain.validate('user', 'Secret'), false);
    assert.equal(plain.validate('User', 'secret'), false);
    assert.equal(plain.validate('User', undefined), false);
    assert.equal(plain.validate(undefined, 'Secret'), false);
  });

  it('accepts MD5 and SHA-256 hex digests of the UTF-8 password in either case', () => {
    assert.equal(md5.validate('u', 'PASSWORD'), true);
    assert.equal(md5.validate('u', 'password'), false);
    assert.equal(sha.validate('u', 'pässwörd'), true);
    assert.equal(sha.validate('u', 'passwort'), false);
  });

  it('never validates a hashed entry without a password attribute', () => {
    assert.equal(new Authorization('u', undefined, 'sha256').validate('u', ''), false);
    assert.equal(new Authorization('u', undefined).validate('u', ''), false);
  });
});

describe('decodeXml', () => {
  it('honours the declared encoding', async () => {
    const text = decodeXml(await readFile(new URL('latin1.xml', FIXTURES)));
    const mapping = parseUserMapping(text);
    assert.equal(mapping.getAuthorization('josé')?.validate('josé', 'café'), true);
  });

  it('strips byte-order marks and decodes UTF-16', () => {
    const doc = '<user-mapping/>';
    assert.equal(
      decodeXml(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(doc)])),
      doc,
    );
    assert.equal(
      decodeXml(Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(doc, 'utf16le')])),
      doc,
    );
  });

  it('rejects invalid bytes and unknown encodings', () => {
    assert.throws(() => decodeXml(Buffer.from([0x3c, 0xc3, 0x28])), /not valid utf-8/);
    assert.throws(
      () => decodeXml(Buffer.from('<?xml version="1.0" encoding="x-klingon"?><a/>')),
      /Unsupported encoding: 'x-klingon'/,
    );
  });
});

describe('FileAuthenticationProvider', () => {
  let home: string;
  let path: string;
  let logger: RecordingLogger;
  let provider: FileAuthenticationProvider;
  let stamp = 1_000_000;

  /** Writes user-mapping.xml with a fresh, strictly increasing modification time. */
  async function write(text: string, keepTime = false): Promise<void> {
    await writeFile(path, text);
    if (!keepTime) stamp += 10;
    await utimes(path, stamp, stamp);
  }

  const single = (username: string, password: string): string =>
    `<user-mapping><authorize username="${username}" password="${password}">` +
    '<protocol>vnc</protocol></authorize></user-mapping>';

  before(async () => {
    home = await mkdtemp(join(tmpdir(), 'user-mapping-'));
    path = join(home, 'user-mapping.xml');
    logger = new RecordingLogger();
    provider = new FileAuthenticationProvider(createEnvironment({ guacamoleHome: home, logger }));
  });

  after(async () => {
    await rm(home, { recursive: true, force: true });
  });

  it('is the provider "default" reading GUACAMOLE_HOME/user-mapping.xml', () => {
    assert.equal(provider.getIdentifier(), 'default');
    assert.equal(provider.path, path);
  });

  it('authorizes nobody, quietly, while the file does not exist', async () => {
    assert.equal(await provider.authenticateUser(credentials('USERNAME', 'PASSWORD')), null);
    assert.match(logger.at('debug').at(-1) ?? '', /does not exist/);
    assert.deepEqual(logger.at('warn'), []);
  });

  it('authenticates a listed user and lists exactly their connections', async () => {
    await copyFile(new URL('user-mapping.xml', FIXTURES), path);
    await utimes(path, (stamp += 10), stamp);
    const user = await provider.authenticateUser(credentials('USERNAME2', 'PASSWORD'));
    assert.equal(user?.identifier, 'USERNAME2');
    const context = await provider.getUserContext(user);
    const directory = await context?.getConnectionDirectory();
    assert.deepEqual([...((await directory?.getIdentifiers()) ?? [])], ['localhost', 'otherhost']);
    assert.equal(await provider.authenticateUser(credentials('USERNAME2', 'wrong')), null);
    assert.equal(await provider.authenticateUser(credentials('username2', 'PASSWORD')), null);
    assert.ok(await provider.authenticateUser(credentials('blank', '')));
  });

  it('re-reads the file when its modification time changes, and only then', async () => {
    await write(single('one', 'pw'));
    assert.ok(await provider.authenticateUser(credentials('one', 'pw')));
    await write(single('two', 'pw'));
    assert.equal(await provider.authenticateUser(credentials('one', 'pw')), null);
    assert.ok(await provider.authenticateUser(credentials('two', 'pw')));
    // Same modification time: the cached mapping is used, as Java does.
    await write(single('three', 'pw'), true);
    assert.equal(await provider.authenticateUser(credentials('three', 'pw')), null);
    assert.ok(await provider.authenticateUser(credentials('two', 'pw')));
  });

  it('rejects a malformed file with a warning naming it and the line, keeping no old mapping', async () => {
    await write(single('good', 'pw'));
    assert.ok(await provider.authenticateUser(credentials('good', 'pw')));
    await write('<user-mapping>\n  <authorize username="good" password="pw">\n    <oops/>\n');
    assert.equal(await provider.authenticateUser(credentials('good', 'pw')), null);
    const warning = logger.at('warn').at(-1) ?? '';
    assert.ok(warning.includes(`"${path}" is not valid`), warning);
    assert.match(warning, /line 3: Unexpected element: 'oops'/);
    await write(single('good', 'pw'));
    assert.ok(await provider.authenticateUser(credentials('good', 'pw')));
  });
});

describe('FileAuthenticationProvider with an injected file system', () => {
  it('stats on every lookup but reads the file only when it changed', async () => {
    let mtime = 1;
    let reads = 0;
    let stats = 0;
    const fileSystem: UserMappingFileSystem = {
      modifiedTime: () => {
        stats++;
        return Promise.resolve(mtime);
      },
      read: () => {
        reads++;
        return Promise.resolve(
          Buffer.from('<user-mapping><authorize username="a" password="b"/></user-mapping>'),
        );
      },
    };
    const provider = new FileAuthenticationProvider(createEnvironment({ guacamoleHome: '/x' }), {
      fileSystem,
    });
    for (let i = 0; i < 3; i++) await provider.authenticateUser(credentials('a', 'b'));
    mtime = 2;
    await provider.authenticateUser(credentials('a', 'b'));
    assert.deepEqual({ stats, reads }, { stats: 4, reads: 2 });
  });

  it('warns when the file cannot be read', async () => {
    const logger = new RecordingLogger();
    const denied = Object.assign(new Error('EACCES: permission denied'), { code: 'EACCES' });
    const provider = new FileAuthenticationProvider(
      createEnvironment({ guacamoleHome: '/x', logger }),
      {
        fileSystem: {
          modifiedTime: () => Promise.reject(denied),
          read: () => Promise.reject(denied),
        },
      },
    );
    assert.equal(await provider.authenticateUser(credentials('a', 'b')), null);
    assert.match(logger.at('warn')[0] ?? '', /Unable to read user mapping file ".*": EACCES/);
  });
});
