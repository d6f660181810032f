/**
 * @module InputSender: a connection's keyboard and pointer input as fast-path input PDUs (at most 15
 * events each). Pointer positions are clamped to the desktop; button changes become press/release events.
 */
import { fastPathInput, mouseEvents } from './fastpath.js';
import { KeyboardState } from './keyboard.js';

/** Turns Guacamole key and mouse events into fast-path input. */
export class InputSender {
  readonly #write: (pdu: Buffer) => void;
  readonly #keyboard: KeyboardState;
  #buttons = 0;

  /**
   * @param scancodes true to type printable keys as en-us scancodes, false as Unicode events
   * @param write writes one fast-path input PDU to the server
   */
  constructor(scancodes: boolean, write: (pdu: Buffer) => void) {
    this.#write = write;
    this.#keyboard = new KeyboardState(scancodes, (events) => {
      this.#send(events);
    });
  }

  /**
   * @param keysym the X11 keysym
   * @param pressed true for press
   */
  key(keysym: number, pressed: boolean): void {
    this.#keyboard.key(keysym, pressed);
  }

  /**
   * @param x the column
   * @param y the row
   * @param mask Guacamole's button mask
   * @param desktop the size to clamp the position to
   * @param desktop.width the desktop width
   * @param desktop.height the desktop height
   */
  pointer(x: number, y: number, mask: number, desktop: { width: number; height: number }): void {
    const cx = Math.max(0, Math.min(desktop.width - 1, Math.trunc(x)));
    const cy = Math.max(0, Math.min(desktop.height - 1, Math.trunc(y)));
    this.#send(mouseEvents(this.#buttons, mask, cx, cy));
    this.#buttons = mask & 0x07;
  }

  #send(events: Buffer[]): void {
    for (let at = 0; at < events.length; at += 15) {
      this.#write(fastPathInput(events.slice(at, at + 15)));
    }
  }
}
