/**
 * @module The protocol plugin API of the bundled proxy: what a VNC or RDP client implements
 * (ProtocolPlugin, ProtocolSession) and what the proxy gives it (ConnectionContext, ProxyUser).
 */
import type {
  ClientInformation,
  GuacamoleError,
  Instruction,
  ProtocolVersion,
  StatusEntry,
} from '../protocol/index.js';

/** Log levels, guacd's names (`-L`). */
export type ProxyLogLevel = 'error' | 'warning' | 'info' | 'debug' | 'trace';

/** Receives the proxy's log lines. */
export type ProxyLogger = (level: ProxyLogLevel, message: string) => void;

/** A stream a user opened towards the connection (`clipboard`, `file`, `pipe`, `argv`, `audio`). */
export interface InboundStream {
  /** The stream index the user chose. */
  readonly index: number;
  /** The opcode that opened it. */
  readonly kind: 'clipboard' | 'file' | 'pipe' | 'argv' | 'audio';
  /** The declared mimetype. */
  readonly mimetype: string;
  /** The file, pipe or parameter name (`file`, `pipe`, `argv`); undefined otherwise. */
  readonly name: string | undefined;
}

/** What a plugin does with the data of an accepted stream; each blob is acknowledged after `blob`. */
export interface StreamHandlers {
  /** Receives one decoded `blob`. */
  blob?(data: Buffer): void;
  /** Called once at `end`. */
  end?(): void;
}

/** Why an `argv` stream is refused: the `ack` message and status sent back. */
export interface StreamRefusal {
  /** The `ack` message. */
  readonly message: string;
  /** The `ack` status. */
  readonly status: StatusEntry;
}

/**
 * Takes a user's `argv` streams while a plugin waits for parameters it asked for with `required`
 * (see `promptArguments`); set with {@link ProxyUser.receiveArguments}, it comes before `stream`.
 */
export interface ArgumentReceiver {
  /** A new `argv` stream: handlers to accept it (`ack` with `accepted`), or a refusal. */
  open(stream: InboundStream): StreamHandlers | StreamRefusal;
  /** The `ack` message sent when a stream is accepted (guacd: "Ready for updated parameter."). */
  readonly accepted: string;
  /** The user left; no stream of it ends after this (partial values are dropped). */
  left(): void;
}

/** The input of one user, set with {@link ProxyUser.setHandlers}; missing handlers drop that input. */
export interface UserHandlers {
  /** `key,<keysym>,<pressed>`. */
  key?(keysym: number, pressed: boolean): void;
  /** `mouse,<x>,<y>,<mask>`. */
  mouse?(x: number, y: number, buttonMask: number): void;
  /** `size,<width>,<height>`: the user's display changed size. */
  size?(width: number, height: number): void;
  /** A new inbound stream; return handlers to accept it (`ack OK`), undefined to refuse (256). */
  stream?(stream: InboundStream): StreamHandlers | undefined;
  /** Every other instruction (`sync`, `ack`, `touch`, `get`, `put`, …), after the proxy's own handling. */
  instruction?(instruction: Instruction): void;
}

/** One user of a connection, after a completed handshake. */
export interface ProxyUser {
  /** guacd-style user ID, `@<uuid>`. */
  readonly id: string;
  /** True for the user whose `select` created the connection. */
  readonly owner: boolean;
  /** The negotiated client information: size, DPI, mimetypes, time zone and name. */
  readonly info: Readonly<ClientInformation>;
  /** The protocol version from `connect` (1.0.0 when the client sent none). */
  readonly protocolVersion: ProtocolVersion;
  /** The `connect` values by parameter name. */
  readonly parameters: ReadonlyMap<string, string>;
  /** True when the user's `read-only` parameter is `true`; plugins drop its input. */
  readonly readOnly: boolean;
  /** The latest timestamp the user acknowledged with `sync`, or undefined. */
  readonly lastSync: number | undefined;
  /** Routes the user's input to `handlers`, replacing earlier ones. */
  setHandlers(handlers: UserHandlers): void;
  /** Sends one instruction to this user only. */
  send(opcode: string, ...args: readonly string[]): void;
  /**
   * Sends whole, already encoded instructions to this user only, as they are (no re-parsing). The
   * caller guarantees the text is well-formed (e.g. the display's output). Optional so that other
   * ProxyUser implementations keep compiling; plugins fall back to `send` when it is missing.
   */
  sendRaw?(text: string): void;
  /** Sends `error,<message>,<code>` to this user and disconnects it. */
  abort(message: string, status: StatusEntry): void;
  /**
   * Routes this user's `argv` streams to `receiver` until it is replaced or cleared (undefined); a user
   * that already left calls `receiver.left()` at once. Optional so that other implementations compile.
   */
  receiveArguments?(receiver: ArgumentReceiver | undefined): void;
}

/** What a running connection offers its plugin. */
export interface ConnectionContext {
  /** The connection ID sent in `ready`, `$<uuid>`; others join with it. */
  readonly connectionId: string;
  /** The user that created the connection; its `parameters` configure it. */
  readonly owner: ProxyUser;
  /** The users currently joined, the owner included while present. */
  readonly users: readonly ProxyUser[];
  /** Aborted when the connection ends for any reason. */
  readonly signal: AbortSignal;
  /** Sends one instruction to every joined user. */
  broadcast(opcode: string, ...args: readonly string[]): void;
  /** Sends `sync,<timestamp>` to every joined user (default: now, in ms). */
  sync(timestamp?: number): void;
  /** Ends the connection with `error,<message>,<code>` to every user (e.g. 515, 519, 769). */
  abort(error: GuacamoleError): void;
  /** Ends the connection normally: every user gets `disconnect`. */
  end(): void;
  /** Writes a log line through the proxy's logger. */
  log(level: ProxyLogLevel, message: string): void;
}

/** A connected session of a plugin: told about users joining and leaving, and closed once. */
export interface ProtocolSession {
  /** A user completed its handshake (the owner first, right after `connect` resolves). */
  join?(user: ProxyUser): void;
  /** A user left; the connection goes on while users remain. */
  leave?(user: ProxyUser): void;
  /** The connection ended; release everything. Called exactly once. */
  close(): void;
}

/** A protocol (`vnc`, `rdp`, …): its `args` and how to connect. */
export interface ProtocolPlugin {
  /** The name `select` asks for. */
  readonly name: string;
  /** The parameter names sent in `args` after the version, in order. */
  readonly args: readonly string[];
  /**
   * Connects to the remote desktop for the owner. Reject with a GuacamoleError to report guacd's codes
   * (UpstreamError 515, UpstreamNotFoundError 519, UnauthorizedError 769); other errors become 512.
   */
  connect(context: ConnectionContext): ProtocolSession | Promise<ProtocolSession>;
}
