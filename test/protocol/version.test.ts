import { describe, it } from 'node:test';
import assert from 'node:assert/strict';
import {
  ProtocolCapability,
  type ProtocolCapabilityName,
  ProtocolVersion,
  supports,
} from '../../src/protocol/version.js';

/**
 * @param text a version string that must parse
 * @returns the version
 */
function parse(text: string): ProtocolVersion {
  const version = ProtocolVersion.parse(text);
  assert.ok(version, `${text} parses`);
  return version;
}

void describe('ProtocolVersion', () => {
  void describe('.parse', () => {
    void it('parses VERSION_012_102_398 as 12.102.398 (leading zeros allowed)', () => {
      const version = parse('VERSION_012_102_398');
      assert.deepEqual([version.major, version.minor, version.patch], [12, 102, 398]);
    });

    const invalid = [
      'potato',
      'VERSION_',
      'VERSION___',
      'VERSION__2_3',
      'VERSION_1__3',
      'VERSION_1_2_',
      'VERSION_A_2_3',
      'VERSION_1_B_3',
      'VERSION_1_2_C',
      '_1_2_3',
      'version_1_2_3',
    ];
    for (const text of invalid) {
      void it(`rejects ${JSON.stringify(text)}`, () => {
        assert.equal(ProtocolVersion.parse(text), undefined);
      });
    }

    void it('rejects surrounding text and extra parts', () => {
      for (const text of [' VERSION_1_5_0', 'VERSION_1_5_0\n', 'VERSION_1_5_0_1', 'VERSION_1_5']) {
        assert.equal(ProtocolVersion.parse(text), undefined, JSON.stringify(text));
      }
    });
  });

  void describe('#atLeast', () => {
    const chains = [
      ['VERSION_0_0_1', 'VERSION_0_0_2', 'VERSION_0_0_3'],
      ['VERSION_0_1_0', 'VERSION_0_2_0', 'VERSION_0_3_0'],
      ['VERSION_1_0_0', 'VERSION_2_0_0', 'VERSION_3_0_0'],
      ['VERSION_1_2_3', 'VERSION_1_3_3', 'VERSION_2_0_0'],
    ] as const;
    for (const chain of chains) {
      void it(`orders ${chain.join(' < ')}`, () => {
        const versions = chain.map(parse);
        for (const [i, a] of versions.entries()) {
          for (const [j, b] of versions.entries()) {
            assert.equal(a.atLeast(b), i >= j, `${String(a)} atLeast ${String(b)}`);
          }
        }
      });
    }
  });

  void describe('#equals', () => {
    void it('compares all three parts', () => {
      const version = new ProtocolVersion(12, 102, 398);
      assert.ok(version.equals(version));
      assert.ok(version.equals(new ProtocolVersion(12, 102, 398)));
      assert.equal(version.equals(new ProtocolVersion(12, 102, 399)), false);
      assert.equal(version.equals(new ProtocolVersion(12, 103, 398)), false);
      assert.equal(version.equals(new ProtocolVersion(11, 102, 398)), false);
    });

    void it('finds a parsed VERSION_1_0_0 equal to the constant and not to 1.1.0', () => {
      const version = parse('VERSION_1_0_0');
      assert.ok(version.equals(ProtocolVersion.VERSION_1_0_0));
      assert.equal(version.equals(ProtocolVersion.VERSION_1_1_0), false);
    });
  });

  void describe('#toString', () => {
    void it('writes the wire form', () => {
      assert.equal(ProtocolVersion.VERSION_1_0_0.toString(), 'VERSION_1_0_0');
      assert.equal(ProtocolVersion.VERSION_1_1_0.toString(), 'VERSION_1_1_0');
      assert.equal(new ProtocolVersion(12, 103, 398).toString(), 'VERSION_12_103_398');
      assert.equal(parse('VERSION_012_102_398').toString(), 'VERSION_12_102_398');
    });
  });

  void describe('constants', () => {
    void it('has the versions guacd knows, and LATEST is 1.5.0', () => {
      assert.equal(ProtocolVersion.VERSION_1_0_0.toString(), 'VERSION_1_0_0');
      assert.equal(ProtocolVersion.VERSION_1_1_0.toString(), 'VERSION_1_1_0');
      assert.equal(ProtocolVersion.VERSION_1_3_0.toString(), 'VERSION_1_3_0');
      assert.equal(ProtocolVersion.VERSION_1_5_0.toString(), 'VERSION_1_5_0');
      assert.ok(ProtocolVersion.LATEST.equals(ProtocolVersion.VERSION_1_5_0));
    });
  });
});

void describe('ProtocolCapability and supports', () => {
  /** §5.6: each capability and the first version that has it. */
  const MINIMUM: Readonly<Record<ProtocolCapabilityName, string>> = {
    ARBITRARY_HANDSHAKE_ORDER: 'VERSION_1_1_0',
    MSG_INSTRUCTION: 'VERSION_1_5_0',
    NAME_HANDSHAKE: 'VERSION_1_5_0',
    PROTOCOL_VERSION_DETECTION: 'VERSION_1_1_0',
    REQUIRED_INSTRUCTION: 'VERSION_1_3_0',
    TIMEZONE_HANDSHAKE: 'VERSION_1_1_0',
  };

  void it('lists exactly the six capabilities of GuacamoleProtocolCapability', () => {
    assert.deepEqual(Object.keys(ProtocolCapability).sort(), Object.keys(MINIMUM).sort());
  });

  const versions = [
    'VERSION_1_0_0',
    'VERSION_1_1_0',
    'VERSION_1_3_0',
    'VERSION_1_5_0',
    'VERSION_2_0_0',
  ];
  for (const [capability, minimum] of Object.entries(MINIMUM)) {
    void it(`supports ${capability} from ${minimum} on`, () => {
      const min = parse(minimum);
      assert.equal(ProtocolCapability[capability as ProtocolCapabilityName].toString(), minimum);
      for (const text of versions) {
        const version = parse(text);
        assert.equal(
          supports(version, capability as ProtocolCapabilityName),
          version.atLeast(min),
          `${text} ${capability}`,
        );
      }
    });
  }

  void it('gives a 1.0.0 guacd none of the capabilities, and a 1.5.0 guacd all of them', () => {
    for (const capability of Object.keys(MINIMUM) as ProtocolCapabilityName[]) {
      assert.equal(supports(ProtocolVersion.VERSION_1_0_0, capability), false);
      assert.equal(supports(ProtocolVersion.VERSION_1_5_0, capability), true);
    }
  });

  void it('gates timezone on 1.1.0 and name on 1.5.0 for the handshake', () => {
    assert.equal(supports(ProtocolVersion.VERSION_1_1_0, 'TIMEZONE_HANDSHAKE'), true);
    assert.equal(supports(ProtocolVersion.VERSION_1_3_0, 'NAME_HANDSHAKE'), false);
    assert.equal(supports(parse('VERSION_1_4_9'), 'NAME_HANDSHAKE'), false);
  });
});
