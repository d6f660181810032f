/**
 * @module The pure Guacamole protocol: instructions, parsers, readers and writers, filters, statuses and
 * errors. Nothing here opens a socket.
 */
export { ByteParser } from './byte-parser.js';
export { decodeInstruction } from './decode.js';
export * from './errors.js';
export {
  FilteredReader,
  FilteredWriter,
  splitInstructions,
  type InstructionFilter,
} from './filter.js';
export {
  INTERNAL_OPCODE,
  Instruction,
  codePointCount,
  encodeElement,
  encodeInstruction,
} from './instruction.js';
export * from './limits.js';
export { Parser, parseInstructions, type InstructionSink } from './parser.js';
export type { ParseErrorCode } from './parse-errors.js';
export {
  InstructionReader,
  type GuacamoleReader,
  type InstructionReaderOptions,
} from './reader.js';
export {
  GuacamoleStatus,
  statusFromGuacCode,
  type StatusEntry,
  type StatusName,
} from './status.js';
export {
  ProtocolCapability,
  ProtocolVersion,
  supports,
  type ProtocolCapabilityName,
} from './version.js';
export {
  InstructionWriter,
  type GuacamoleWriter,
  type InstructionWriterOptions,
} from './writer.js';
export { defaultClientInformation, type ClientInformation } from './client-information.js';
export { GuacamoleConfiguration, type GuacamoleConfigurationInit } from './configuration.js';
