/**
 * @module Tests of configureSocket (ConfiguredGuacamoleSocket) against the fake guacd: the exact bytes guacd
 * receives for guacd 1.0.0, 1.3.0 and 1.5.0, joins, and every way the handshake can fail.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import {
  GuacamoleConfiguration,
  ProtocolVersion,
  ResourceNotFoundError,
  defaultClientInformation,
  type ClientInformation,
} from '../../src/protocol/index.js';
import { FakeGuacd, type FakeGuacdOptions } from '../fakes/fake-guacd.js';
import { configFor, handshakeWith, rejection } from './helpers.js';

/** The client information of spec §6.1's example. */
function berlinInfo(): ClientInformation {
  return {
    ...defaultClientInformation(),
    width: 1920,
    height: 1080,
    audioMimetypes: ['audio/L8', 'audio/L16'],
    imageMimetypes: ['image/jpeg', 'image/png'],
    timezone: 'Europe/Berlin',
    name: 'guacadmin',
  };
}

const RDP = configFor('rdp', { hostname: 'example.com', port: '3389', unused: 'x' });

/** Runs one handshake against a fresh fake and returns what it received. */
async function handshakeBytes(
  options: FakeGuacdOptions,
  config = RDP,
): Promise<{ text: string; version: ProtocolVersion; id: string; fakeId: string | undefined }> {
  const guacd = await FakeGuacd.start({ args: ['hostname', 'port', 'password'], ...options });
  try {
    const socket = await handshakeWith(guacd, config, berlinInfo());
    const conn = await guacd.connection(0);
    socket.close();
    return {
      text: conn.receivedText(),
      version: socket.protocolVersion,
      id: socket.connectionId,
      fakeId: conn.connectionId,
    };
  } finally {
    await guacd.close();
  }
}

const HEAD =
  '6.select,3.rdp;4.size,4.1920,4.1080,2.96;5.audio,8.audio/L8,9.audio/L16;5.video;' +
  '5.image,10.image/jpeg,9.image/png;';

describe('configureSocket', () => {
  describe('handshake by guacd version', () => {
    it('sends timezone and name to guacd 1.5.0 and answers VERSION_1_5_0', async () => {
      const result = await handshakeBytes({ version: 'VERSION_1_5_0' });
      assert.equal(
        result.text,
        HEAD +
          '8.timezone,13.Europe/Berlin;4.name,9.guacadmin;' +
          '7.connect,13.VERSION_1_5_0,11.example.com,4.3389,0.;',
      );
      assert.ok(result.version.equals(ProtocolVersion.VERSION_1_5_0));
      assert.equal(result.id, result.fakeId);
      assert.match(result.id, /^\$[0-9a-f-]{36}$/);
    });

    it('sends timezone but not name to guacd 1.3.0 and answers VERSION_1_3_0', async () => {
      const result = await handshakeBytes({ version: 'VERSION_1_3_0' });
      assert.equal(
        result.text,
        HEAD + '8.timezone,13.Europe/Berlin;7.connect,13.VERSION_1_3_0,11.example.com,4.3389,0.;',
      );
      assert.ok(result.version.equals(ProtocolVersion.VERSION_1_3_0));
    });

    it('treats a guacd without a version as 1.0.0: no timezone, no name, no version slot', async () => {
      const result = await handshakeBytes({ version: null });
      assert.equal(result.text, HEAD + '7.connect,11.example.com,4.3389,0.;');
      assert.ok(result.version.equals(ProtocolVersion.VERSION_1_0_0));
    });

    it('answers a guacd newer than LATEST with LATEST', async () => {
      const result = await handshakeBytes({ version: 'VERSION_1_7_3' });
      assert.match(result.text, /7\.connect,13\.VERSION_1_5_0,11\.example\.com,4\.3389,0\.;$/);
      assert.ok(result.version.equals(ProtocolVersion.LATEST));
    });

    it('answers guacd 1.1.0 with its own version (timezone yes, name no)', async () => {
      const result = await handshakeBytes({ version: 'VERSION_1_1_0' });
      assert.match(result.text, /8\.timezone,13\.Europe\/Berlin;7\.connect,13\.VERSION_1_1_0,/);
      assert.doesNotMatch(result.text, /4\.name,/);
    });

    it('treats a version string after the first slot as an ordinary parameter name', async () => {
      const guacd = await FakeGuacd.start({ version: null, args: ['hostname', 'VERSION_1_5_0'] });
      const config = configFor('vnc', { hostname: 'h', VERSION_1_5_0: 'literal' });
      try {
        const socket = await handshakeWith(guacd, config);
        const conn = await guacd.connection(0);
        assert.deepEqual(conn.handshake?.connectArgs, ['h', 'literal']);
        assert.ok(socket.protocolVersion.equals(ProtocolVersion.VERSION_1_0_0));
        socket.close();
      } finally {
        await guacd.close();
      }
    });

    it('omits timezone and name when they are unset, and sends the defaults', async () => {
      const guacd = await FakeGuacd.start({ args: ['hostname'] });
      try {
        const socket = await handshakeWith(guacd, configFor('ssh'));
        const conn = await guacd.connection(0);
        assert.equal(
          conn.receivedText(),
          '6.select,3.ssh;4.size,4.1024,3.768,2.96;5.audio;5.video;5.image;' +
            '7.connect,13.VERSION_1_5_0,0.;',
        );
        socket.close();
      } finally {
        await guacd.close();
      }
    });

    it('counts code points in parameter values and names', async () => {
      const guacd = await FakeGuacd.start({ args: ['pässwört', 'emoji😀'] });
      const config = configFor('rdp', { pässwört: 'gehéim', 'emoji😀': 'a😀b' });
      try {
        const socket = await handshakeWith(guacd, config);
        const conn = await guacd.connection(0);
        assert.match(conn.receivedText(), /7\.connect,13\.VERSION_1_5_0,6\.gehéim,3\.a😀b;$/);
        assert.equal(conn.handshake?.parameters.get('emoji😀'), 'a😀b');
        socket.close();
      } finally {
        await guacd.close();
      }
    });
  });

  describe('joining', () => {
    it('selects the $-prefixed connection ID instead of the protocol', async () => {
      const guacd = await FakeGuacd.start();
      try {
        const owner = await handshakeWith(guacd, RDP);
        const join = new GuacamoleConfiguration(RDP);
        join.connectionId = owner.connectionId;
        const joiner = await handshakeWith(guacd, join);
        const conn = await guacd.connection(1);
        assert.equal(conn.received[0]?.toString(), `6.select,37.${owner.connectionId};`);
        assert.equal(conn.handshake?.selected, owner.connectionId);
        assert.equal(joiner.connectionId, owner.connectionId);
        owner.close();
        joiner.close();
      } finally {
        await guacd.close();
      }
    });

    it('reports an unknown connection as ResourceNotFoundError (516, 404)', async () => {
      const guacd = await FakeGuacd.start();
      const join = new GuacamoleConfiguration({ connectionId: '$no-such-id', protocol: 'rdp' });
      try {
        const error = await rejection(handshakeWith(guacd, join));
        assert.ok(error instanceof ResourceNotFoundError);
        assert.equal(error.message, 'No such connection.');
        assert.equal(error.status.guac, 516);
        assert.equal(error.status.http, 404);
      } finally {
        await guacd.close();
      }
    });
  });
});
