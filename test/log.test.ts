/**
 * @module The process logger: Guacamole's log levels, secrets redacted, and one `name` key per line even
 * for children (pino writes base and child bindings side by side, so a named base would repeat it).
 */
import assert from 'node:assert/strict';
import { Writable } from 'node:stream';
import { describe, it } from 'node:test';
import { createLogger } from '../src/log.js';

/** A destination that keeps every line pino writes. */
function recorder(): { lines: string[]; stream: Writable } {
  const lines: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer, _encoding, callback) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      callback();
    },
  });
  return { lines, stream };
}

describe('createLogger', () => {
  it('writes one name key for a named child, none for the root', () => {
    const { lines, stream } = recorder();
    const log = createLogger('info', stream);
    log.info('root line');
    log.child({ name: 'auth' }).info('child line');
    const [root = '', child = ''] = lines;
    assert.doesNotMatch(root, /"name"/);
    assert.equal(child.match(/"name":/g)?.length, 1);
    assert.equal((JSON.parse(child) as { name: string }).name, 'auth');
  });

  it("maps Guacamole's level names onto pino's", () => {
    const { lines, stream } = recorder();
    const log = createLogger('warning', stream);
    log.info('hidden');
    log.warn('shown');
    assert.deepEqual(
      lines.map((line) => (JSON.parse(line) as { msg: string }).msg),
      ['shown'],
    );
  });

  it('never writes a password or token carried by a logged object', () => {
    const { lines, stream } = recorder();
    const log = createLogger('info', stream);
    log.info({ password: 'hunter2', token: 'ABC', user: { password: 'p2', token: 't2' } }, 'login');
    const line = lines.join('\n');
    for (const secret of ['hunter2', 'ABC', 'p2', 't2']) assert.ok(!line.includes(secret), secret);
    assert.match(line, /\*{8}/);
  });
});
