/**
 * @module SessionRegistry (webapp `HashTokenSessionMap` + `SecureRandomAuthTokenGenerator`): auth token →
 * GuacamoleSession, with idle expiry after `api-session-timeout` minutes except while tunnels are open,
 * an unref'd sweep timer and shutdown(). Tokens are never logged.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { API_SESSION_TIMEOUT } from '../config/index.js';
import {
  SILENT_EXTENSION_LOGGER,
  type ExtensionLogger,
  type PropertyReader,
} from '../extensions/api.js';
import type { GuacamoleSession } from './guacamole-session.js';
import { describeError } from './listener-service.js';

/** How often expired sessions are looked for, as in Java (once a minute). */
export const SESSION_SWEEP_INTERVAL_MS = 60_000;

/**
 * Generates an auth token: 32 random bytes as 64 upper-case hex digits, as Java's
 * `SecureRandomAuthTokenGenerator` (`printHexBinary`) makes them.
 * @returns the token
 */
export function generateAuthToken(): string {
  return randomBytes(32).toString('hex').toUpperCase();
}

/**
 * Compares two tokens in constant time (for callers that compare rather than look up).
 * @param a one token
 * @param b the other
 * @returns true when equal
 */
export function tokensEqual(a: string, b: string): boolean {
  // Comparing fixed-length digests keeps the time independent of where, or whether, lengths differ.
  return timingSafeEqual(digest(a), digest(b));
}

function digest(value: string): Buffer {
  return createHash('sha256').update(value).digest();
}

/** Options of {@link SessionRegistry}. */
export interface SessionRegistryOptions {
  /** Generates new tokens. Default: {@link generateAuthToken}. */
  readonly generateToken?: () => string;
  /** Where expiry is logged. Default: silent. */
  readonly logger?: ExtensionLogger;
  /** Milliseconds since the epoch; injected so tests control expiry. Default: `Date.now`. */
  readonly now?: () => number;
  /** Sweep period in ms; 0 disables the timer (call `sweep()` yourself). Default: 60000. */
  readonly sweepIntervalMs?: number;
  /** Idle minutes before a session without tunnels expires (`api-session-timeout`). Default: 60. */
  readonly timeoutMinutes?: number;
}

/** All live sessions by auth token. */
export class SessionRegistry {
  /** The clock sessions should use for their access times. */
  readonly now: () => number;
  /** Idle time after which a session without tunnels expires, in ms. */
  readonly timeoutMs: number;
  // Keyed by SHA-256 of the token, so no lookup ever compares a secret (and no token sits in memory).
  readonly #sessions = new Map<string, GuacamoleSession>();
  readonly #generateToken: () => string;
  readonly #logger: ExtensionLogger;
  #timer: NodeJS.Timeout | undefined;
  #shutdown: Promise<void> | undefined;

  /** @param options timeout, clock, sweep period, token generator and logger */
  constructor(options: SessionRegistryOptions = {}) {
    this.now = options.now ?? Date.now;
    this.timeoutMs = (options.timeoutMinutes ?? 60) * 60_000;
    this.#generateToken = options.generateToken ?? generateAuthToken;
    this.#logger = options.logger ?? SILENT_EXTENSION_LOGGER;
    const interval = options.sweepIntervalMs ?? SESSION_SWEEP_INTERVAL_MS;
    if (interval > 0) {
      this.#timer = setInterval(() => void this.sweep(), interval);
      this.#timer.unref();
    }
    this.#logger.info(
      `Sessions will expire after ${this.timeoutMs / 60_000} minutes of inactivity.`,
    );
  }

  /**
   * Builds a registry whose timeout comes from `api-session-timeout`.
   * @param configuration guacamole.properties
   * @param options every other option
   * @returns the registry
   * @throws {ConfigurationError} if `api-session-timeout` is invalid
   */
  static fromConfiguration(
    configuration: PropertyReader,
    options: Omit<SessionRegistryOptions, 'timeoutMinutes'> = {},
  ): SessionRegistry {
    return new SessionRegistry({
      ...options,
      timeoutMinutes: configuration.require(API_SESSION_TIMEOUT),
    });
  }

  /** The number of live sessions. */
  get size(): number {
    return this.#sessions.size;
  }

  /**
   * Stores a session under a new token.
   * @param session the session
   * @returns its token
   */
  add(session: GuacamoleSession): string {
    let token = this.#generateToken();
    while (this.#sessions.has(digest(token).toString('hex'))) token = this.#generateToken();
    this.#sessions.set(digest(token).toString('hex'), session);
    return token;
  }

  /**
   * Looks a session up without marking it as used (Java's `get`).
   * @param token the auth token, possibly absent or empty
   * @returns the session, or undefined
   */
  get(token: string | undefined): GuacamoleSession | undefined {
    if (token === undefined || token === '') return undefined;
    return this.#sessions.get(digest(token).toString('hex'));
  }

  /**
   * Removes a session without invalidating it.
   * @param token the auth token
   * @returns the removed session, or undefined
   */
  remove(token: string | undefined): GuacamoleSession | undefined {
    const session = this.get(token);
    if (token !== undefined && session !== undefined) {
      this.#sessions.delete(digest(token).toString('hex'));
    }
    return session;
  }

  /**
   * Logs out: removes and invalidates a session.
   * @param token the auth token
   * @returns whether a session was found
   */
  async destroy(token: string | undefined): Promise<boolean> {
    const session = this.remove(token);
    if (session === undefined) return false;
    await session.invalidate();
    return true;
  }

  /**
   * Evicts sessions that an extension marked invalid, and idle ones without open tunnels.
   * @returns how many sessions were evicted
   */
  async sweep(): Promise<number> {
    const start = this.now();
    const evicted: GuacamoleSession[] = [];
    for (const [key, session] of this.#sessions) {
      try {
        const invalid = !session.isValid();
        if (!invalid && (session.hasTunnels() || start - session.lastAccessedTime < this.timeoutMs))
          continue;
        this.#logger.debug(
          invalid ? 'A session has been invalidated by an extension.' : 'A session has timed out.',
        );
        this.#sessions.delete(key);
        evicted.push(session);
      } catch (error) {
        this.#logger.error(`A session could not be checked for expiry: ${describeError(error)}`);
      }
    }
    for (const session of evicted) await session.invalidate();
    return evicted.length;
  }

  /**
   * Stops the sweep timer and invalidates every session; idempotent.
   * @returns when every session has been invalidated
   */
  async shutdown(): Promise<void> {
    this.#shutdown ??= this.#shutdownOnce();
    await this.#shutdown;
  }

  async #shutdownOnce(): Promise<void> {
    clearInterval(this.#timer);
    this.#timer = undefined;
    const sessions = [...this.#sessions.values()];
    this.#sessions.clear();
    for (const session of sessions) await session.invalidate();
  }
}
