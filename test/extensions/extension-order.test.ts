import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { extensionComparator, type Orderable } from '../../src/extensions/index.js';
import { RecordingLogger } from './helpers.js';

const ext = (file: string, namespace?: string): Orderable => ({ file, namespace });

const EXTENSIONS: readonly Orderable[] = [
  ext('z-ldap.jar', 'ldap'),
  ext('b-totp.jar', 'totp'),
  ext('a-json.jar', 'json'),
  ext('c-branding.zip', 'branding'),
  ext('m-header', 'header'),
  ext('0-anonymous.jar'),
];

function order(priority: readonly string[] | undefined, logger = new RecordingLogger()): string[] {
  return [...EXTENSIONS].sort(extensionComparator(priority, logger)).map((e) => e.file);
}

void describe('extensionComparator', () => {
  void it('sorts by file name when extension-priority is unset', () => {
    assert.deepEqual(order(undefined), [
      '0-anonymous.jar',
      'a-json.jar',
      'b-totp.jar',
      'c-branding.zip',
      'm-header',
      'z-ldap.jar',
    ]);
  });

  void it('puts listed namespaces first, in list order, the rest last by file name', () => {
    assert.deepEqual(order(['ldap', 'totp']), [
      'z-ldap.jar',
      'b-totp.jar',
      '0-anonymous.jar',
      'a-json.jar',
      'c-branding.zip',
      'm-header',
    ]);
  });

  void it('places every unlisted extension where * stands, ties by file name', () => {
    assert.deepEqual(order(['totp', '*', 'json']), [
      'b-totp.jar',
      '0-anonymous.jar',
      'c-branding.zip',
      'm-header',
      'z-ldap.jar',
      'a-json.jar',
    ]);
    assert.deepEqual(order(['*', 'ldap']).slice(-1), ['z-ldap.jar']);
  });

  void it('ignores namespaces that are not installed', () => {
    assert.deepEqual(order(['mysql', 'header']).slice(0, 2), ['m-header', '0-anonymous.jar']);
  });

  void it('warns once per repeated entry; the first occurrence counts', () => {
    const logger = new RecordingLogger();
    const sorted = order(['json', 'ldap', 'json', '*', '*'], logger);
    assert.deepEqual(sorted.slice(0, 2), ['a-json.jar', 'z-ldap.jar']);
    assert.deepEqual(logger.messages('warn'), [
      'The value "json" was specified multiple times for property "extension-priority". ' +
        'Only the first occurrence of this value will have any effect.',
      'The value "*" was specified multiple times for property "extension-priority". ' +
        'Only the first occurrence of this value will have any effect.',
    ]);
  });

  void it('compares file names by UTF-16 code unit, like Java (uppercase before lowercase)', () => {
    const sorted = [ext('b.jar'), ext('B.jar'), ext('a.jar')].sort(
      extensionComparator(undefined, new RecordingLogger()),
    );
    assert.deepEqual(
      sorted.map((e) => e.file),
      ['B.jar', 'a.jar', 'b.jar'],
    );
  });
});
