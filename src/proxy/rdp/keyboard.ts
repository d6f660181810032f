/**
 * @module KeyboardState: turns Guacamole key events (keysyms) into fast-path keyboard events. On the
 * en-us layout keysyms become scancodes, pressing or releasing shift around keys that need the other
 * shift state; keysyms without a scancode (and every printable one on other layouts) become Unicode
 * events. Releases repeat whatever the press sent, so no key is left down on the server.
 */
import { scancodeEvent, unicodeEvent } from './fastpath.js';
import {
  EN_US_KEYMAP,
  SCANCODE_LSHIFT,
  isModifier,
  keysymToCodePoint,
  type KeyCode,
} from './keymap.js';

const SHIFT_KEYSYMS = new Set([0xffe1, 0xffe2]);

/** The keys held and how they were sent. */
export class KeyboardState {
  readonly #scancodes: boolean;
  readonly #send: (events: Buffer[]) => void;
  readonly #held = new Map<number, Buffer[]>();
  readonly #shifts = new Set<number>();

  /**
   * @param scancodes true to type printable keys as en-us scancodes, false to type them as Unicode
   * @param send sends a batch of fast-path input events
   */
  constructor(scancodes: boolean, send: (events: Buffer[]) => void) {
    this.#scancodes = scancodes;
    this.#send = send;
  }

  /**
   * Handles one key event.
   * @param keysym the X11 keysym
   * @param pressed true for press
   */
  key(keysym: number, pressed: boolean): void {
    if (!pressed) {
      const release = this.#held.get(keysym);
      this.#held.delete(keysym);
      this.#shifts.delete(keysym);
      if (release !== undefined) this.#send(release);
      return;
    }
    const code = EN_US_KEYMAP.get(keysym);
    const printable = keysymToCodePoint(keysym) !== undefined;
    if (code !== undefined && (this.#scancodes || isModifier(keysym) || !printable)) {
      this.#pressScancode(keysym, code);
      return;
    }
    const point = keysymToCodePoint(keysym);
    if (point === undefined) return;
    const units = String.fromCodePoint(point);
    const down: Buffer[] = [];
    const up: Buffer[] = [];
    for (let i = 0; i < units.length; i++) {
      down.push(unicodeEvent(units.charCodeAt(i), true));
      up.push(unicodeEvent(units.charCodeAt(i), false));
    }
    this.#held.set(keysym, up);
    this.#send(down);
  }

  #pressScancode(keysym: number, code: KeyCode): void {
    if (SHIFT_KEYSYMS.has(keysym)) this.#shifts.add(keysym);
    const printable = keysymToCodePoint(keysym) !== undefined;
    const shiftDown = this.#shifts.size > 0;
    const events: Buffer[] = [];
    const press = scancodeEvent(code.scancode, code.extended, true);
    const release = [scancodeEvent(code.scancode, code.extended, false)];
    if (printable && code.shift && !shiftDown) {
      events.push(scancodeEvent(SCANCODE_LSHIFT, false, true), press);
      events.push(scancodeEvent(SCANCODE_LSHIFT, false, false));
    } else if (printable && !code.shift && shiftDown && keysym !== 0x20) {
      events.push(scancodeEvent(SCANCODE_LSHIFT, false, false), press);
      events.push(scancodeEvent(SCANCODE_LSHIFT, false, true));
    } else {
      events.push(press);
    }
    this.#held.set(keysym, release);
    this.#send(events);
  }
}
