/**
 * @module The argument prompt (guacd's argv.c with `guac_client_owner_send_required`): a plugin that lacks
 * parameters (a password, a username) sends the owner `required,<name>…` and waits for the owner's
 * `argv,<stream>,text/plain,<name>` streams, one per name, before it goes on connecting.
 */
import {
  GuacamoleStatus,
  UnauthorizedError,
  supports,
  type GuacamoleError,
} from '../protocol/index.js';
import type {
  ArgumentReceiver,
  ConnectionContext,
  InboundStream,
  ProxyUser,
  StreamHandlers,
  StreamRefusal,
} from './plugin.js';

/** The longest value kept, in bytes; guacd keeps GUAC_ARGV_MAX_LENGTH - 1 and drops the rest. */
export const MAX_ARGUMENT_BYTES = 16383;

/** The only mimetype accepted for a value. */
export const ARGUMENT_MIMETYPE = 'text/plain';

/** guacd's `ack` message for an accepted `argv` stream. */
export const ARGUMENT_ACCEPTED = 'Ready for updated parameter.';

/** guacd's refusal of a name nobody asked for (771). */
const NOT_ALLOWED: StreamRefusal = {
  message: 'Not allowed.',
  status: GuacamoleStatus.CLIENT_FORBIDDEN,
};

/**
 * Whether a user can be asked for parameters: it speaks protocol 1.3.0 or later (`required`) and the
 * proxy can route its `argv` streams.
 * @param user the user, normally the connection's owner
 * @returns true when {@link promptArguments} can ask it
 */
export function canPrompt(user: ProxyUser): boolean {
  return (
    supports(user.protocolVersion, 'REQUIRED_INSTRUCTION') && user.receiveArguments !== undefined
  );
}

/**
 * Asks the connection's owner for parameters and waits for every one of them. Only the owner's streams
 * are read; names not asked for are refused with 771, mimetypes other than text/plain with 783. Values
 * are UTF-8, cut at {@link MAX_ARGUMENT_BYTES}. A name answered twice keeps its last value.
 * @param context the connection; its owner is asked, its end gives up
 * @param names the parameter names (e.g. `username`, `password`), at least one
 * @returns the value of every name
 * @throws {UnauthorizedError} when the owner cannot be asked (protocol older than 1.3.0), leaves before
 * answering, or the connection ends first
 */
export async function promptArguments(
  context: ConnectionContext,
  names: readonly string[],
): Promise<ReadonlyMap<string, string>> {
  const owner = context.owner;
  if (!canPrompt(owner)) {
    throw new UnauthorizedError(
      `The connection needs ${list(names)}, and the client cannot be asked.`,
    );
  }
  return await new Promise<ReadonlyMap<string, string>>((resolve, reject) => {
    const prompt = new ArgumentPrompt(names, (error, values) => {
      owner.receiveArguments?.(undefined);
      context.signal.removeEventListener('abort', onAbort);
      if (error !== undefined) reject(error);
      else resolve(values);
    });
    const onAbort = () => {
      prompt.fail(new UnauthorizedError(`The connection ended while waiting for ${list(names)}.`));
    };
    if (context.signal.aborted) {
      onAbort();
      return;
    }
    context.signal.addEventListener('abort', onAbort);
    context.log('debug', `Asking the owner for ${list(names)}.`);
    owner.send('required', ...names);
    owner.receiveArguments?.(prompt);
  });
}

type Settle = (error: GuacamoleError | undefined, values: ReadonlyMap<string, string>) => void;

/** The receiver of one prompt: which names are still awaited, and the values received so far. */
class ArgumentPrompt implements ArgumentReceiver {
  readonly accepted = ARGUMENT_ACCEPTED;
  readonly #names: ReadonlySet<string>;
  readonly #values = new Map<string, string>();
  readonly #settle: Settle;
  #done = false;

  constructor(names: readonly string[], settle: Settle) {
    this.#names = new Set(names);
    this.#settle = settle;
  }

  open(stream: InboundStream): StreamHandlers | StreamRefusal {
    const name = stream.name ?? '';
    if (this.#done || !this.#names.has(name)) return NOT_ALLOWED;
    if (stream.mimetype !== ARGUMENT_MIMETYPE) {
      return {
        message: `Unsupported mimetype for "${name}": only ${ARGUMENT_MIMETYPE} is accepted.`,
        status: GuacamoleStatus.CLIENT_BAD_TYPE,
      };
    }
    const chunks: Buffer[] = [];
    let length = 0;
    return {
      blob: (data) => {
        const room = MAX_ARGUMENT_BYTES - length;
        if (room <= 0) return;
        const kept = data.length > room ? data.subarray(0, room) : data;
        chunks.push(kept);
        length += kept.length;
      },
      end: () => {
        this.#received(name, Buffer.concat(chunks, length).toString('utf8'));
      },
    };
  }

  left(): void {
    this.fail(new UnauthorizedError('The owner left before answering.'));
  }

  /**
   * Gives up: the promise rejects with `error`.
   * @param error the reason
   */
  fail(error: GuacamoleError): void {
    if (this.#done) return;
    this.#done = true;
    this.#settle(error, this.#values);
  }

  #received(name: string, value: string): void {
    if (this.#done) return;
    this.#values.set(name, value);
    if (this.#values.size < this.#names.size) return;
    this.#done = true;
    this.#settle(undefined, this.#values);
  }
}

function list(names: readonly string[]): string {
  return names.map((name) => `"${name}"`).join(' and ');
}
