/**
 * @module The slice of guacamole-common-js 1.5.0 (npm, untyped) that the cross-check tests use.
 */
declare module 'guacamole-common-js' {
  namespace Guacamole {
    /** The reference client's instruction parser (Parser.js). */
    class Parser {
      /** Appends data and dispatches every complete instruction. */
      receive(packet: string): void;
      /** Called per instruction; `args` is reused by the parser after the call returns. */
      oninstruction: ((opcode: string, args: string[]) => void) | null;
    }
  }
  export default Guacamole;
}
