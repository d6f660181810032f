/**
 * @module ProxyUserImpl: one joined user of a connection, running guacd's user input loop: instructions go to
 * the plugin's handlers, streams are tracked and acknowledged, silence ends with "User is not responding."
 */
import {
  ClientTimeoutError,
  GuacamoleError,
  GuacamoleStatus,
  type ClientInformation,
  type Instruction,
  type ProtocolVersion,
  type StatusEntry,
} from '../protocol/index.js';
import type {
  ArgumentReceiver,
  InboundStream,
  ProxyLogger,
  ProxyUser,
  StreamHandlers,
  UserHandlers,
} from './plugin.js';
import type { UserChannel } from './user-channel.js';

/** Streams a user may have open at once (guacd: GUAC_USER_MAX_STREAMS). */
export const MAX_STREAMS = 512;

/** guacd's refusal message for each kind of inbound stream nobody handles. */
const UNSUPPORTED: Readonly<Record<InboundStream['kind'], string>> = {
  clipboard: 'Clipboard unsupported',
  file: 'File transfer unsupported',
  pipe: 'Named pipes unsupported',
  argv: 'Reconfiguring in-progress connections unsupported',
  audio: 'Audio input unsupported',
};

/** Everything a user is made of once its handshake has completed. */
export interface ProxyUserInit {
  readonly id: string;
  readonly owner: boolean;
  readonly info: Readonly<ClientInformation>;
  readonly protocolVersion: ProtocolVersion;
  readonly parameters: ReadonlyMap<string, string>;
  readonly channel: UserChannel;
  readonly log: ProxyLogger;
}

/** The proxy's implementation of {@link ProxyUser}. */
export class ProxyUserImpl implements ProxyUser {
  readonly id: string;
  readonly owner: boolean;
  readonly info: Readonly<ClientInformation>;
  readonly protocolVersion: ProtocolVersion;
  readonly parameters: ReadonlyMap<string, string>;
  lastSync: number | undefined;
  readonly #channel: UserChannel;
  readonly #log: ProxyLogger;
  readonly #streams = new Map<number, StreamHandlers>();
  #handlers: UserHandlers = {};
  #arguments: ArgumentReceiver | undefined;
  #left = false;

  /** @param init the handshake's results and the user's channel */
  constructor(init: ProxyUserInit) {
    this.id = init.id;
    this.owner = init.owner;
    this.info = init.info;
    this.protocolVersion = init.protocolVersion;
    this.parameters = init.parameters;
    this.#channel = init.channel;
    this.#log = init.log;
  }

  get readOnly(): boolean {
    return this.parameters.get('read-only') === 'true';
  }

  setHandlers(handlers: UserHandlers): void {
    this.#handlers = handlers;
  }

