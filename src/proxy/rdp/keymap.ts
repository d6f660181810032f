/**
 * @module X11 keysyms to RDP set-1 scancodes for the en-us-qwerty layout (guacd's default server layout),
 * with the shift state each printable keysym needs; the Windows keyboard layout IDs of guacd's other
 * layout names. Keysyms without a scancode are typed as Unicode events instead.
 */

/** A key on the en-us keyboard. */
export interface KeyCode {
  readonly scancode: number;
  readonly extended: boolean;
  /** The printable keysym needs shift held. */
  readonly shift: boolean;
}

/** Shift keys' scancode. */
export const SCANCODE_LSHIFT = 0x2a;

const ROWS: readonly (readonly [string, string, number])[] = [
  ['1234567890-=', '!@#$%^&*()_+', 0x02],
  ['qwertyuiop[]', 'QWERTYUIOP{}', 0x10],
  ["asdfghjkl;'`", 'ASDFGHJKL:"~', 0x1e],
  ['\\zxcvbnm,./', '|ZXCVBNM<>?', 0x2b],
];

// prettier-ignore
const SPECIAL: readonly (readonly [number, number, boolean])[] = [
  [0xff08, 0x0e, false], [0xff09, 0x0f, false], [0xff0d, 0x1c, false], [0xff1b, 0x01, false],
  [0x0020, 0x39, false], [0xffe1, 0x2a, false], [0xffe2, 0x36, false], [0xffe3, 0x1d, false],
  [0xffe4, 0x1d, true], [0xffe9, 0x38, false], [0xffea, 0x38, true], [0xfe03, 0x38, true],
  [0xffe7, 0x38, false], [0xffe8, 0x38, true], [0xffe5, 0x3a, false], [0xff7f, 0x45, false],
  [0xff14, 0x46, false], [0xffeb, 0x5b, true], [0xffec, 0x5c, true], [0xff67, 0x5d, true],
  [0xff50, 0x47, true], [0xff52, 0x48, true], [0xff55, 0x49, true], [0xff51, 0x4b, true],
  [0xff53, 0x4d, true], [0xff57, 0x4f, true], [0xff54, 0x50, true], [0xff56, 0x51, true],
  [0xff63, 0x52, true], [0xffff, 0x53, true], [0xff61, 0x37, true], [0xff8d, 0x1c, true],
  [0xffaa, 0x37, false], [0xffab, 0x4e, false], [0xffad, 0x4a, false], [0xffae, 0x53, false],
  [0xffaf, 0x35, true], [0xffb7, 0x47, false], [0xffb8, 0x48, false], [0xffb9, 0x49, false],
  [0xffb4, 0x4b, false], [0xffb5, 0x4c, false], [0xffb6, 0x4d, false], [0xffb1, 0x4f, false],
  [0xffb2, 0x50, false], [0xffb3, 0x51, false], [0xffb0, 0x52, false],
];

function buildMap(): Map<number, KeyCode> {
  const map = new Map<number, KeyCode>();
  for (const [plain, shifted, first] of ROWS) {
    Array.from(plain).forEach((ch, i) => {
      map.set(ch.charCodeAt(0), { scancode: first + i, extended: false, shift: false });
    });
    Array.from(shifted).forEach((ch, i) => {
      map.set(ch.charCodeAt(0), { scancode: first + i, extended: false, shift: true });
    });
  }
  for (const [keysym, scancode, extended] of SPECIAL) {
    map.set(keysym, { scancode, extended, shift: false });
  }
  for (let f = 0; f < 12; f++) {
    map.set(0xffbe + f, {
      scancode: f < 10 ? 0x3b + f : 0x57 + f - 10,
      extended: false,
      shift: false,
    });
  }
  return map;
}

/** keysym → key for en-us-qwerty. */
export const EN_US_KEYMAP: ReadonlyMap<number, KeyCode> = buildMap();

/** Keysyms of modifier keys: always sent as scancodes, whatever the layout. */
export function isModifier(keysym: number): boolean {
  return (keysym >= 0xffe1 && keysym <= 0xffee) || keysym === 0xfe03;
}

/** guacd's server-layout names → Windows keyboard layout IDs. */
// prettier-ignore
export const KEYBOARD_LAYOUTS: Readonly<Record<string, number>> = {
  'en-us-qwerty': 0x409, 'en-gb-qwerty': 0x809, 'de-de-qwertz': 0x407, 'de-ch-qwertz': 0x807,
  'fr-fr-azerty': 0x40c, 'fr-be-azerty': 0x80c, 'fr-ch-qwertz': 0x100c, 'it-it-qwerty': 0x410,
  'es-es-qwerty': 0x40a, 'es-latam-qwerty': 0x80a, 'pt-br-qwerty': 0x416, 'pt-pt-qwerty': 0x816,
  'sv-se-qwerty': 0x41d, 'da-dk-qwerty': 0x406, 'no-no-qwerty': 0x414, 'fi-fi-qwerty': 0x40b,
  'hu-hu-qwertz': 0x40e, 'ja-jp-qwerty': 0x411, 'tr-tr-qwerty': 0x41f, 'pl-pl-qwerty': 0x415,
  'ro-ro-qwerty': 0x418, 'cs-cz-qwertz': 0x405, 'nl-nl-qwerty': 0x413, 'ru-ru-qwerty': 0x419,
  'en-us-dvorak': 0x10409, failsafe: 0x409,
};

/**
 * The Unicode code point a keysym types, for the Unicode fallback.
 * @param keysym the keysym
 * @returns the code point, or undefined for function keys
 */
export function keysymToCodePoint(keysym: number): number | undefined {
  if ((keysym >= 0x20 && keysym <= 0x7e) || (keysym >= 0xa0 && keysym <= 0xff)) return keysym;
  if (keysym >= 0x01000100 && keysym <= 0x0110ffff) return keysym - 0x01000000;
  return undefined;
}
