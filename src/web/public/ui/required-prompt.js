/**
 * @module The dialog over a client's display when the remote desktop needs parameters the connection
 * does not have (the `required` instruction, e.g. a VNC password): one field per name, passwords
 * masked, and the values sent back as `argv` streams, as the official frontend does.
 */

import { h, uniqueId } from './dom.js';
import { renderField } from './fields.js';

/**
 * @param {string} name a parameter name such as `password` or `domain`
 * @returns {string} the Field type its control uses
 */
function typeOf(name) {
  if (/pass(word|phrase)/i.test(name)) return 'PASSWORD';
  if (name === 'username') return 'USERNAME';
  return 'TEXT';
}

/**
 * Sends parameter values the way ManagedClient does: one `argv` stream of text/plain per name.
 * @param {{ StringWriter: new (stream: object) => { sendText(text: string): void, sendEnd(): void } }} Guacamole
 *     the guacamole-common-js namespace
 * @param {{ createArgumentValueStream(mimetype: string, name: string): object }} client the client
 * @param {Record<string, string>} values the values by name
 */
export function sendArguments(Guacamole, client, values) {
  for (const [name, value] of Object.entries(values)) {
    const writer = new Guacamole.StringWriter(client.createArgumentValueStream('text/plain', name));
    writer.sendText(value);
    writer.sendEnd();
  }
}

/** The credentials dialog of one client view. */
export class RequiredPrompt {
  /** The dialog, hidden until {@link RequiredPrompt#show}. */
  element;

  #title = h('h2', { props: { id: uniqueId('required-title') } }, 'Credentials required');
  #fields = h('div', { className: 'fields' });
  #form;

  /** @type {((values: Record<string, string>) => void) | null} */
  #submit = null;

  /** @type {{ name: string, read: () => string | null }[]} */
  #controls = [];

  constructor() {
    this.#form = h(
      'form',
      { className: 'dialog', props: { noValidate: true } },
      this.#title,
      h('p', { className: 'message' }, 'The remote desktop asks for the following:'),
      this.#fields,
      h(
        'div',
        { className: 'actions' },
        h('button', { className: 'primary', props: { type: 'submit' } }, 'Continue'),
      ),
    );
    this.#form.addEventListener('submit', (event) => {
      event.preventDefault();
      const submit = this.#submit;
      if (!submit) return;
      /** @type {Record<string, string>} */
      const values = {};
      for (const { name, read } of this.#controls) values[name] = read() ?? '';
      this.hide();
      submit(values);
    });
    this.element = h(
      'div',
      {
        className: 'overlay required',
        attrs: { role: 'dialog', 'aria-modal': 'true', 'aria-labelledby': this.#title.id },
        props: { hidden: true },
      },
      this.#form,
    );
  }

  /** Whether the dialog is shown. */
  get shown() {
    return !this.element.hidden;
  }

  /**
   * Shows one field per name (names repeated are shown once) and focuses the first.
   * @param {string[]} names the parameter names the server asked for
   * @param {(values: Record<string, string>) => void} submit receives a value for every name
   */
  show(names, submit) {
    const unique = [...new Set(names.map(String))];
    this.#submit = submit;
    this.#controls = [];
    const elements = [];
    for (const name of unique) {
      const rendered = renderField({ name, type: typeOf(name) });
      if (!rendered) continue;
      this.#controls.push({ name, read: rendered.read });
      elements.push(rendered.element);
    }
    this.#fields.replaceChildren(...elements);
    this.element.hidden = false;
    this.#form.querySelector('input')?.focus();
  }

  /** Hides the dialog and forgets what was typed. */
  hide() {
    this.element.hidden = true;
    this.#submit = null;
    this.#controls = [];
    this.#fields.replaceChildren();
  }
}
