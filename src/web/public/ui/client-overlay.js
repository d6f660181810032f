/**
 * @module The dialog over a client's display when its connection failed or ended: what happened, a
 * countdown to the next automatic attempt when there is one, Reconnect, and the way home.
 */

import { h, setText, uniqueId } from './dom.js';

/** The dialog of one client view. */
export class ClientOverlay {
  /** The dialog, hidden until {@link ClientOverlay#show}. */
  element;

  #title = h('h2', { props: { id: uniqueId('overlay-title') } });
  #message = h('p', { className: 'message', props: { id: uniqueId('overlay-message') } });
  #countdown = h('p', { className: 'countdown' });
  #reconnect = h('button', { className: 'primary', props: { type: 'button' } }, 'Reconnect');

  /** @type {ReturnType<typeof setInterval> | undefined} */
  #timer;

  /** @type {() => void} */
  #onElapsed;

  /**
   * @param {{ reconnect: () => void, retry: () => void }} actions `reconnect` runs on the button,
   *     `retry` when a countdown ends
   */
  constructor(actions) {
    this.#reconnect.addEventListener('click', actions.reconnect);
    this.#onElapsed = actions.retry;
    this.element = h(
      'div',
      {
        className: 'overlay',
        attrs: {
          role: 'alertdialog',
          'aria-labelledby': this.#title.id,
          'aria-describedby': this.#message.id,
        },
        props: { hidden: true },
      },
      h(
        'div',
        { className: 'dialog' },
        this.#title,
        this.#message,
        this.#countdown,
        h(
          'div',
          { className: 'actions' },
          this.#reconnect,
          h('a', { props: { href: '#/' } }, 'Home'),
        ),
      ),
    );
  }

  /**
   * Shows the dialog and moves the focus to Reconnect.
   * @param {string} title e.g. "Connection error"
   * @param {string} message what happened
   * @param {number} code the Guacamole status code (0 for a normal end), as `data-code`
   */
  show(title, message, code) {
    setText(this.#title, title);
    setText(this.#message, message);
    this.element.dataset.code = String(code);
    this.element.hidden = false;
    this.#reconnect.focus();
  }

  /**
   * Counts down, then reconnects.
   * @param {number} seconds how long to wait
   */
  countDown(seconds) {
    this.stopCountdown();
    let remaining = seconds;
    const tick = () => {
      setText(this.#countdown, `Reconnecting in ${remaining} second${remaining === 1 ? '' : 's'}…`);
    };
    tick();
    this.#timer = setInterval(() => {
      remaining -= 1;
      if (remaining > 0) tick();
      else this.#onElapsed();
    }, 1000);
  }

  /** Cancels the countdown, if any. */
  stopCountdown() {
    clearInterval(this.#timer);
    this.#timer = undefined;
    setText(this.#countdown, '');
  }

  /** Hides the dialog and cancels the countdown. */
  hide() {
    this.stopCountdown();
    this.element.hidden = true;
  }
}
