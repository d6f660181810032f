/**
 * @module TunnelRegistry (GuacamoleHTTPTunnelMap): HTTP tunnel token → tunnel, with idle expiry. The token
 * is the only way to use an HTTP tunnel; it is never logged and never listed.
 */
import { randomBytes } from 'node:crypto';
import type { Tunnel } from './tunnel.js';

/** Seconds without a read or write request after which an HTTP tunnel is closed. */
export const TUNNEL_TIMEOUT_SECONDS = 15;

/** Options of {@link TunnelRegistry}. */
export interface TunnelRegistryOptions {
  /** Idle time before a tunnel expires, in ms. Default: 15000. */
  readonly timeoutMs?: number;
  /** How often expired tunnels are swept, in ms. Default: the timeout. */
  readonly sweepIntervalMs?: number;
  /** The clock, for tests. Default: Date.now. */
  readonly now?: () => number;
}

interface Entry {
  readonly tunnel: Tunnel;
  lastAccessed: number;
}

/**
 * Generates an HTTP tunnel token: 33 random bytes in standard base64, always 44 characters.
 * @returns the token
 */
export function generateTunnelToken(): string {
  return randomBytes(33).toString('base64');
}

/** The registry of HTTP tunnels, swept for idle ones on an unref'd timer. */
export class TunnelRegistry {
  readonly #entries = new Map<string, Entry>();
  readonly #timeoutMs: number;
  readonly #now: () => number;
  readonly #timer: NodeJS.Timeout;

  /** @param options timeout, sweep interval and clock */
  constructor(options: TunnelRegistryOptions = {}) {
    this.#timeoutMs = options.timeoutMs ?? TUNNEL_TIMEOUT_SECONDS * 1000;
    this.#now = options.now ?? Date.now;
    this.#timer = setInterval(() => {
      this.sweep();
    }, options.sweepIntervalMs ?? this.#timeoutMs);
    this.#timer.unref();
  }

  /** How many tunnels are registered. */
  get size(): number {
    return this.#entries.size;
  }

  /**
   * Registers a tunnel under a new token. Unlike Java (which leaves the access time at 0, so a sweep
   * between `connect` and the first `read` expires a brand-new tunnel), registering counts as an access.
   * @param tunnel the tunnel
   * @returns the token that now identifies it
   */
  register(tunnel: Tunnel): string {
    const token = generateTunnelToken();
    this.#entries.set(token, { tunnel, lastAccessed: this.#now() });
    tunnel.onClose(() => {
      if (this.#entries.get(token)?.tunnel === tunnel) this.#entries.delete(token);
    });
    return token;
  }

  /**
   * Looks a tunnel up and marks it accessed.
   * @param token the token from the `Guacamole-Tunnel-Token` header
   * @returns the tunnel, or undefined for an unknown token
   */
  get(token: string): Tunnel | undefined {
    const entry = this.#entries.get(token);
    if (!entry) return undefined;
    entry.lastAccessed = this.#now();
    return entry.tunnel;
  }

  /**
   * Removes a tunnel without closing it.
   * @param token its token
   * @returns the tunnel, if it was registered
   */
  remove(token: string): Tunnel | undefined {
    const entry = this.#entries.get(token);
    this.#entries.delete(token);
    return entry?.tunnel;
  }

  /** Closes and removes every tunnel idle for at least the timeout (run by the timer). */
  sweep(): void {
    const now = this.#now();
    for (const [token, entry] of this.#entries) {
      if (now - entry.lastAccessed >= this.#timeoutMs) {
        this.#entries.delete(token);
        entry.tunnel.close();
      }
    }
  }

  /** Stops the sweeper and closes every tunnel. */
  shutdown(): void {
    clearInterval(this.#timer);
    for (const entry of this.#entries.values()) entry.tunnel.close();
    this.#entries.clear();
  }
}
