/**
 * @module Types for what the browser test page puts on `window` (guacamole-common-js and our fixes), for
 * use inside `page.evaluate` callbacks: `const { Guacamole, fixes } = globalThis as unknown as TestWindow;`.
 */

/** A Guacamole.Status. */
export interface GuacStatus {
  readonly code: number;
  readonly message?: string | null;
  isError(): boolean;
}

/** A Guacamole.Parser instance (1.5.0 or ours). */
export interface GuacParser {
  oninstruction: ((opcode: string, args: string[]) => void) | null;
  receive(packet: string, isBuffer?: boolean): void;
}

/** The 1.5.2+ Parser class, statics included; the 1.5.0 class has no statics. */
export interface GuacParserClass {
  new (): GuacParser;
  codePointCount(str: string, start?: number, end?: number): number;
  toInstruction(elements: readonly unknown[]): string;
}

/** A Guacamole.Tunnel (any implementation). */
export interface GuacTunnel {
  state: number;
  uuid: string | null;
  receiveTimeout: number;
  unstableThreshold: number;
  connect(data?: string): void;
  disconnect(): void;
  sendMessage(...elements: unknown[]): void;
  isConnected(): boolean;
  onerror: ((status: GuacStatus) => void) | null;
  onstatechange: ((state: number) => void) | null;
  oninstruction: ((opcode: string, args: string[]) => void) | null;
  onuuid: ((uuid: string) => void) | null;
}

/** Guacamole.Tunnel's constructor and statics. */
export type GuacTunnelClass = (new () => GuacTunnel) & {
  readonly State: {
    readonly CONNECTING: number;
    readonly OPEN: number;
    readonly CLOSED: number;
    readonly UNSTABLE: number;
  };
  readonly INTERNAL_DATA_OPCODE: string;
};

/** The WebSocketTunnel constructor. */
export type WebSocketTunnelClass = new (tunnelURL: string) => GuacTunnel;

/** The HTTPTunnel constructor. */
export type HTTPTunnelClass = new (
  tunnelURL: string,
  crossDomain?: boolean,
  extraTunnelHeaders?: Record<string, string>,
) => GuacTunnel;

/** A Guacamole.Client (the parts tests use). */
export interface GuacClient {
  connect(data?: string): void;
  disconnect(): void;
  sendKeyEvent(pressed: boolean, keysym: number): void;
  onstatechange: ((state: number) => void) | null;
  onerror: ((status: GuacStatus) => void) | null;
}

/** A Guacamole.InputStream or Guacamole.OutputStream (opaque to tests). */
export interface GuacStream {
  readonly index: number;
}

/** A Guacamole.StringWriter class (npm 1.5.0's or ours). */
export type StringWriterClass = new (stream: GuacStream) => {
  sendText(text: string): void;
  sendEnd(): void;
};

/** A Guacamole.StringReader class (npm 1.5.0's or ours). */
export type StringReaderClass = new (stream: GuacStream) => {
  ontext: ((text: string) => void) | null;
  onend: (() => void) | null;
};

/** The default export of guacamole-common-js (the parts tests use). */
export interface GuacamoleNamespace {
  readonly Parser: new () => GuacParser;
  readonly Tunnel: GuacTunnelClass;
  readonly WebSocketTunnel: WebSocketTunnelClass;
  readonly HTTPTunnel: HTTPTunnelClass;
  readonly ChainedTunnel: new (...tunnels: GuacTunnel[]) => GuacTunnel;
  readonly Client: new (tunnel: GuacTunnel) => GuacClient;
  readonly Status: (new (code: number, message?: string) => GuacStatus) & {
    readonly Code: Readonly<Record<string, number>>;
  };
  readonly StringWriter: StringWriterClass;
  readonly StringReader: StringReaderClass;
}

/** What `installGuacamoleFixes` returns. */
export interface GuacamoleFixes {
  readonly Parser: GuacParserClass;
  readonly WebSocketTunnel: WebSocketTunnelClass;
  readonly HTTPTunnel: HTTPTunnelClass;
  readonly ChainedTunnel: GuacamoleNamespace['ChainedTunnel'];
  readonly StringWriter: StringWriterClass;
  readonly StringReader: StringReaderClass;
}

/** The module src/web/public/guacamole-fixes.js. */
export interface FixesModule {
  readonly Parser: GuacParserClass;
  installGuacamoleFixes(
    Guacamole: GuacamoleNamespace,
    options?: { patch?: boolean },
  ): GuacamoleFixes;
  createWebSocketTunnel(Guacamole: GuacamoleNamespace): WebSocketTunnelClass;
  createHTTPTunnel(Guacamole: GuacamoleNamespace): HTTPTunnelClass;
}

/** The test page's globals. */
export interface TestWindow {
  /** guacamole-common-js 1.5.0 as installed from npm, untouched. */
  readonly Guacamole: GuacamoleNamespace;
  /** src/web/public/guacamole-fixes.js. */
  readonly fixes: FixesModule;
  /** `fixes.installGuacamoleFixes(Guacamole)`, for convenience. */
  readonly fixed: GuacamoleFixes;
  /** Set once both modules have loaded. */
  readonly testPageReady?: boolean;
}
