/**
 * @module Small DOM helpers. Elements are built from properties and text nodes only: nothing here
 * parses HTML, so names and messages from the server can never become markup.
 */

/**
 * @typedef {object} ElementOptions
 * @property {string} [className] the class attribute
 * @property {Record<string, string>} [attrs] attributes (`for`, `aria-*`, `role`, …)
 * @property {Record<string, string>} [dataset] `data-*` attributes
 * @property {Record<string, EventListener>} [on] event listeners, by event type
 * @property {Record<string, unknown>} [props] element properties (`type`, `value`, `hidden`, …)
 */

/** @typedef {Node | string | null | undefined | false} Child */

/**
 * Creates an element.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag the tag name
 * @param {ElementOptions} [options] attributes, properties and listeners
 * @param {...Child} children nodes, or strings (added as text); null, undefined and false are skipped
 * @returns {HTMLElementTagNameMap[K]} the element
 */
export function h(tag, options = {}, ...children) {
  const element = document.createElement(tag);
  if (options.className) element.className = options.className;
  for (const [name, value] of Object.entries(options.attrs ?? {}))
    element.setAttribute(name, value);
  Object.assign(element.dataset, options.dataset ?? {});
  for (const [name, value] of Object.entries(options.props ?? {})) {
    if (name === 'innerHTML' || name === 'outerHTML') throw new Error(`Refusing to set ${name}`);
    Reflect.set(element, name, value);
  }
  for (const [type, listener] of Object.entries(options.on ?? {})) {
    element.addEventListener(type, listener);
  }
  append(element, ...children);
  return element;
}

/**
 * Appends children to an element, strings as text nodes.
 * @param {Element} parent the element
 * @param {...Child} children what to append
 */
export function append(parent, ...children) {
  for (const child of children) {
    if (child === null || child === undefined || child === false) continue;
    parent.append(typeof child === 'string' ? document.createTextNode(child) : child);
  }
}

/**
 * Replaces an element's content with text.
 * @param {Element} element the element
 * @param {string} text the text
 */
export function setText(element, text) {
  element.textContent = text;
}

/** A counter for ids that tie labels to their controls. */
let nextId = 0;

/**
 * Generates a document-unique id.
 * @param {string} prefix what the id is for
 * @returns {string} the id
 */
export function uniqueId(prefix) {
  nextId += 1;
  return `${prefix}-${nextId}`;
}
