/**
 * @module The clipboard panel of the client view: a labelled textarea that shows the remote
 * clipboard as it changes and sends the user's edits to it, as UTF-8 text streams written and read
 * with our fixed StringWriter/StringReader (guacamole-fixes.js), so text outside the BMP survives.
 */

import { h, uniqueId } from './dom.js';

/**
 * @typedef {object} StreamCodec the fixed classes (`installGuacamoleFixes(Guacamole)`)
 * @property {new (stream: object) => { sendText(text: string): void, sendEnd(): void }} StringWriter
 * @property {new (stream: object) => { ontext: ((text: string) => void) | null, onend: (() => void) | null }} StringReader
 */

/** The clipboard panel; one per client view, attached to each client it connects. */
export class ClipboardPanel {
  /** @type {StreamCodec} */
  #codec;

  /** @type {{ createClipboardStream(type: string): object } | null} */
  #client = null;

  /** Whether the attached client is connected (streams opened before would be lost). */
  #connected = false;

  /** The panel, hidden until toggled. */
  element;

  /** The text area. */
  textarea;

  /** @param {StreamCodec} codec the fixed StringWriter and StringReader */
  constructor(codec) {
    this.#codec = codec;
    const id = uniqueId('clipboard');
    this.textarea = h('textarea', {
      attrs: { 'aria-describedby': `${id}-help`, spellcheck: 'false' },
      props: { id, rows: 8 },
      on: {
        input: () => {
          this.textarea.dataset.source = 'local';
          this.send();
        },
      },
    });
    this.element = h(
      'aside',
      { className: 'clipboard-panel', props: { id: `${id}-panel`, hidden: true } },
      h('label', { attrs: { for: id } }, 'Clipboard'),
      h(
        'p',
        { className: 'help', props: { id: `${id}-help` } },
        'Text copied in the remote desktop appears here. Text typed or pasted here is sent to the ' +
          'remote clipboard.',
      ),
      this.textarea,
    );
  }

  /**
   * Listens to a client's clipboard.
   * @param {{ onclipboard: ((stream: object, mimetype: string) => void) | null, createClipboardStream(type: string): object }} client the client
   */
  attach(client) {
    this.#client = client;
    client.onclipboard = (stream, mimetype) => {
      // Only text is shown; other clipboard types (images) are left unread.
      if (!/^text\//.test(mimetype)) return;
      const reader = new this.#codec.StringReader(stream);
      let text = '';
      reader.ontext = (chunk) => {
        text += chunk;
      };
      reader.onend = () => {
        if (this.#client !== client) return;
        this.textarea.value = text;
        this.textarea.dataset.source = 'remote';
      };
    };
  }

  /** Stops listening to the current client. */
  detach() {
    this.#client = null;
    this.#connected = false;
  }

  /**
   * Tells the panel whether its client is connected; on connecting, text typed while disconnected
   * is sent.
   * @param {boolean} connected the client's state
   */
  setConnected(connected) {
    this.#connected = connected;
    if (connected && this.textarea.dataset.source === 'local' && this.textarea.value) this.send();
  }

  /** Sends the panel's text to the remote clipboard (nothing happens until connected). */
  send() {
    if (!this.#client || !this.#connected) return;
    const writer = new this.#codec.StringWriter(this.#client.createClipboardStream('text/plain'));
    writer.sendText(this.textarea.value);
    writer.sendEnd();
  }

  /**
   * Shows or hides the panel.
   * @param {boolean} [shown] the new state (default: toggle)
   * @returns {boolean} whether it is shown now
   */
  toggle(shown = this.element.hidden) {
    this.element.hidden = !shown;
    return shown;
  }
}
