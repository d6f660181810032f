/**
 * @module ListenerService (webapp `ListenerService`): delivers each event to every listener in order. A
 * listener that throws stops the chain and the error propagates, which is how vetoes work.
 */
import type { ExtensionLogger, GuacamoleEvent, Listener } from '../extensions/api.js';
import { SILENT_EXTENSION_LOGGER } from '../extensions/api.js';

/** The ordered listeners of every extension (plus built-in ones). */
export class ListenerService implements Listener {
  readonly #listeners: readonly Listener[];
  readonly #logger: ExtensionLogger;

  /**
   * @param listeners the listeners, in extension load order
   * @param logger where {@link ListenerService.notify} reports listener failures
   */
  constructor(
    listeners: Iterable<Listener> = [],
    logger: ExtensionLogger = SILENT_EXTENSION_LOGGER,
  ) {
    this.#listeners = Object.freeze([...listeners]);
    this.#logger = logger;
  }

  /** The listeners, in order. */
  get listeners(): readonly Listener[] {
    return this.#listeners;
  }

  /**
   * Delivers an event to every listener in order, stopping at the first that throws.
   * @param event the event
   * @returns when every listener has handled it
   * @throws {GuacamoleError} (or anything else) the first listener error: the veto
   */
  async handleEvent(event: GuacamoleEvent): Promise<void> {
    for (const listener of this.#listeners) await listener.handleEvent(event);
  }

  /**
   * Delivers an event whose listeners cannot veto (application start/shutdown, session invalidation):
   * a listener error is logged and the remaining listeners are skipped, as in Java.
   * @param event the event
   * @returns when delivery has finished or failed
   */
  async notify(event: GuacamoleEvent): Promise<void> {
    try {
      await this.handleEvent(event);
    } catch (error) {
      this.#logger.error(
        `An extension listening for ${event.type} failed: ${describeError(error)}`,
      );
    }
  }
}

/**
 * Describes a thrown value for a log line without its stack.
 * @param error anything thrown
 * @returns the message, or the value as a string
 */
export function describeError(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
