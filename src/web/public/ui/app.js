/**
 * @module The built-in web UI's entry point: logs in (or refreshes the stored session), then shows
 * the connection tree (`#/`) or a remote desktop (`#/client/<id>`), and logs out. One
 * Guacamole.Keyboard listens on the document for the whole page; a client view borrows it.
 */

import Guacamole from '../vendor/guacamole-common.js';
import { installGuacamoleFixes } from '../guacamole-fixes.js';
import * as api from './api.js';
import { renderClient } from './client-view.js';
import { h } from './dom.js';
import { renderHome } from './home-view.js';
import { decodeIdentifier } from './identifier.js';
import { renderLogin } from './login-view.js';

/** The fields of a plain login, until the server says otherwise (CredentialsInfo.USERNAME_PASSWORD). */
const USERNAME_PASSWORD = [
  { name: 'username', type: 'USERNAME' },
  { name: 'password', type: 'PASSWORD' },
];

/** How often the session is checked while no remote desktop keeps it alive (spec §6.4). */
const KEEP_ALIVE_MS = 15_000;

const fixes = installGuacamoleFixes(Guacamole, { patch: true });
const root = /** @type {HTMLElement} */ (document.getElementById('app'));
const appName = document.title || 'Guacamole';

/** @type {import('./api.js').AuthResult | null} */
let session = null;
/** The fields the server last asked for. */
let expected = USERNAME_PASSWORD;
/** @type {(() => void) | null} */
let disposeView = null;
/** @type {import('./client-input.js').KeySink | null} */
let keySink = null;
/** Whether the next home view comes right after a login (a sole connection then opens itself). */
let justLoggedIn = false;

const keyboard = new Guacamole.Keyboard(document);
keyboard.onkeydown = (keysym) => (keySink ? keySink.keydown(keysym) : true);
keyboard.onkeyup = (keysym) => keySink?.keyup(keysym);
window.addEventListener('blur', () => keyboard.reset());

/**
 * Replaces the current view.
 * @param {'login' | 'home' | 'client'} name the new view (also `body[data-view]`, for styles and tests)
 */
function enterView(name) {
  disposeView?.();
  disposeView = null;
  keySink = null;
  document.body.dataset.view = name;
  document.title = appName;
}

/** @param {import('./login-view.js').LoginState} state what the login form shows */
function showLogin(state) {
  enterView('login');
  renderLogin(root, state, (values) => login(values));
}

/**
 * Sends credentials (or the stored token) and moves on to the requested view, or back to the form.
 * @param {Record<string, string>} values the form's values, or `{ token }` on start-up
 * @param {boolean} [silent] do not report invalid credentials (the first, automatic attempt)
 */
async function login(values, silent = false) {
  const previous = api.storedToken();
  try {
    session = await api.authenticate(values);
  } catch (error) {
    session = null;
    const failure = error instanceof api.ApiError ? error : new api.ApiError(0, String(error));
    if (values.token) api.forgetToken();
    const entered = { ...values };
    delete entered.token;
    if (failure.expected) expected = failure.expected;
    if (failure.type === 'INSUFFICIENT_CREDENTIALS') {
      showLogin({ expected, accepted: entered, help: failure.message });
    } else if (failure.type === 'INVALID_CREDENTIALS') {
      // Like the official frontend (LOGIN.ERROR_INVALID_LOGIN): a generic message whatever the server
      // said, since Java's own rejection reads "Permission Denied.".
      showLogin({ expected, entered, ...(silent ? {} : { error: 'Invalid login.' }) });
    } else {
      showLogin({ expected, entered, error: failure.message });
    }
    return;
  }
  // Anonymous sessions (username "") are not remembered, as in the official frontend.
  if (session.username !== '') api.storeToken(session.authToken);
  if (previous && previous !== session.authToken) void api.revokeToken(previous);
  justLoggedIn = true;
  render();
}

/** Logs out, then shows the login form. */
async function logout() {
  const token = session?.authToken;
  session = null;
  api.forgetToken();
  enterView('login');
  if (token) await api.logout(token).catch(() => undefined);
  showLogin({ expected });
}

/** @param {string} message why the session ended */
function sessionEnded(message) {
  session = null;
  api.forgetToken();
  showLogin({ expected, error: message });
}

/** @param {unknown} error a failed REST call of a view */
function viewFailed(error) {
  if (error instanceof api.ApiError && error.unauthorized) {
    sessionEnded('Your session has expired. Please log in again.');
  } else {
    root.append(
      h(
        'p',
        { className: 'error', attrs: { role: 'alert' } },
        String(error instanceof Error ? error.message : error),
      ),
    );
  }
}

/** @returns {HTMLElement} the home view's banner */
function banner() {
  return h(
    'header',
    { className: 'banner' },
    h('span', { className: 'app-name' }, appName),
    h('span', { className: 'user' }, session?.username ?? ''),
    h('button', { props: { type: 'button' }, on: { click: () => void logout() } }, 'Log out'),
  );
}

/** Shows the view the URL asks for. */
function render() {
  if (!session) return;
  const autoOpen = justLoggedIn;
  justLoggedIn = false;
  const match = /^#\/client\/(.+)$/.exec(location.hash);
  if (match) {
    const identifier = decodeIdentifier(match[1]);
    if (!identifier) {
      location.hash = '#/';
      return;
    }
    enterView('client');
    disposeView = renderClient(root, {
      Guacamole,
      fixes,
      session,
      identifier,
      setKeySink: (sink) => {
        keySink = sink;
      },
      resetKeyboard: () => keyboard.reset(),
      onUnauthorized: sessionEnded,
      onLogout: () => void logout(),
    });
    return;
  }
  enterView('home');
  void renderHome(root, { session, header: banner(), onError: viewFailed, autoOpen }).then(() => {
    root.querySelector('h1')?.focus();
  });
}

window.addEventListener('hashchange', render);
window.addEventListener('pagehide', () => disposeView?.());
setInterval(() => {
  if (!session || document.body.dataset.view === 'client') return;
  const { authToken } = session;
  void api.sessionValid(authToken).then((valid) => {
    if (!valid && session?.authToken === authToken)
      sessionEnded('Your session has expired. Please log in again.');
  });
}, KEEP_ALIVE_MS);

const stored = api.storedToken();
void login(stored ? { token: stored } : {}, true);
