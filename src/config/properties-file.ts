/**
 * @module A reader for the Java `.properties` format, a line-for-line port of `java.util.Properties.load`
 * (JDK 11+ `LineReader`, `load0` and `loadConvert`) that also remembers where each entry starts.
 */
import { readFileSync } from 'node:fs';

/** One key/value pair of a properties file. */
export interface PropertyEntry {
  /** The key, with escapes resolved. */
  readonly key: string;
  /** The value exactly as Java reads it: escapes resolved, trailing whitespace kept, not trimmed. */
  readonly value: string;
  /** The 1-based line where the entry's logical line starts. */
  readonly line: number;
}

/** A line Java would refuse to load (`IllegalArgumentException` from `Properties.load`). */
export interface PropertiesSyntaxProblem {
  /** The 1-based line where the bad logical line starts. */
  readonly line: number;
  /** What is wrong, as `<file>:<line>: <Java's message>`. */
  readonly message: string;
}

/** The result of reading one properties file. */
export interface ParsedProperties {
  /** The file name used in messages. */
  readonly file: string;
  /** Entries by key; for a duplicated key the last one wins, as in Java. */
  readonly entries: ReadonlyMap<string, PropertyEntry>;
  /** Lines Java would reject; Java stops at the first, this reader collects them all. */
  readonly problems: readonly PropertiesSyntaxProblem[];
}

interface LogicalLine {
  readonly text: string;
  readonly line: number;
}

const MALFORMED_UNICODE = 'Malformed \\uxxxx encoding.';

class MalformedEscapeError extends Error {}

const isBlank = (c: string): boolean => c === ' ' || c === '\t' || c === '\f';
const isEol = (c: string): boolean => c === '\n' || c === '\r';

/**
 * Yields logical lines the way Java's `LineReader.readLine` does: comments and blank lines skipped,
 * continuations (an odd number of trailing backslashes) joined with the next line's leading
 * whitespace removed, and a backslash left dangling at end of input dropped. It stays one function
 * so that it can be read side by side with the JDK's, state variable for state variable.
 */
function* logicalLines(text: string): Generator<LogicalLine> {
  let i = 0;
  let physical = 1;
  // Consumes one character, counting \n, \r and \r\n each as one line terminator.
  const next = (): string => {
    const c = text.charAt(i++);
    if (c === '\r' || (c === '\n' && text.charAt(i - 2) !== '\r')) physical++;
    return c;
  };
  let skipLF = false;
  for (;;) {
    let buf = '';
    let start = 0;
    let skipWhiteSpace = true;
    let appendedLineBegin = false;
    let precedingBackslash = false;
    for (;;) {
      if (i >= text.length) {
        if (buf.length > 0)
          yield { text: precedingBackslash ? buf.slice(0, -1) : buf, line: start };
        return;
      }
      const here = physical;
      const c = next();
      if (skipLF) {
        skipLF = false;
        if (c === '\n') continue;
      }
      if (skipWhiteSpace) {
        if (isBlank(c) || (!appendedLineBegin && isEol(c))) continue;
        skipWhiteSpace = false;
        appendedLineBegin = false;
      }
      // JDK 11+ tests "nothing buffered yet", so after a line holding only "\" a continuation that
      // starts with # or ! is a comment; JDK 8 tested "first character of a natural line".
      if (buf.length === 0 && (c === '#' || c === '!')) {
        while (i < text.length && !isEol(next()));
        skipWhiteSpace = true;
        continue;
      }
      if (!isEol(c)) {
        if (buf.length === 0) start = here;
        buf += c;
        precedingBackslash = c === '\\' ? !precedingBackslash : false;
        continue;
      }
      if (buf.length === 0) {
        skipWhiteSpace = true;
        continue;
      }
      // A continuation needs a next line; at end of input the dangling backslash is dropped.
      if (!precedingBackslash || i >= text.length) {
        yield { text: precedingBackslash ? buf.slice(0, -1) : buf, line: start };
        break;
      }
      buf = buf.slice(0, -1);
      skipWhiteSpace = true;
      appendedLineBegin = true;
      precedingBackslash = false;
      if (c === '\r') skipLF = true;
    }
  }
}

/** Splits a logical line into raw key and value like Java's `load0`. */
function splitKeyValue(line: string): { key: string; value: string } {
  let keyLen = 0;
  let valueStart = line.length;
  let hasSep = false;
  let precedingBackslash = false;
  while (keyLen < line.length) {
    const c = line.charAt(keyLen);
    if ((c === '=' || c === ':') && !precedingBackslash) {
      valueStart = keyLen + 1;
      hasSep = true;
      break;
    }
    if (isBlank(c) && !precedingBackslash) {
      valueStart = keyLen + 1;
      break;
    }
    precedingBackslash = c === '\\' ? !precedingBackslash : false;
    keyLen++;
  }
  while (valueStart < line.length) {
    const c = line.charAt(valueStart);
    if (!isBlank(c)) {
      if (hasSep || (c !== '=' && c !== ':')) break;
      hasSep = true;
    }
    valueStart++;
  }
  return { key: line.slice(0, keyLen), value: line.slice(valueStart) };
}

const SIMPLE_ESCAPES: Readonly<Record<string, string>> = { t: '\t', r: '\r', n: '\n', f: '\f' };

/**
 * Resolves escapes like Java's `loadConvert`: `\t \r \n \f`, `\uXXXX` (exactly four hex digits), and
 * a backslash before any other character yields that character.
 */
function unescape(raw: string): string {
  if (!raw.includes('\\')) return raw;
  let out = '';
  let i = 0;
  while (i < raw.length) {
    const c = raw.charAt(i++);
    if (c !== '\\') {
      out += c;
      continue;
    }
    // Never past the end: the line reader drops an unpaired trailing backslash.
    const e = raw.charAt(i++);
    if (e === 'u') {
      const hex = raw.slice(i, i + 4);
      if (!/^[0-9a-fA-F]{4}$/.test(hex)) throw new MalformedEscapeError(MALFORMED_UNICODE);
      out += String.fromCharCode(parseInt(hex, 16));
      i += 4;
    } else {
      out += SIMPLE_ESCAPES[e] ?? e;
    }
  }
  return out;
}

/**
 * Parses the text of a `.properties` file with `java.util.Properties.load` semantics.
 * @param text the decoded file contents
 * @param file the file name to use in problem messages
 * @returns the entries (last duplicate wins) and any malformed lines
 */
export function parsePropertiesText(text: string, file: string): ParsedProperties {
  const entries = new Map<string, PropertyEntry>();
  const problems: PropertiesSyntaxProblem[] = [];
  for (const { text: logical, line } of logicalLines(text)) {
    const raw = splitKeyValue(logical);
    try {
      const key = unescape(raw.key);
      const value = unescape(raw.value);
      // Delete first so the Map's order reflects where each key was last set.
      entries.delete(key);
      entries.set(key, { key, value, line });
    } catch (error) {
      if (!(error instanceof MalformedEscapeError)) throw error;
      problems.push({ line, message: `${file}:${line}: ${error.message}` });
    }
  }
  return { file, entries, problems };
}

/**
 * Reads a `.properties` file as ISO-8859-1, like `Properties.load(InputStream)`; non-Latin-1
 * characters must be written as `\uXXXX`.
 * @param path the file to read
 * @returns the parsed entries and problems, with `path` as the file name
 * @throws Error (a Node system error) if the file cannot be read
 */
export function readPropertiesFile(path: string): ParsedProperties {
  return parsePropertiesText(readFileSync(path, 'latin1'), path);
}
