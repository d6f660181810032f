/**
 * @module The client view: one remote desktop over our fixed WebSocket and HTTP tunnels in a
 * ChainedTunnel, its display scaled to the window (and the window size sent on resize), input, the
 * clipboard panel, failures described by status code, and reconnection — by button, and on its own
 * after a transient failure. A 769 (the session is gone) hands back to the app's login. Parameters
 * the remote desktop asks for (`required`, e.g. a VNC password) are asked of the user in a dialog.
 */

import { connectable } from './api.js';
import { bindPointer, createKeySink } from './client-input.js';
import { ClipboardPanel } from './clipboard-panel.js';
import { connectString } from './connect-string.js';
import { ClientOverlay } from './client-overlay.js';
import { RequiredPrompt, sendArguments } from './required-prompt.js';
import { h, setText } from './dom.js';
import { UNAUTHORIZED, describeStatus, isTransient } from './status-messages.js';

/**
 * @typedef {object} ClientContext what the view needs from the app
 * @property {object} Guacamole the guacamole-common-js namespace (fixes installed)
 * @property {object} fixes what `installGuacamoleFixes(Guacamole)` returned
 * @property {import('./api.js').AuthResult} session the session
 * @property {import('./identifier.js').ClientIdentifier} identifier what to connect to
 * @property {(sink: import('./client-input.js').KeySink | null) => void} setKeySink routes keys here
 * @property {() => void} resetKeyboard releases every key the document keyboard holds
 * @property {(message: string) => void} onUnauthorized the session is gone: back to login
 * @property {() => void} onLogout the user asked to log out
 */

/** Seconds before each automatic reconnection attempt in a row. */
const RETRY_DELAYS = [2, 5, 10, 20, 30];

/** Guacamole.Client.State.CONNECTED. */
const CONNECTED = 3;

/** Guacamole.Tunnel.State. */
const TUNNEL = { OPEN: 1, CLOSED: 2, UNSTABLE: 3 };

/**
 * Renders the client view and connects.
 * @param {HTMLElement} root where to render
 * @param {ClientContext} context the session, target and app hooks
 * @returns {() => void} disconnects and releases everything the view holds
 */
