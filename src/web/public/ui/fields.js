/**
 * @module Form controls for the credential fields a login asks for (spec §3.11 `Field.Type`), each
 * labelled, and read back as the string the server expects (or null to leave the parameter out).
 */

import { h, uniqueId } from './dom.js';

/**
 * @typedef {import('./api.js').Field} Field
 */

/**
 * @typedef {object} FieldControl a rendered field
 * @property {HTMLElement} element the label and control, to insert in a form
 * @property {HTMLElement} control what receives focus
 * @property {() => string | null} read its value, or null to send nothing
 */

/** Labels of the well-known parameters; others are derived from the name. */
const LABELS = new Map([
  ['username', 'Username'],
  ['password', 'Password'],
  ['new-password', 'New password'],
  ['confirm-new-password', 'Confirm new password'],
  ['guac-totp', 'Authentication code'],
]);

/**
 * @param {string} name a parameter name such as `domain-name`
 * @returns {string} a label such as "Domain name"
 */
export function labelOf(name) {
  const known = LABELS.get(name);
  if (known) return known;
  const words = name.replace(/[-_.]+/g, ' ').trim();
  return words ? words.charAt(0).toUpperCase() + words.slice(1) : name;
}

/** Text-like types → input properties. */
const INPUTS = new Map([
  ['USERNAME', { type: 'text', autocomplete: 'username' }],
  ['PASSWORD', { type: 'password', autocomplete: 'current-password' }],
  ['EMAIL', { type: 'email', autocomplete: 'email' }],
  ['NUMERIC', { type: 'number' }],
  ['DATE', { type: 'date' }],
  ['TIME', { type: 'time' }],
  ['GUAC_TOTP_CODE', { type: 'text', autocomplete: 'one-time-code', inputMode: 'numeric' }],
]);

/**
 * Builds the control of a field.
 * @param {Field} field the field
 * @param {string} id the control's id
 * @param {string} value the value to start with
 * @returns {{ control: HTMLElement, read: () => string | null, inline?: boolean }} the control
 */
function controlOf(field, id, value) {
  const options = Array.isArray(field.options) ? field.options.map(String) : [];
  switch (field.type) {
    case 'BOOLEAN': {
      const truth = options[0] ?? 'true';
      const control = h('input', { props: { id, type: 'checkbox', checked: value === truth } });
      return { control, read: () => (control.checked ? truth : null), inline: true };
    }
    case 'ENUM': {
      const control = h(
        'select',
        { props: { id } },
        h('option', { props: { value: '' } }, ''),
        ...options.map((o) => h('option', { props: { value: o, selected: o === value } }, o)),
      );
      return { control, read: () => control.value };
    }
    case 'MULTILINE': {
      const control = h('textarea', { props: { id, value, rows: 4 } });
      return { control, read: () => control.value };
    }
    case 'TIMEZONE': {
      const zones =
        typeof Intl.supportedValuesOf === 'function' ? Intl.supportedValuesOf('timeZone') : [];
      const listId = `${id}-zones`;
      const control = h('input', { attrs: { list: listId }, props: { id, type: 'text', value } });
      const list = h('datalist', { props: { id: listId } });
      list.append(...zones.map((zone) => h('option', { props: { value: zone } })));
      return { control: h('span', {}, control, list), read: () => control.value };
    }
    default: {
      const settings = INPUTS.get(field.type) ?? { type: 'text' };
      const control = h('input', {
        attrs: { autocapitalize: 'none', spellcheck: 'false' },
        props: { id, ...settings, value },
      });
      return { control, read: () => control.value };
    }
  }
}

/**
 * Renders one field, or nothing for types that are not typed in: QUERY_PARAMETER (its value comes
 * from the page's URL) and REDIRECT (the login view navigates instead).
 * @param {Field} field the field
 * @param {string} [value] the value to start with
 * @returns {FieldControl | null} the rendered field
 */
export function renderField(field, value = '') {
  if (field.type === 'QUERY_PARAMETER' || field.type === 'REDIRECT') return null;
  const id = uniqueId(`field-${field.name}`);
  const { control, read, inline } = controlOf(field, id, value);
  const label = h('label', { attrs: { for: id } }, labelOf(field.name));
  const element = h(
    'div',
    { className: inline ? 'field field-inline' : 'field', dataset: { name: field.name } },
    ...(inline ? [control, label] : [label, control]),
  );
  const focusable = control.querySelector('input') ?? control;
  return { element, control: focusable, read };
}
