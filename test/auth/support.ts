/**
 * @module Shared helpers of the auth tests: a recording logger, a scriptable stub provider and context, a
 * recording listener, a fake tunnel and a manual clock.
 */
import { randomUUID } from 'node:crypto';
import {
  AbstractAuthenticationProvider,
  AbstractUserContext,
  createEnvironment,
  Credentials,
  DelegatingUserContext,
  SimpleAuthenticatedUser,
  SimpleUser,
  type AuthenticatedUser,
  type Environment,
  type ExtensionLogger,
  type GuacamoleEvent,
  type Listener,
  type User,
  type UserContext,
} from '../../src/extensions/api.js';
import type { SessionTunnel } from '../../src/auth/index.js';

/** One recorded log line. */
export interface LogLine {
  readonly level: 'debug' | 'info' | 'warn' | 'error';
  readonly message: string;
}

/** A logger that records every line. */
export class RecordingLogger implements ExtensionLogger {
  readonly lines: LogLine[] = [];

  debug(message: string): void {
    this.lines.push({ level: 'debug', message });
  }

  info(message: string): void {
    this.lines.push({ level: 'info', message });
  }

  warn(message: string): void {
    this.lines.push({ level: 'warn', message });
  }

  error(message: string): void {
    this.lines.push({ level: 'error', message });
  }

  /**
   * @param level a level
   * @returns the messages logged at that level
   */
  at(level: LogLine['level']): string[] {
    return this.lines.filter((line) => line.level === level).map((line) => line.message);
  }
}

/**
 * @param guacamoleHome GUACAMOLE_HOME; default a path that does not exist
 * @returns an environment with an empty configuration
 */
export function testEnvironment(guacamoleHome = '/nonexistent/guacamole-home'): Environment {
  return createEnvironment({ guacamoleHome });
}

/**
 * @param username the username, if any
 * @param password the password, if any
 * @returns credentials with an empty request
 */
export function credentials(username?: string, password?: string): Credentials {
  return new Credentials({ username, password });
}

/** A context that names its provider and a label; its user is a SimpleUser. */
export class StubContext extends AbstractUserContext {
  invalidated = 0;
  valid = true;

  /**
   * @param provider the owning provider
   * @param label a label for assertions
   */
  constructor(
    provider: AbstractAuthenticationProvider,
    readonly label: string,
  ) {
    super(provider);
  }

  self(): User {
    return new SimpleUser({ identifier: this.label });
  }

  override isValid(): boolean {
    return this.valid;
  }

  override invalidate(): void {
    this.invalidated++;
  }
}

/** A decoration layer recording who applied it. */
export class LabelledDecoration extends DelegatingUserContext {
  /**
   * @param delegate the wrapped context
   * @param label who applied it
   */
  constructor(
    delegate: UserContext,
    readonly label: string,
  ) {
    super(delegate);
  }
}

/**
 * Describes a decorated context as `outer(inner(base))` labels, for order assertions.
 * @param context a context
 * @returns the description
 */
export function describeLayers(context: UserContext): string {
  if (context instanceof LabelledDecoration) {
    return `${context.label}(${describeLayers(context.getDelegateUserContext())})`;
  }
  if (context instanceof DelegatingUserContext)
    return describeLayers(context.getDelegateUserContext());
  return context instanceof StubContext ? context.label : '?';
}

/** What a {@link StubProvider} does; every behaviour is optional. */
export interface StubBehaviour {
  /** Throws this from authenticateUser, or returns a user when `true`, or null when absent. */
  readonly authenticate?: true | Error | ((credentials: Credentials) => AuthenticatedUser | null);
  /** Decorates other contexts with a labelled layer. */
  readonly decorates?: boolean;
  /** Throws this from decorate. */
  readonly decorateError?: Error;
  /** Returns a context from getUserContext (or throws this). */
  readonly context?: true | Error;
  /** updateUserContext returns null (drops the context). */
  readonly dropContextOnUpdate?: boolean;
  /** updateAuthenticatedUser returns null. */
  readonly rejectReauthentication?: boolean;
  /** Throws this from updateCredentials, or changes the credentials with this function. */
  readonly updateCredentials?: Error | ((credentials: Credentials) => Credentials);
}

