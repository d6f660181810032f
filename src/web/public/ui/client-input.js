/**
 * @module Input for the client view: mouse and touch on the display (Guacamole.Mouse and
 * Guacamole.Mouse.Touchscreen, positions scaled back to remote pixels), and the key sink the app's one
 * document-wide Guacamole.Keyboard feeds while a client view is open.
 */

/**
 * @typedef {object} GuacamoleDisplay the parts of a Guacamole.Display the view uses
 * @property {() => HTMLElement} getElement the element to insert
 * @property {() => number} getWidth the remote width, in pixels
 * @property {() => number} getHeight the remote height, in pixels
 * @property {(scale: number) => void} scale scales the element
 * @property {(shown: boolean) => void} showCursor shows or hides the drawn cursor
 * @property {((width: number, height: number) => void) | null} onresize the remote size changed
 * @property {((canvas: HTMLCanvasElement, x: number, y: number) => void) | null} oncursor the
 *     remote cursor changed
 */

/**
 * @typedef {object} GuacamoleClient the parts of a Guacamole.Client the view uses
 * @property {() => GuacamoleDisplay} getDisplay its display
 * @property {(pressed: 0 | 1, keysym: number) => void} sendKeyEvent sends a key press or release
 * @property {(state: object, applyDisplayScale: boolean) => void} sendMouseState sends the mouse
 * @property {(width: number, height: number) => void} sendSize asks for a new remote size
 * @property {(data: string) => void} connect connects with the connect string
 * @property {() => void} disconnect disconnects
 */

/**
 * @typedef {object} KeySink where the app's Guacamole.Keyboard sends key events
 * @property {(keysym: number) => boolean} keydown returns true to let the browser handle the key
 * @property {(keysym: number) => void} keyup a key was released
 */

/**
 * Sends the display's mouse and touch input to a client, and shows the remote cursor as the local
 * one when the browser allows (else the display draws it).
 * @param {{ Mouse: Function & { Touchscreen: Function } }} Guacamole the guacamole-common-js namespace
 * @param {GuacamoleClient} client the client
 */
export function bindPointer(Guacamole, client) {
  const display = client.getDisplay();
  const element = display.getElement();
  const mouse = new Guacamole.Mouse(element);
  const touch = new Guacamole.Mouse.Touchscreen(element);
  let localCursor = false;
  display.oncursor = (canvas, x, y) => {
    localCursor = mouse.setCursor(canvas, x, y);
  };
  /** @param {{ state: object }} event a mouse event */
  const send = (event) => {
    display.showCursor(!localCursor);
    client.sendMouseState(event.state, true);
  };
  mouse.onEach(['mousedown', 'mousemove', 'mouseup'], send);
  mouse.on('mouseout', () => {
    display.showCursor(false);
  });
  touch.onEach(['mousedown', 'mousemove', 'mouseup'], send);
}

/**
 * Creates the key sink of a client view: keys go to the client while it is connected and the focus
 * is on the display (or nowhere); typing in the toolbar or clipboard panel stays local. Only keys
 * whose press was sent have their release sent.
 * @param {() => GuacamoleClient | null} currentClient returns the connected client, or null
 * @param {HTMLElement} displayArea the element that holds the display
 * @returns {KeySink & { releaseAll(): void }} the sink; `releaseAll` sends every pending release
 */
export function createKeySink(currentClient, displayArea) {
  /** @type {Set<number>} */
  const pressed = new Set();
  const typingLocally = () => {
    const active = document.activeElement;
    return active !== null && active !== document.body && !displayArea.contains(active);
  };
  return {
    keydown(keysym) {
      const client = currentClient();
      if (!client || typingLocally()) return true;
      client.sendKeyEvent(1, keysym);
      pressed.add(keysym);
      return false;
    },
    keyup(keysym) {
      if (!pressed.delete(keysym)) return;
      currentClient()?.sendKeyEvent(0, keysym);
    },
    releaseAll() {
      const client = currentClient();
      for (const keysym of pressed) client?.sendKeyEvent(0, keysym);
      pressed.clear();
    },
  };
}
