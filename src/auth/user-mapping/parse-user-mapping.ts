/**
 * @module The user-mapping.xml reader (webapp `auth/file/*TagHandler` + ext `xml/DocumentHandler`): a
 * strict SAX parse (saxes) driving Java's tag handlers, so the whole file is rejected on malformed XML or
 * any unexpected element, and every error carries its line number.
 */
import { SaxesParser } from 'saxes';
import { GuacamoleConfiguration } from '../../extensions/api.js';
import { Authorization, UserMapping, type PasswordEncoding } from './user-mapping.js';

/** Why user-mapping.xml was rejected; `line` is 1-based when known. */
export class UserMappingSyntaxError extends Error {
  /** The line the problem is on, or undefined. */
  readonly line: number | undefined;

  /**
   * @param reason what is wrong, e.g. `Unexpected element: 'conection'`
   * @param line where, if known
   */
  constructor(reason: string, line?: number) {
    super(line === undefined ? reason : `line ${line}: ${reason}`);
    this.line = line;
  }
}

type Attributes = Readonly<Record<string, string>>;

/** One element's handler (Java's `TagHandler`): it creates child handlers and receives its text. */
interface TagHandler {
  /** @returns the child's handler, or undefined if the child is not allowed */
  child(name: string, attributes: Attributes): TagHandler | undefined;
  /** Receives the element's own text when it closes. */
  complete(text: string): void;
}

/** A thrown reason; the caller adds the line the parser is on. */
class Reject extends Error {}

const IGNORE_TEXT = (): void => undefined;

function leaf(name: string, onText: (text: string) => void): TagHandler {
  return {
    child: () => {
      throw new Reject(`The '${name}' tag can contain no elements.`);
    },
    complete: onText,
  };
}

function attribute(attributes: Attributes, name: string): string | undefined {
  return Object.hasOwn(attributes, name) ? attributes[name] : undefined;
}

/** `<protocol>` and `<param>` inside `<connection>` (ConnectionTagHandler) or `<authorize>`. */
function configurationChild(config: GuacamoleConfiguration, name: string, attributes: Attributes) {
  if (name === 'protocol') return leaf(name, (text) => (config.protocol = text));
  if (name !== 'param') return undefined;
  const parameter = attribute(attributes, 'name');
  // Java stores a nameless param under a null key, which no guacd argument ever asks for.
  return leaf(name, (text) => {
    if (parameter !== undefined) config.setParameter(parameter, text);
  });
}

function parseEncoding(value: string | undefined): PasswordEncoding {
  if (value === undefined || value === 'plain') return 'plain';
  if (value === 'md5' || value === 'sha256') return value;
  throw new Reject(`Invalid encoding: '${value}'`);
}

function authorizeHandler(mapping: UserMapping, attributes: Attributes): TagHandler {
  const authorization = new Authorization(
    attribute(attributes, 'username'),
    attribute(attributes, 'password'),
    parseEncoding(attribute(attributes, 'encoding')),
  );
  mapping.addAuthorization(authorization);
  // `<protocol>`/`<param>` directly inside `<authorize>` build the connection named DEFAULT, created
  // (and added) at the first of them, exactly as AuthorizeTagHandler does.
  let defaultConfig: GuacamoleConfiguration | undefined;
  return {
    child: (name, childAttributes) => {
      if (name === 'connection') {
        const connectionName = attribute(childAttributes, 'name');
        // Java's TreeMap throws a NullPointerException here, failing every login with a 500.
        if (connectionName === undefined) {
          throw new Reject("The 'connection' tag requires a 'name' attribute.");
        }
        const config = new GuacamoleConfiguration();
        authorization.addConfiguration(connectionName, config);
        return {
          child: (child, childAttrs) => configurationChild(config, child, childAttrs),
          complete: IGNORE_TEXT,
        };
      }
      if (name !== 'protocol' && name !== 'param') return undefined;
      if (defaultConfig === undefined) {
        defaultConfig = new GuacamoleConfiguration();
        authorization.addConfiguration('DEFAULT', defaultConfig);
      }
      return configurationChild(defaultConfig, name, childAttributes);
    },
    complete: IGNORE_TEXT,
  };
}

/** The root element's handler (UserMappingTagHandler). */
function userMappingHandler(mapping: UserMapping): TagHandler {
  return {
    child: (name, attributes) =>
      name === 'authorize' ? authorizeHandler(mapping, attributes) : undefined,
    complete: IGNORE_TEXT,
  };
}

/** Internal general entities of a DOCTYPE, which a SAX parser such as Java's would expand. */
const ENTITY_DECLARATION = /<!ENTITY\s+([^\s%"'<>]+)\s+(?:"([^"]*)"|'([^']*)')\s*>/g;

/**
 * Parses the text of user-mapping.xml.
 * @param xml the decoded document
 * @returns the mapping
 * @throws {UserMappingSyntaxError} for malformed XML, a wrong root element, an unexpected element, an
 *   element inside `<param>`/`<protocol>`, an invalid `encoding`, or a `<connection>` without a name
 */
export function parseUserMapping(xml: string): UserMapping {
  const mapping = new UserMapping();
  const parser = new SaxesParser<{ position: true; xmlns: false }>({
    position: true,
    xmlns: false,
  });
  // DocumentHandler's stack: each open element's handler and the text it has received so far.
  const stack: { handler: TagHandler; text: string }[] = [];
  parser.on('doctype', (doctype) => {
    for (const [, name = '', double, single] of doctype.matchAll(ENTITY_DECLARATION)) {
      parser.ENTITIES[name] = double ?? single ?? '';
    }
  });
  parser.on('opentag', (tag) => {
    const parent = stack.at(-1);
    let handler: TagHandler | undefined;
    if (parent === undefined) {
      if (tag.name !== 'user-mapping') throw new Reject("Root element must be 'user-mapping'");
      handler = userMappingHandler(mapping);
    } else {
      handler = parent.handler.child(tag.name, tag.attributes);
    }
    if (handler === undefined) throw new Reject(`Unexpected element: '${tag.name}'`);
    stack.push({ handler, text: '' });
  });
  const addText = (text: string): void => {
    // Whitespace outside the root element is not character data (saxes rejects anything else).
    const current = stack.at(-1);
    if (current !== undefined) current.text += text;
  };
  parser.on('text', addText);
  parser.on('cdata', addText);
  parser.on('closetag', () => {
    const completed = stack.pop();
    completed?.handler.complete(completed.text);
  });
  try {
    parser.write(xml).close();
  } catch (error) {
    const reason = error instanceof Reject ? error.message : saxesReason(error);
    throw new UserMappingSyntaxError(reason, parser.line);
  }
  return mapping;
}

/** saxes prefixes its messages with `line:column: `; the line is reported separately. */
function saxesReason(error: unknown): string {
  const message = error instanceof Error ? error.message : String(error);
  return message.replace(/^\d+:\d+: /, '');
}
