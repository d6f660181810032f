/**
 * @module ProtocolVersion and its capabilities (GuacamoleProtocolVersion / GuacamoleProtocolCapability).
 */

const VERSION_PATTERN = /^VERSION_([0-9]+)_([0-9]+)_([0-9]+)$/;

/** A Guacamole protocol version, written on the wire as `VERSION_<major>_<minor>_<patch>`. */
export class ProtocolVersion {
  static readonly VERSION_1_0_0 = new ProtocolVersion(1, 0, 0);
  static readonly VERSION_1_1_0 = new ProtocolVersion(1, 1, 0);
  static readonly VERSION_1_3_0 = new ProtocolVersion(1, 3, 0);
  static readonly VERSION_1_5_0 = new ProtocolVersion(1, 5, 0);
  /** The newest version this implementation speaks. */
  static readonly LATEST = ProtocolVersion.VERSION_1_5_0;

  /**
   * @param major major part
   * @param minor minor part
   * @param patch patch part
   */
  constructor(
    readonly major: number,
    readonly minor: number,
    readonly patch: number,
  ) {}

  /**
   * Parses `VERSION_x_y_z` (case-sensitive; leading zeros allowed).
   * @param text the text
   * @returns the version, or undefined when the text is not a version string
   */
  static parse(text: string): ProtocolVersion | undefined {
    const match = VERSION_PATTERN.exec(text);
    if (!match) return undefined;
    return new ProtocolVersion(Number(match[1]), Number(match[2]), Number(match[3]));
  }

  /**
   * @param other the version to compare with
   * @returns true when this version is the same as or newer than `other`
   */
  atLeast(other: ProtocolVersion): boolean {
    if (this.major !== other.major) return this.major > other.major;
    if (this.minor !== other.minor) return this.minor > other.minor;
    return this.patch >= other.patch;
  }

  /**
   * @param other the version to compare with
   * @returns true when all three parts are equal
   */
  equals(other: ProtocolVersion): boolean {
    return this.major === other.major && this.minor === other.minor && this.patch === other.patch;
  }

  /** @returns the wire form, e.g. `VERSION_1_5_0` */
  toString(): string {
    return `VERSION_${this.major}_${this.minor}_${this.patch}`;
  }
}

/** Features gated by protocol version, with the first version that has each. */
export const ProtocolCapability = {
  ARBITRARY_HANDSHAKE_ORDER: ProtocolVersion.VERSION_1_1_0,
  MSG_INSTRUCTION: ProtocolVersion.VERSION_1_5_0,
  NAME_HANDSHAKE: ProtocolVersion.VERSION_1_5_0,
  PROTOCOL_VERSION_DETECTION: ProtocolVersion.VERSION_1_1_0,
  REQUIRED_INSTRUCTION: ProtocolVersion.VERSION_1_3_0,
  TIMEZONE_HANDSHAKE: ProtocolVersion.VERSION_1_1_0,
} as const;

/** The name of a capability. */
export type ProtocolCapabilityName = keyof typeof ProtocolCapability;

/**
 * @param version the negotiated version
 * @param capability the capability
 * @returns true when that version supports the capability
 */
export function supports(version: ProtocolVersion, capability: ProtocolCapabilityName): boolean {
  return version.atLeast(ProtocolCapability[capability]);
}
