/**
 * @module The guacd handshake (Java's ConfiguredGuacamoleSocket): select → args → size, audio, video,
 * image, timezone, name → connect → ready, with version negotiation and Java's exact error mapping.
 */
import {
  ConnectionClosedError,
  ProtocolVersion,
  ServerError,
  encodeInstruction,
  errorFromWireCode,
  supports,
  type ClientInformation,
  type GuacamoleConfiguration,
  type GuacamoleError,
  type GuacamoleReader,
  type Instruction,
} from '../protocol/index.js';
import type { GuacdSocket } from './socket.js';

/** A GuacdSocket whose handshake has completed. */
export interface ConfiguredGuacdSocket extends GuacdSocket {
  /** The guacd connection ID from `ready`, e.g. `$260d01da-…`; others join with it. */
  readonly connectionId: string;
  /** The negotiated protocol version: min(guacd's, LATEST), or 1.0.0 when guacd names none. */
  readonly protocolVersion: ProtocolVersion;
}

/** Java's message for an `error` instruction without a message. */
const DEFAULT_ERROR_MESSAGE = 'Internal error within guacd / protocol handling.';

/**
 * Performs the handshake on an open socket. Each instruction is written separately, in Java's order.
 * On any failure the socket is closed before the error propagates.
 * @param socket a freshly opened socket; it must not have been read from or written to
 * @param config the protocol (or the connection ID to join) and the parameters for `connect`
 * @param info the client's display size, mimetypes, time zone and name
 * @returns the same connection, with its connection ID and negotiated version
 * @throws {ServerError} on end of stream, an unexpected opcode, `ready` without an ID, malformed data,
 *   or a configuration with neither protocol nor connection ID
 * @throws {ConnectionClosedError} when guacd sends `disconnect` or the connection breaks
 * @throws {GuacamoleError} the class matching the status code of an `error` guacd sends (e.g.
 *   ResourceNotFoundError for 516 "No such connection."), ServerError for unknown or missing codes
 * @throws {UpstreamTimeoutError} when guacd stays silent longer than the socket's read timeout
 */
export async function configureSocket(
  socket: GuacdSocket,
  config: GuacamoleConfiguration,
  info: Readonly<ClientInformation>,
): Promise<ConfiguredGuacdSocket> {
  try {
    const { connectionId, protocolVersion } = await handshake(socket, config, info);
    return new ConfiguredSocket(socket, connectionId, protocolVersion);
  } catch (error) {
    socket.close();
    throw error;
  }
}

async function handshake(
  socket: GuacdSocket,
  config: GuacamoleConfiguration,
  info: Readonly<ClientInformation>,
): Promise<{ connectionId: string; protocolVersion: ProtocolVersion }> {
  const { reader, writer } = socket;
  // A join selects the existing connection's `$`-prefixed ID instead of a protocol.
  const selectArg = config.connectionId ?? config.protocol;
  if (selectArg === undefined) {
    throw new ServerError('The configuration names neither a protocol nor a connection ID.');
  }
  await writer.write(encodeInstruction('select', selectArg));

  const argNames = (await expect(reader, 'args')).args;
  let protocolVersion = ProtocolVersion.VERSION_1_0_0;
  const values = argNames.map((name, i) => {
    // Only element 0 may carry guacd's version (1.1.0+); any other name is an ordinary parameter.
    const version = i === 0 ? ProtocolVersion.parse(name) : undefined;
    if (version === undefined) return config.getParameter(name) ?? '';
    protocolVersion = version.atLeast(ProtocolVersion.LATEST) ? ProtocolVersion.LATEST : version;
    return protocolVersion.toString();
  });

  await writer.write(encodeInstruction('size', ...[info.width, info.height, info.dpi].map(String)));
  // audio, video and image are sent even when empty: guacd 1.0.0 expects each in turn.
  await writer.write(encodeInstruction('audio', ...info.audioMimetypes));
  await writer.write(encodeInstruction('video', ...info.videoMimetypes));
  await writer.write(encodeInstruction('image', ...info.imageMimetypes));
  if (info.timezone !== undefined && supports(protocolVersion, 'TIMEZONE_HANDSHAKE')) {
    await writer.write(encodeInstruction('timezone', info.timezone));
  }
  if (info.name !== undefined && supports(protocolVersion, 'NAME_HANDSHAKE')) {
    await writer.write(encodeInstruction('name', info.name));
  }
  await writer.write(encodeInstruction('connect', ...values));

  const [connectionId] = (await expect(reader, 'ready')).args;
  if (connectionId === undefined) throw new ServerError('No connection ID received');
  return { connectionId, protocolVersion };
}

/**
 * Reads the next instruction and requires `opcode` (ConfiguredGuacamoleSocket.expect).
 * @throws {ServerError} at end of stream or on another opcode
 * @throws {ConnectionClosedError} on `disconnect`
 * @throws {GuacamoleError} matching the status of an `error`
 */
async function expect(reader: GuacamoleReader, opcode: string): Promise<Instruction> {
  const instruction = await reader.readInstruction();
  if (instruction === null) {
    throw new ServerError(`End of stream while waiting for "${opcode}".`);
  }
  switch (instruction.opcode) {
    case opcode:
      return instruction;
    case 'disconnect':
      throw new ConnectionClosedError(`Server disconnected while waiting for "${opcode}".`);
    case 'error':
      throw receivedError(instruction);
    default:
      throw new ServerError(
        `Expected "${opcode}" instruction but instead received "${instruction.opcode}".`,
      );
  }
}

/** `error,<message>,<code>` → the error of that status (handleReceivedError). */
function receivedError(instruction: Instruction): GuacamoleError {
  const [message = DEFAULT_ERROR_MESSAGE, code] = instruction.args;
  return errorFromWireCode(code, message);
}

/** The configured socket: the same connection, delegating everything, plus the handshake's results. */
class ConfiguredSocket implements ConfiguredGuacdSocket {
  readonly #socket: GuacdSocket;
  readonly connectionId: string;
  readonly protocolVersion: ProtocolVersion;

  constructor(socket: GuacdSocket, connectionId: string, protocolVersion: ProtocolVersion) {
    this.#socket = socket;
    this.connectionId = connectionId;
    this.protocolVersion = protocolVersion;
  }

  get reader(): GuacamoleReader {
    return this.#socket.reader;
  }

  get writer(): GuacdSocket['writer'] {
    return this.#socket.writer;
  }

  get isOpen(): boolean {
    return this.#socket.isOpen;
  }

  close(): void {
    this.#socket.close();
  }

  onClose(listener: (error?: GuacamoleError) => void): () => void {
    return this.#socket.onClose(listener);
  }
}
