/**
 * @module Test helpers for the proxy: a TEST-ONLY "draw" protocol plugin (draws a rect on join, echoes key
 * events, fails on demand) and RawClient, which drives the daemon side with raw instructions.
 */
import type { Duplex } from 'node:stream';
import {
  GuacamoleStatus,
  Parser,
  UPSTREAM_LIMITS,
  UnauthorizedError,
  UpstreamNotFoundError,
  encodeInstruction,
  type Instruction,
} from '../../src/protocol/index.js';
import {
  createDuplexPair,
  type ConnectionContext,
  type ProtocolPlugin,
  type ProxyServer,
  type ProxyUser,
} from '../../src/proxy/index.js';

/** What the draw plugin saw. */
export interface DrawRecord {
  readonly contexts: ConnectionContext[];
  readonly joined: ProxyUser[];
  readonly left: ProxyUser[];
  readonly keys: [string, number, boolean][];
  readonly clipboard: string[];
  closed: number;
}

/** The draw plugin's parameters. */
export const DRAW_ARGS = ['hostname', 'port', 'read-only', 'fail'] as const;

/**
 * A TEST-ONLY plugin: each joining user gets a 64×48 rect and a sync; keys from writable users are echoed
 * to everyone as `key`; clipboard text is recorded; `fail=519|769` rejects connect with that code.
 * @returns the plugin and its record
 */
export function drawPlugin(): { plugin: ProtocolPlugin; record: DrawRecord } {
  const record: DrawRecord = {
    contexts: [],
    joined: [],
    left: [],
    keys: [],
    clipboard: [],
    closed: 0,
  };
  const plugin: ProtocolPlugin = {
    name: 'draw',
    args: DRAW_ARGS,
    async connect(context) {
      record.contexts.push(context);
      await Promise.resolve();
      const fail = context.owner.parameters.get('fail');
      if (fail === '519') throw new UpstreamNotFoundError('Unable to connect to the server.');
      if (fail === '769') throw new UnauthorizedError('Credentials required.');
      return {
        join(user) {
          record.joined.push(user);
          user.send('size', '0', '64', '48');
          user.send('rect', '0', '0', '0', '64', '48');
          user.send('cfill', '14', '0', '255', '0', '0', '255');
          user.send('sync', '1');
          user.setHandlers({
            key(keysym, pressed) {
              record.keys.push([user.id, keysym, pressed]);
              if (!user.readOnly) context.broadcast('key', String(keysym), pressed ? '1' : '0');
            },
            stream(stream) {
              if (stream.kind !== 'clipboard') return undefined;
              const parts: Buffer[] = [];
              return {
                blob: (data) => parts.push(data),
                end: () => record.clipboard.push(Buffer.concat(parts).toString('utf8')),
              };
            },
          });
        },
        leave(user) {
          record.left.push(user);
        },
        close() {
          record.closed++;
        },
      };
    },
  };
  return { plugin, record };
}

/**
 * Resolves or rejects with `promise`, failing after `ms`; the timer also keeps the event loop alive while
 * the proxy's own timers are unref'd.
 * @param promise what to wait for
 * @param ms the watchdog
 * @returns the promise's value
 */
export async function within<T>(promise: Promise<T>, ms = 5000): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const watchdog = new Promise<never>((_resolve, reject) => {
    timer = setTimeout(() => {
      reject(new Error(`Timed out after ${ms} ms.`));
    }, ms);
  });
  try {
    return await Promise.race([promise, watchdog]);
  } finally {
    clearTimeout(timer);
  }
}

/** Drives the proxy with raw instructions over an in-memory pair. */
export class RawClient {
  readonly end: Duplex;
  readonly received: Instruction[] = [];
  /** Resolves once the proxy closed the stream. */
  readonly closed: Promise<void>;
  /** Resolves once the proxy finished serving this user. */
  readonly served: Promise<void>;
  #cursor = 0;
  #waiters: (() => void)[] = [];
  #isClosed = false;

  /** @param server the proxy to connect to */
  constructor(server: ProxyServer) {
    const [client, proxy] = createDuplexPair();
    this.end = client;
    this.served = server.handle(proxy);
    const parser = new Parser(UPSTREAM_LIMITS);
    client.setEncoding('utf8');
    client.on('data', (text: string) => {
      parser.receive(text, (instruction) => this.received.push(instruction));
      this.#wake();
    });
    client.on('error', () => undefined);
    this.closed = new Promise((resolve) => {
      client.once('close', () => {
        this.#isClosed = true;
        this.#wake();
        resolve();
      });
    });
  }

  /**
   * Sends one instruction.
   * @param opcode the opcode
   * @param args its arguments
   */
  send(opcode: string, ...args: readonly string[]): void {
    this.end.write(encodeInstruction(opcode, ...args));
  }

  /**
   * Sends raw text or bytes.
   * @param data the data
   */
  write(data: string | Buffer): void {
    this.end.write(data);
  }

  /** @returns the next instruction, or null once the stream closed */
  async next(): Promise<Instruction | null> {
    return await within(this.#next());
  }

  /**
   * @param opcode the opcode wanted
   * @returns the next instruction with that opcode (others are skipped)
   */
  async expect(opcode: string): Promise<Instruction> {
    for (;;) {
      const instruction = await this.next();
      if (instruction === null) throw new Error(`Closed while waiting for "${opcode}".`);
      if (instruction.opcode === opcode) return instruction;
    }
  }

  /** Performs the handshake for `draw` with the given parameter values. */
  async handshake(
    select: string,
    values: Partial<Record<(typeof DRAW_ARGS)[number], string>> = {},
  ): Promise<string> {
    this.send('select', select);
    await this.expect('args');
    this.send('size', '800', '600', '96');
    this.send('audio');
    this.send('video');
    this.send('image', 'image/png');
    this.send('connect', 'VERSION_1_5_0', ...DRAW_ARGS.map((name) => values[name] ?? ''));
    return (await this.expect('ready')).args[0] ?? '';
  }

  async #next(): Promise<Instruction | null> {
    for (;;) {
      const instruction = this.received[this.#cursor];
      if (instruction !== undefined) {
        this.#cursor++;
        return instruction;
      }
      if (this.#isClosed) return null;
      await new Promise<void>((resolve) => this.#waiters.push(resolve));
    }
  }

  #wake(): void {
    for (const resolve of this.#waiters.splice(0)) resolve();
  }
}

/** CLIENT_TIMEOUT as sent on the wire. */
export const CLIENT_TIMEOUT = String(GuacamoleStatus.CLIENT_TIMEOUT.guac);