export function renderClient(root, context) {
  const { Guacamole, fixes, session, identifier } = context;
  const title = h('h1', { className: 'title' }, identifier.id);
  const status = h('span', { className: 'status', attrs: { role: 'status' } });
  const area = h('div', {
    className: 'display-area',
    attrs: { 'aria-label': 'Remote desktop', role: 'application' },
    props: { tabIndex: 0 },
  });
  const clipboard = new ClipboardPanel(fixes);
  const clipboardButton = h(
    'button',
    {
      attrs: { 'aria-expanded': 'false', 'aria-controls': clipboard.element.id },
      props: { type: 'button' },
    },
    'Clipboard',
  );
  const reconnectButton = h('button', { props: { type: 'button' } }, 'Reconnect');
  const logoutButton = h('button', { props: { type: 'button' } }, 'Log out');
  const overlay = new ClientOverlay({ reconnect: () => reconnect(), retry: () => connect() });
  const required = new RequiredPrompt();
  const toolbar = h(
    'header',
    { className: 'toolbar' },
    h('a', { className: 'home-link', props: { href: '#/' } }, 'Home'),
    title,
    status,
    clipboardButton,
    reconnectButton,
    logoutButton,
  );
  const view = h(
    'div',
    { className: 'client', dataset: { state: 'connecting' } },
    toolbar,
    h(
      'div',
      { className: 'client-body' },
      area,
      clipboard.element,
      required.element,
      overlay.element,
    ),
  );
  root.replaceChildren(view);

  /** @type {import('./client-input.js').GuacamoleClient | null} */
  let client = null;
  let connected = false;
  let failed = false;
  let attempts = 0;
  let sentSize = '';
  const ratio = () => window.devicePixelRatio || 1;
  const keys = createKeySink(() => (connected ? client : null), area);
  context.setKeySink(keys);

  /**
   * @param {string} state `connecting`, `required`, `connected`, `failed` or `disconnected` (for
   *     styles and tests)
   * @param {string} text what the toolbar says
   */
  const setState = (state, text) => {
    view.dataset.state = state;
    setText(status, text);
  };

  /** Scales the display into the area and, once connected, sends the area's size. */
  const fit = () => {
    if (!client) return;
    const display = client.getDisplay();
    const width = area.clientWidth;
    const height = area.clientHeight;
    if (display.getWidth() > 0 && display.getHeight() > 0 && width > 0 && height > 0) {
      display.scale(Math.min(width / display.getWidth(), height / display.getHeight()));
    }
    const size = `${Math.floor(width * ratio())}x${Math.floor(height * ratio())}`;
    if (connected && width > 0 && height > 0 && size !== sentSize) {
      sentSize = size;
      client.sendSize(Math.floor(width * ratio()), Math.floor(height * ratio()));
    }
  };
  const observer = new ResizeObserver(fit);
  observer.observe(area);

  /** @param {{ code: number, message?: string }} failure a Guacamole.Status */
  const fail = (failure) => {
    if (failed) return;
    failed = true;
    disconnectClient();
    if (failure.code === UNAUTHORIZED) {
      context.onUnauthorized(describeStatus(UNAUTHORIZED));
      return;
    }
    setState('failed', 'Connection failed');
    overlay.show('Connection error', describeStatus(failure.code), failure.code);
    // After the last automatic attempt, only the button reconnects.
    if (isTransient(failure.code) && attempts < RETRY_DELAYS.length) {
      overlay.countDown(RETRY_DELAYS[attempts]);
      attempts += 1;
    }
  };

  const ended = () => {
    disconnectClient();
    setState('disconnected', 'Disconnected');
    overlay.show('Disconnected', 'The remote desktop session has ended.', 0);
  };

  function disconnectClient() {
    const old = client;
    required.hide();
    keys.releaseAll();
    connected = false;
    client = null;
    clipboard.detach();
    old?.disconnect();
  }

  function connect() {
    overlay.hide();
    disconnectClient();
    failed = false;
    sentSize = '';
    setState('connecting', 'Connecting…');
    const tunnel = new fixes.ChainedTunnel(
      new fixes.WebSocketTunnel('websocket-tunnel'),
      new fixes.HTTPTunnel('tunnel'),
    );
    const current = new Guacamole.Client(tunnel);
    client = current;
    tunnel.onerror = (failure) => {
      if (current === client) fail(failure);
    };
    tunnel.onstatechange = (state) => {
      if (current !== client) return;
      if (state === TUNNEL.UNSTABLE) view.dataset.unstable = 'true';
      else delete view.dataset.unstable;
      if (state === TUNNEL.CLOSED && !failed) ended();
    };
    current.onerror = (failure) => {
      if (current === client) fail(failure);
    };
    current.onstatechange = (state) => {
      if (current !== client || state !== CONNECTED) return;
      connected = true;
      attempts = 0;
      setState('connected', 'Connected');
      clipboard.setConnected(true);
      fit();
      area.focus();
    };
    /** @param {string[]} names what the remote desktop needs (guacd's `required`) */
    current.onrequired = (names) => {
      if (current !== client) return;
      setState('required', 'Credentials required');
      required.show(names, (values) => {
        if (current !== client) return;
        sendArguments(Guacamole, current, values);
        setState('connecting', 'Connecting…');
        area.focus();
      });
    };
    current.getDisplay().onresize = fit;
    clipboard.attach(current);
    area.replaceChildren(current.getDisplay().getElement());
    bindPointer(Guacamole, current);
    current.connect(
      connectString({
        token: session.authToken,
        identifier,
        width: area.clientWidth || window.innerWidth,
        height: area.clientHeight || window.innerHeight,
        audio: Guacamole.AudioPlayer.getSupportedTypes(),
        video: Guacamole.VideoPlayer.getSupportedTypes(),
      }),
    );
  }

  clipboardButton.addEventListener('click', () => {
    const shown = clipboard.toggle();
    clipboardButton.setAttribute('aria-expanded', String(shown));
    if (shown) clipboard.textarea.focus();
    else area.focus();
  });
  /** Reconnects at the user's request, with a fresh allowance of automatic attempts. */
  function reconnect() {
    attempts = 0;
    connect();
  }
  reconnectButton.addEventListener('click', reconnect);
  logoutButton.addEventListener('click', () => context.onLogout());
  // Clicking the display focuses it (Guacamole.Mouse cancels the events, so listen while capturing).
  area.addEventListener('mousedown', () => area.focus(), true);
  area.addEventListener('touchstart', () => area.focus(), { capture: true, passive: true });
  // Keys held when the focus leaves for the toolbar or panel are released remotely.
  /** @param {FocusEvent} event where the focus went */
  const onFocusIn = (event) => {
    if (!area.contains(/** @type {Node} */ (event.target))) context.resetKeyboard();
  };
  view.addEventListener('focusin', onFocusIn);

  connectable(session.authToken, identifier.dataSource, identifier.type, identifier.id)
    .then((object) => {
      if (typeof object.name === 'string') {
        setText(title, object.name);
        document.title = object.name;
      }
    })
    .catch(() => undefined);
  connect();

  return () => {
    overlay.hide();
    required.hide();
    observer.disconnect();
    failed = true;
    disconnectClient();
    context.setKeySink(null);
  };
}
