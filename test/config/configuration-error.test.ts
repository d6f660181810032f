import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ConfigurationError } from '../../src/config/configuration-error.js';
import { ServerError } from '../../src/protocol/errors.js';

void describe('ConfigurationError', () => {
  void it('is a ServerError whose message is its problems, one per line', () => {
    const error = new ConfigurationError(['a:1: first', 'b:2: second']);
    assert.ok(error instanceof ServerError);
    assert.equal(error.name, 'ConfigurationError');
    assert.equal(error.message, 'a:1: first\nb:2: second');
    assert.deepEqual(error.problems, ['a:1: first', 'b:2: second']);
  });

  void it('keeps a frozen copy of the problems and the cause', () => {
    const problems = ['x'];
    const cause = new Error('root');
    const error = new ConfigurationError(problems, { cause });
    problems.push('y');
    assert.deepEqual(error.problems, ['x']);
    assert.ok(Object.isFrozen(error.problems));
    assert.equal(error.cause, cause);
  });
});
