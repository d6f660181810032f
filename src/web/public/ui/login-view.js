/**
 * @module The login view: the fields the server expects (spec §6.2), an alert for a failed attempt,
 * and, after INSUFFICIENT_CREDENTIALS, only the fields still missing; the values already accepted
 * are sent again with them, as the official frontend does.
 */

import { h } from './dom.js';
import { renderField } from './fields.js';

/**
 * @typedef {import('./api.js').Field} Field
 */

/**
 * @typedef {object} LoginState what the view shows
 * @property {Field[]} expected the fields the server asked for
 * @property {Record<string, string>} [accepted] values the server accepted so far (sent again)
 * @property {Record<string, string>} [entered] values to fill in (passwords are never kept)
 * @property {string} [error] why the last attempt failed
 * @property {string} [help] what the server says about the extra fields it needs
 */

/**
 * @param {string} url a redirect target from the server
 * @returns {boolean} whether it is a web address (never `javascript:` or the like)
 */
function isWebAddress(url) {
  try {
    return ['http:', 'https:'].includes(new URL(url, location.href).protocol);
  } catch {
    return false;
  }
}

/**
 * Renders the login view.
 * @param {HTMLElement} root where to render
 * @param {LoginState} state the fields, values and messages
 * @param {(values: Record<string, string>) => Promise<void>} submit sends the credentials; the app
 *     renders the outcome
 */
export function renderLogin(root, state, submit) {
  const accepted = state.accepted ?? {};
  const entered = state.entered ?? {};
  const redirect = state.expected.find((f) => f.type === 'REDIRECT' && f.redirectUrl);
  if (redirect && isWebAddress(String(redirect.redirectUrl))) {
    root.replaceChildren(
      h('p', { className: 'notice', attrs: { role: 'status' } }, 'Redirecting…'),
    );
    location.assign(String(redirect.redirectUrl));
    return;
  }
  const missing = state.expected.filter((f) => !Object.hasOwn(accepted, f.name));
  const fields = (missing.length > 0 ? missing : state.expected)
    .map((field) => ({
      field,
      rendered: renderField(field, field.type === 'PASSWORD' ? '' : (entered[field.name] ?? '')),
    }))
    .filter((f) => f.rendered !== null);

  const label = Object.keys(accepted).length > 0 ? 'Continue' : 'Log in';
  const button = h('button', { className: 'primary', props: { type: 'submit' } }, label);
  const form = h(
    'form',
    {
      className: 'login-form',
      attrs: { 'aria-labelledby': 'login-title' },
      props: { noValidate: true },
    },
    h('h1', { props: { id: 'login-title' } }, document.title || 'Guacamole'),
    state.help ? h('p', { className: 'help' }, state.help) : null,
    state.error ? h('p', { className: 'error', attrs: { role: 'alert' } }, state.error) : null,
    ...fields.map((f) => f.rendered?.element),
    h('div', { className: 'actions' }, button),
  );
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    /** @type {Record<string, string>} */
    const values = { ...accepted };
    for (const { field, rendered } of fields) {
      const value = rendered?.read();
      if (value !== null && value !== undefined) values[field.name] = value;
    }
    button.disabled = true;
    form.setAttribute('aria-busy', 'true');
    submit(values)
      .catch(() => undefined)
      .finally(() => {
        button.disabled = false;
        form.removeAttribute('aria-busy');
      });
  });
  root.replaceChildren(h('section', { className: 'login' }, form));
  const controls = fields.map((f) => /** @type {HTMLInputElement} */ (f.rendered?.control));
  (controls.find((control) => !control.value) ?? controls[0])?.focus();
}
