/**
 * @module bench/proxy/client: a Guacamole client that consumes the display stream as a browser does:
 * it answers every `sync` at once and counts what it receives (bytes, frames, instructions by
 * opcode, images by mimetype). Counters are read as snapshots so that a workload's window can be cut
 * out of a longer connection.
 */
import net from 'node:net';
import {
  configureSocket,
  StreamGuacdSocket,
  type ConfiguredGuacdSocket,
} from '../../src/guacd/index.js';
import {
  GuacamoleConfiguration,
  Instruction,
  defaultClientInformation,
} from '../../src/protocol/index.js';

/** The mimetypes a Chromium browser's guacamole-common-js announces. */
export const BROWSER_IMAGE_MIMETYPES = ['image/jpeg', 'image/png', 'image/webp'];

/** What the client has received so far. */
export interface ClientCounters {
  /** Bytes received from the proxy. */
  readonly bytes: number;
  /** `sync` instructions received (frames). */
  readonly syncs: number;
  /** Instructions by opcode, images by `img:<mimetype>`. */
  readonly kinds: Readonly<Record<string, number>>;
}

/**
 * @param after a later snapshot
 * @param before an earlier snapshot
 * @returns what arrived between them
 */
export function countersBetween(after: ClientCounters, before: ClientCounters): ClientCounters {
  const kinds: Record<string, number> = {};
  for (const [kind, count] of Object.entries(after.kinds)) {
    const delta = count - (before.kinds[kind] ?? 0);
    if (delta > 0) kinds[kind] = delta;
  }
  return { bytes: after.bytes - before.bytes, syncs: after.syncs - before.syncs, kinds };
}

/** A connected browser-like client. */
export class BenchClient {
  readonly #tcp: net.Socket;
  readonly #socket: ConfiguredGuacdSocket;
  readonly #kinds: Record<string, number> = {};
  #syncs = 0;
  #frameWaiters: (() => void)[] = [];
  #failure: Error | undefined;
  readonly #done: Promise<void>;

  private constructor(tcp: net.Socket, socket: ConfiguredGuacdSocket) {
    this.#tcp = tcp;
    this.#socket = socket;
    this.#done = this.#consume();
  }

  /**
   * Connects to the proxy and selects `vnc` for the given VNC server.
   * @param proxyPort the proxy's port on 127.0.0.1
   * @param vncPort the VNC server's (or relay's) port on 127.0.0.1
   * @returns the client, its handshake done
   */
  static async connect(proxyPort: number, vncPort: number): Promise<BenchClient> {
    const tcp = net.connect({ host: '127.0.0.1', port: proxyPort });
    tcp.setNoDelay(true);
    await new Promise<void>((resolve, reject) => {
      tcp.once('connect', resolve);
      tcp.once('error', reject);
    });
    const config = new GuacamoleConfiguration({
      protocol: 'vnc',
      parameters: new Map([
        ['hostname', '127.0.0.1'],
        ['port', String(vncPort)],
      ]),
    });
    const info = {
      ...defaultClientInformation(),
      optimalWidth: 1920,
      optimalHeight: 1080,
      imageMimetypes: BROWSER_IMAGE_MIMETYPES,
    };
    const socket = await configureSocket(
      new StreamGuacdSocket(tcp, { readTimeoutMs: 0 }),
      config,
      info,
    );
    return new BenchClient(tcp, socket);
  }

  /** The counters now. */
  snapshot(): ClientCounters {
    return { bytes: this.#tcp.bytesRead, syncs: this.#syncs, kinds: { ...this.#kinds } };
  }

  /** Resolves at the next `sync` received. */
  nextFrame(): Promise<void> {
    if (this.#failure) return Promise.reject(this.#failure);
    return new Promise((resolve) => this.#frameWaiters.push(resolve));
  }

  /** Disconnects and waits for the read loop to end. */
  async close(): Promise<void> {
    this.#socket.close();
    await this.#done;
  }

  async #consume(): Promise<void> {
    const { reader, writer } = this.#socket;
    try {
      for (;;) {
        const instruction = await reader.readInstruction();
        if (instruction === null) break;
        const { opcode, args } = instruction;
        this.#kinds[opcode] = (this.#kinds[opcode] ?? 0) + 1;
        if (opcode === 'img') {
          const kind = `img:${args[3] ?? '?'}`;
          this.#kinds[kind] = (this.#kinds[kind] ?? 0) + 1;
        } else if (opcode === 'sync') {
          this.#syncs++;
          await writer.writeInstruction(new Instruction('sync', [args[0] ?? '0']));
          for (const wake of this.#frameWaiters.splice(0)) wake();
        } else if (opcode === 'error') {
          throw new Error(`the proxy sent error: ${args.join(', ')}`);
        }
      }
    } catch (error) {
      if (this.#socket.isOpen)
        this.#failure = error instanceof Error ? error : new Error(String(error));
    }
  }
}