  receiveArguments(receiver: ArgumentReceiver | undefined): void {
    this.#arguments = this.#left ? undefined : receiver;
    if (this.#left) receiver?.left();
  }

  send(opcode: string, ...args: readonly string[]): void {
    this.#channel.send(opcode, ...args);
  }

  /**
   * Sends whole, already encoded instructions to this user.
   * @param text the instructions
   */
  sendRaw(text: string): void {
    this.#channel.sendRaw(text);
  }

  abort(message: string, status: StatusEntry): void {
    this.#channel.send('error', message, String(status.guac));
    this.#channel.close();
  }

  /** Sends `disconnect` and closes the user's connection (guacd's normal end of a user). */
  stop(): void {
    this.#channel.send('disconnect');
    this.#channel.close();
  }

  /**
   * Runs the input loop until the user leaves, is dropped, or the connection ends.
   * @param timeoutMs the longest silence allowed (guacd: 15 s)
   */
  async run(timeoutMs: number): Promise<void> {
    try {
      for (;;) {
        const instruction = await this.#channel.read(timeoutMs);
        if (instruction === null || !this.#dispatch(instruction)) break;
      }
      this.stop();
    } catch (error) {
      if (error instanceof ClientTimeoutError) {
        this.#log('info', `User "${this.id}" is not responding.`);
        this.abort('User is not responding.', GuacamoleStatus.CLIENT_TIMEOUT);
      } else if (error instanceof GuacamoleError) {
        this.#log('warning', `Guacamole connection failure for "${this.id}": ${error.message}`);
        this.abort(error.message, error.status);
      } else {
        this.#log('warning', `User connection "${this.id}" aborted: ${String(error)}`);
        this.stop();
      }
    } finally {
      this.#left = true;
      const receiver = this.#arguments;
      this.#arguments = undefined;
      receiver?.left();
      this.#endStreams();
    }
  }

  /** Handles one instruction; false means the user asked to leave. Plugin failures end the user. */
  #dispatch(instruction: Instruction): boolean {
    const { opcode, args } = instruction;
    const handlers = this.#handlers;
    switch (opcode) {
      case 'nop':
        return true;
      case 'disconnect':
        return false;
      case 'sync':
        this.lastSync = toInt(args[0]);
        break;
      case 'key': {
        const keysym = toInt(args[0]);
        if (keysym !== undefined) handlers.key?.(keysym, args[1] === '1');
        return true;
      }
      case 'mouse': {
        const [x, y, mask] = [toInt(args[0]), toInt(args[1]), toInt(args[2] ?? '0')];
        if (x !== undefined && y !== undefined) handlers.mouse?.(x, y, mask ?? 0);
        return true;
      }
      case 'size': {
        const [width, height] = [toInt(args[0]), toInt(args[1])];
        if (width !== undefined && height !== undefined) handlers.size?.(width, height);
        return true;
      }
      case 'clipboard':
      case 'file':
      case 'pipe':
      case 'argv':
      case 'audio':
        this.#openStream(opcode, args);
        return true;
      case 'blob':
        this.#blob(args);
        return true;
      case 'end': {
        const index = toInt(args[0]);
        const stream = index === undefined ? undefined : this.#streams.get(index);
        if (index !== undefined) this.#streams.delete(index);
        stream?.end?.();
        return true;
      }
    }
    handlers.instruction?.(instruction);
    return true;
  }

  #openStream(kind: InboundStream['kind'], args: readonly string[]): void {
    const index = toInt(args[0]);
    if (index === undefined || index < 0 || index >= MAX_STREAMS) {
      this.send(
        'ack',
        args[0] ?? '',
        'Invalid stream index',
        code(GuacamoleStatus.CLIENT_BAD_REQUEST),
      );
      return;
    }
    const named = kind === 'file' || kind === 'pipe' || kind === 'argv';
    const stream: InboundStream = {
      index,
      kind,
      mimetype: args[1] ?? '',
      name: named ? (args[2] ?? '') : undefined,
    };
    if (kind === 'argv' && this.#arguments !== undefined) {
      this.#openArgument(this.#arguments, stream);
      return;
    }
    const handlers = this.#handlers.stream?.(stream);
    if (handlers === undefined) {
      this.send('ack', String(index), UNSUPPORTED[kind], code(GuacamoleStatus.UNSUPPORTED));
      return;
    }
    this.#streams.set(index, handlers);
    this.send('ack', String(index), 'OK', code(GuacamoleStatus.SUCCESS));
  }

  /** An `argv` stream while a plugin waits for parameters: accepted or refused as the receiver says. */
  #openArgument(receiver: ArgumentReceiver, stream: InboundStream): void {
    const answer = receiver.open(stream);
    if ('status' in answer) {
      this.send('ack', String(stream.index), answer.message, code(answer.status));
      return;
    }
    this.#streams.set(stream.index, answer);
    this.send('ack', String(stream.index), receiver.accepted, code(GuacamoleStatus.SUCCESS));
  }

  #blob(args: readonly string[]): void {
    const index = toInt(args[0]);
    const stream = index === undefined ? undefined : this.#streams.get(index);
    if (stream === undefined) return;
    stream.blob?.(Buffer.from(args[1] ?? '', 'base64'));
    this.send('ack', String(index), 'OK', code(GuacamoleStatus.SUCCESS));
  }

  #endStreams(): void {
    const streams = [...this.#streams.values()];
    this.#streams.clear();
    for (const stream of streams) stream.end?.();
  }
}

function code(status: StatusEntry): string {
  return String(status.guac);
}

/** guacd's `atoi` for well-formed input: a decimal integer, else undefined (the instruction is dropped). */
function toInt(text: string | undefined): number | undefined {
  if (text === undefined || !/^-?\d{1,15}$/.test(text)) return undefined;
  return Number(text);
}
