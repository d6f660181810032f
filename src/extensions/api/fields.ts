/**
 * @module Form fields (guacamole-ext `form/*`): the fields a login form or an attribute form shows, their
 * standard types, and translatable messages. Their JSON is what the frontend reads.
 */

/** The standard field types (`Field.Type`); extensions may use their own strings too. */
export const FieldType = Object.freeze({
  TEXT: 'TEXT',
  EMAIL: 'EMAIL',
  USERNAME: 'USERNAME',
  PASSWORD: 'PASSWORD',
  NUMERIC: 'NUMERIC',
  BOOLEAN: 'BOOLEAN',
  ENUM: 'ENUM',
  MULTILINE: 'MULTILINE',
  TIMEZONE: 'TIMEZONE',
  LANGUAGE: 'LANGUAGE',
  DATE: 'DATE',
  TIME: 'TIME',
  QUERY_PARAMETER: 'QUERY_PARAMETER',
  TERMINAL_COLOR_SCHEME: 'TERMINAL_COLOR_SCHEME',
  REDIRECT: 'REDIRECT',
} as const);

/** One of the standard field type names. */
export type StandardFieldType = (typeof FieldType)[keyof typeof FieldType];

/** A message the frontend translates: a translation key plus variables (`TranslatableMessage`). */
export interface TranslatableMessage {
  /** The translation key, e.g. `LOGIN.ERROR_TOO_MANY_ATTEMPTS`. */
  readonly key: string;
  /** Values substituted into the translated text. */
  readonly variables?: Readonly<Record<string, unknown>>;
}

/**
 * One field of a form. Its JSON omits absent properties (`@JsonInclude(NON_NULL)`); subclasses add
 * their own properties, which `toJSON` includes.
 * @example
 * ```ts
 * const code = new Field('guac-totp', 'GUAC_TOTP_CODE');
 * const remember = new Field('remember', FieldType.BOOLEAN, ['true']);
 * JSON.stringify(code); // {"name":"guac-totp","type":"GUAC_TOTP_CODE"}
 * ```
 */
export class Field {
  /** The field name; for login fields it is the request parameter the value arrives in. */
  readonly name: string;
  /** A {@link FieldType} value or an extension-defined type. */
  readonly type: string;
  /** Legal values (ENUM, BOOLEAN), or undefined. */
  readonly options: readonly string[] | undefined;

  /**
   * @param name the field name
   * @param type the field type
   * @param options the legal values, if the type has any
   */
  constructor(name: string, type: string, options?: readonly string[]) {
    this.name = name;
    this.type = type;
    this.options = options === undefined ? undefined : Object.freeze([...options]);
  }

  /** @returns the field as the REST API serializes it, without undefined properties */
  toJSON(): Record<string, unknown> {
    const json: Record<string, unknown> = {};
    for (const [key, value] of Object.entries(this)) {
      if (value !== undefined) json[key] = value;
    }
    return json;
  }
}

/** A checkbox whose checked value is `truthValue` (`BooleanField`). */
export class BooleanField extends Field {
  /**
   * @param name the field name
   * @param truthValue the value sent when checked, e.g. `true`
   */
  constructor(name: string, truthValue: string) {
    super(name, FieldType.BOOLEAN, [truthValue]);
  }
}

/** A field the frontend answers by navigating to `redirectUrl` (`RedirectField`, used by SSO). */
export class RedirectField extends Field {
  /** Where the browser is sent. */
  readonly redirectUrl: string;
  /** Shown while the redirect is pending. */
  readonly translatableMessage: TranslatableMessage;

  /**
   * @param name the field name
   * @param redirectUrl where the browser is sent
   * @param translatableMessage the message shown meanwhile
   */
  constructor(name: string, redirectUrl: string, translatableMessage: TranslatableMessage) {
    super(name, FieldType.REDIRECT);
    this.redirectUrl = redirectUrl;
    this.translatableMessage = translatableMessage;
  }
}

/** A named group of fields (`Form`): attribute schemas and connection parameter forms. */
export interface Form {
  /** The form name, e.g. `profile`. */
  readonly name: string;
  /** Its fields, in display order. */
  readonly fields: readonly Field[];
}