/** A provider scripted by a {@link StubBehaviour}; every call is recorded in `calls`. */
export class StubProvider extends AbstractAuthenticationProvider {
  readonly calls: string[] = [];
  shutdowns = 0;
  readonly #identifier: string;
  readonly #behaviour: StubBehaviour;
  #contexts = 0;

  /**
   * @param identifier the provider identifier
   * @param behaviour what it does
   */
  constructor(identifier: string, behaviour: StubBehaviour = {}) {
    super(testEnvironment());
    this.#identifier = identifier;
    this.#behaviour = behaviour;
  }

  getIdentifier(): string {
    return this.#identifier;
  }

  override updateCredentials(credentials: Credentials): Credentials {
    this.calls.push('updateCredentials');
    const update = this.#behaviour.updateCredentials;
    if (update instanceof Error) throw update;
    return update === undefined ? credentials : update(credentials);
  }

  override authenticateUser(credentials: Credentials): AuthenticatedUser | null {
    this.calls.push('authenticateUser');
    const behaviour = this.#behaviour.authenticate;
    if (behaviour instanceof Error) throw behaviour;
    if (typeof behaviour === 'function') return behaviour(credentials);
    if (behaviour !== true) return null;
    return new SimpleAuthenticatedUser({
      identifier: credentials.username ?? randomUUID(),
      authenticationProvider: this,
      credentials,
    });
  }

  override updateAuthenticatedUser(
    user: AuthenticatedUser,
    credentials: Credentials,
  ): AuthenticatedUser | null {
    this.calls.push('updateAuthenticatedUser');
    if (this.#behaviour.rejectReauthentication === true) return null;
    return new SimpleAuthenticatedUser({
      identifier: user.identifier,
      authenticationProvider: this,
      credentials,
    });
  }

  override getUserContext(): UserContext | null {
    this.calls.push('getUserContext');
    const behaviour = this.#behaviour.context;
    if (behaviour instanceof Error) throw behaviour;
    if (behaviour !== true) return null;
    this.#contexts++;
    return new StubContext(this, `${this.#identifier}#${this.#contexts}`);
  }

  override updateUserContext(): UserContext | null {
    this.calls.push('updateUserContext');
    if (this.#behaviour.dropContextOnUpdate === true) return null;
    this.#contexts++;
    return new StubContext(this, `${this.#identifier}#${this.#contexts}`);
  }

  override decorate(context: UserContext): UserContext | null {
    this.calls.push(`decorate:${describeLayers(context)}`);
    if (this.#behaviour.decorateError !== undefined) throw this.#behaviour.decorateError;
    return this.#behaviour.decorates === true
      ? new LabelledDecoration(context, this.#identifier)
      : null;
  }

  override redecorate(decorated: UserContext, context: UserContext): UserContext | null {
    this.calls.push(`redecorate:${describeLayers(decorated)}->${describeLayers(context)}`);
    return this.#behaviour.decorates === true
      ? new LabelledDecoration(context, `${this.#identifier}'`)
      : null;
  }

  override shutdown(): void {
    this.shutdowns++;
  }
}

/** A listener that records events and can veto chosen ones. */
export class RecordingListener implements Listener {
  readonly events: GuacamoleEvent[] = [];

  /** @param veto event types to throw on, with the error to throw */
  constructor(readonly veto: ReadonlyMap<GuacamoleEvent['type'], Error> = new Map()) {}

  handleEvent(event: GuacamoleEvent): void {
    this.events.push(event);
    const error = this.veto.get(event.type);
    if (error !== undefined) throw error;
  }

  /** @returns the types of the events received, in order */
  types(): string[] {
    return this.events.map((event) => event.type);
  }
}

/** A tunnel stand-in: a UUID, close() and onClose listeners. */
export class FakeTunnel implements SessionTunnel {
  readonly uuid = randomUUID();
  closed = false;
  readonly #listeners = new Set<() => void>();

  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const listener of [...this.#listeners]) listener();
    this.#listeners.clear();
  }

  onClose(listener: () => void): () => void {
    this.#listeners.add(listener);
    return () => this.#listeners.delete(listener);
  }
}

/** A clock the test moves by hand. */
export class ManualClock {
  /** @param time the starting time in ms */
  constructor(public time = 1_700_000_000_000) {}

  /** The clock function to inject. */
  readonly now = (): number => this.time;

  /** @param ms how far to move the clock forward */
  advance(ms: number): void {
    this.time += ms;
  }
}
