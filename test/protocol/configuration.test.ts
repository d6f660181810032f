/**
 * @module Tests of GuacamoleConfiguration and defaultClientInformation (kept here because they feed the
 * handshake; they live in src/protocol).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { GuacamoleConfiguration, defaultClientInformation } from '../../src/protocol/index.js';

describe('GuacamoleConfiguration', () => {
  it('sets, gets, lists and unsets parameters', () => {
    const config = new GuacamoleConfiguration({ protocol: 'vnc' });
    config.setParameter('hostname', 'h');
    config.setParameters({ port: '5900', password: 'p' });
    assert.equal(config.getParameter('port'), '5900');
    assert.deepEqual(config.getParameterNames(), ['hostname', 'port', 'password']);
    config.unsetParameter('password');
    assert.equal(config.getParameter('password'), undefined);
    assert.deepEqual(config.getParameters(), { hostname: 'h', port: '5900' });
    assert.equal(config.connectionId, undefined);
  });

  it('copies deeply: changes to the copy do not reach the original', () => {
    const original = new GuacamoleConfiguration({
      protocol: 'rdp',
      connectionId: '$abc',
      parameters: new Map([['hostname', 'h']]),
    });
    const copy = new GuacamoleConfiguration(original);
    copy.setParameter('hostname', 'other');
    copy.protocol = 'ssh';
    assert.equal(original.getParameter('hostname'), 'h');
    assert.equal(original.protocol, 'rdp');
    assert.equal(copy.connectionId, '$abc');
  });
});

describe('defaultClientInformation', () => {
  it("returns Java's defaults as a fresh object each time", () => {
    const mutated = defaultClientInformation();
    mutated.audioMimetypes.push('audio/L16');
    assert.deepEqual(defaultClientInformation(), {
      width: 1024,
      height: 768,
      dpi: 96,
      audioMimetypes: [],
      videoMimetypes: [],
      imageMimetypes: [],
      timezone: undefined,
      name: undefined,
    });
  });
});
