/**
 * @module GuacamoleVersion: the `guacamoleVersion` compatibility rule of Guacamole's main branch
 * (`GuacamoleVersion.provides`), with this server reporting {@link GUACAMOLE_VERSION}.
 */

/** The Guacamole release this server implements and reports to extensions. */
export const GUACAMOLE_VERSION = '1.6.0';

// Java's `(\d+)\.(\d+)\.(\d+)(.+)?` with `matches()`: `\d` is ASCII only, and `.` stops at Java's line
// terminators (\n, \r, U+0085, U+2028, U+2029), so a suffix holding one does not match.
const VERSION_PATTERN = /^([0-9]+)\.([0-9]+)\.([0-9]+)([^\n\r\u0085\u2028\u2029]+)?$/;

// Integer.parseInt fails above this, which Java reports as an invalid version (NumberFormatException).
const MAX_COMPONENT = 2 ** 31 - 1;

/** A parsed Guacamole version: major.minor.patch plus an optional vendor suffix. */
export class GuacamoleVersion {
  /** The version string as written. */
  readonly text: string;
  readonly major: number;
  readonly minor: number;
  readonly patch: number;
  /** Everything after the patch number (e.g. `-RC1`), or undefined. */
  readonly suffix: string | undefined;

  /**
   * Parses a version string; `*` is the wildcard, stored as 0.0.0 with no suffix (as Java does).
   * @param text the version, e.g. `1.6.0`, `1.5.5-vendor` or `*`
   * @throws RangeError if it does not match `N.N.N[suffix]` or a component overflows a Java int
   */
  constructor(text: string) {
    this.text = text;
    if (text === '*') {
      this.major = this.minor = this.patch = 0;
      this.suffix = undefined;
      return;
    }
    const match = VERSION_PATTERN.exec(text);
    const numbers = match?.slice(1, 4).map(Number) ?? [];
    const [major, minor, patch] = numbers;
    if (major === undefined || minor === undefined || patch === undefined)
      throw new RangeError(`Format of version string "${text}" is not valid`);
    if (numbers.some((n) => n > MAX_COMPONENT))
      throw new RangeError(`Format of version string "${text}" is not valid`);
    this.major = major;
    this.minor = minor;
    this.patch = patch;
    this.suffix = match?.[4];
  }

  /**
   * Whether this (running) version satisfies an extension's required version.
   * @param required the version an extension declares
   * @returns true for the wildcard; else same major, minor/patch not lower, and any required suffix equal
   */
  provides(required: GuacamoleVersion): boolean {
    if (
      required.major === 0 &&
      required.minor === 0 &&
      required.patch === 0 &&
      required.suffix === undefined
    )
      return true;
    if (this.major !== required.major) return false;
    if (this.minor < required.minor) return false;
    if (this.minor === required.minor && this.patch < required.patch) return false;
    // A suffix marks vendor patches: only that exact suffix satisfies it; without one, ours is ignored.
    return required.suffix === undefined || required.suffix === this.suffix;
  }
}

/** The version this server runs as, parsed once. */
export const RUNNING_VERSION = new GuacamoleVersion(GUACAMOLE_VERSION);
