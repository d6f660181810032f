/**
 * @module A minimal, spec-faithful stub of the REST endpoints the built-in UI calls (spec §6.1–6.5):
 * `POST /api/tokens` (form fields; 403 INVALID_CREDENTIALS / INSUFFICIENT_CREDENTIALS with `expected`),
 * `HEAD`/`DELETE /api/session`, `DELETE /api/tokens/{token}`, and per data source the
 * `connectionGroups/ROOT/tree` and `connections/{id}`. Users: alice/secret, and bob/hunter2 who also
 * needs the TOTP-style field `guac-totp` = 123456. It records every request for assertions.
 */
import { randomBytes } from 'node:crypto';
import express, { type Request, type Response, type Router } from 'express';

/** A connection of the stub: its tree entry and what the tunnel hands to guacd. */
export interface StubConnection {
  readonly identifier: string;
  readonly name: string;
  readonly protocol: string;
  readonly parentIdentifier: string;
  /** Connection parameters (hostname, port, password). */
  readonly parameters: Readonly<Record<string, string>>;
}

/** A data source: its connections and (non-root) organizational groups. */
export interface StubDataSource {
  readonly connections: readonly StubConnection[];
  readonly groups: readonly { readonly identifier: string; readonly name: string }[];
}

/** One logged-in session. */
export interface StubSession {
  readonly token: string;
  readonly username: string;
}

/** A request the stub answered, for assertions. */
export interface StubRequest {
  readonly method: string;
  readonly path: string;
  readonly token: string | undefined;
  readonly form: Readonly<Record<string, string>>;
}

const USERNAME_PASSWORD = [
  { name: 'username', type: 'USERNAME' },
  { name: 'password', type: 'PASSWORD' },
];

const PASSWORDS: ReadonlyMap<string, string> = new Map([
  ['alice', 'secret'],
  ['bob', 'hunter2'],
]);

/** The code bob's second factor wants. */
export const TOTP_CODE = '123456';

/**
 * Sends the error body of `RESTExceptionMapper` (nulls included, as Jackson writes `APIError`).
 * @param res the response
 * @param status the HTTP status
 * @param type INVALID_CREDENTIALS, INSUFFICIENT_CREDENTIALS, PERMISSION_DENIED, NOT_FOUND…
 * @param message the message
 * @param expected the credential fields, for the two credential types
 * @param key the translation key, when the message is translatable
 */
function sendError(
  res: Response,
  status: number,
  type: string,
  message: string,
  expected: readonly object[] | null = null,
  key?: string,
): void {
  res.status(status).json({
    message,
    translatableMessage:
      key === undefined
        ? { key: 'APP.TEXT_UNTRANSLATED', variables: { MESSAGE: message } }
        : { key, variables: null },
    statusCode: null,
    expected,
    patches: null,
    type,
  });
}

/** The stub REST API; mount {@link StubRest.router} at the application's base path. */
export class StubRest {
  /** token → session. */
  readonly sessions = new Map<string, StubSession>();
  /** Every request answered, in order. */
  readonly requests: StubRequest[] = [];
  readonly #sources: ReadonlyMap<string, StubDataSource>;
  readonly router: Router;

  /** @param sources data source → its connections and groups */
  constructor(sources: ReadonlyMap<string, StubDataSource>) {
    this.#sources = sources;
    const router = express.Router();
    router.use('/api', express.urlencoded({ extended: false }));
    router.use('/api', (req, res, next) => {
      this.requests.push({
        method: req.method,
        path: req.path,
        token: this.#tokenOf(req),
        form: Object.fromEntries(
          Object.entries((req.body ?? {}) as Record<string, unknown>).map(([k, v]) => [
            k,
            String(v),
          ]),
        ),
      });
      next();
    });
    router.post('/api/tokens', (req, res) => {
      this.#login(req, res);
    });
    router.delete('/api/tokens/:token', (req, res) => {
      res.status(this.sessions.delete(req.params.token) ? 204 : 404).end();
    });
    router.head('/api/session', (req, res) => {
      res.status(this.#session(req) ? 204 : 403).end();
    });
    router.delete('/api/session', (req, res) => {
      const session = this.#session(req);
      if (!session) {
        sendError(res, 403, 'PERMISSION_DENIED', 'Permission Denied.');
        return;
      }
      this.sessions.delete(session.token);
      res.status(204).end();
    });
    router.get('/api/session/data/:ds/connectionGroups/ROOT/tree', (req, res) => {
      const source = this.#source(req, res);
      if (source) res.json(this.#tree(source));
    });
    router.get('/api/session/data/:ds/connections/:id', (req, res) => {
      const source = this.#source(req, res);
      const found = source?.connections.find((c) => c.identifier === req.params.id);
      if (!source) return;
      if (!found) sendError(res, 404, 'NOT_FOUND', `No such connection: "${req.params.id}"`);
      else res.json(this.#apiConnection(found));
    });
    this.router = router;
  }

  /**
   * Ends a session on the server side only (as a timeout would).
   * @param token the session's token
   */
  expire(token: string): void {
    this.sessions.delete(token);
  }

  /**
   * Finds a connection for the tunnel.
   * @param dataSource the data source
   * @param id the connection identifier
   * @returns the connection, if any
   */
  connection(dataSource: string, id: string): StubConnection | undefined {
    return this.#sources.get(dataSource)?.connections.find((c) => c.identifier === id);
  }

  #tokenOf(req: Request): string | undefined {
    const header = req.get('Guacamole-Token');
    const query = typeof req.query.token === 'string' ? req.query.token : undefined;
    return header !== undefined && header !== '' ? header : query !== '' ? query : undefined;
  }

  #session(req: Request): StubSession | undefined {
    const token = this.#tokenOf(req);
    return token === undefined ? undefined : this.sessions.get(token);
  }

  #source(req: Request, res: Response): StubDataSource | undefined {
    if (!this.#session(req)) {
      sendError(res, 403, 'PERMISSION_DENIED', 'Permission Denied.');
      return undefined;
    }
    const source = this.#sources.get(String(req.params.ds));
    if (!source) {
      sendError(res, 404, 'NOT_FOUND', 'Session not associated with authentication provider');
    }
    return source;
  }

  #login(req: Request, res: Response): void {
    const form = (req.body ?? {}) as Record<string, string | undefined>;
    const existing = form.token === undefined ? undefined : this.sessions.get(form.token);
    const { username, password } = form;
    if (existing && username === undefined && password === undefined) {
      this.#authenticated(res, existing);
      return;
    }
    if (username === undefined || PASSWORDS.get(username) !== password) {
      sendError(
        res,
        403,
        'INVALID_CREDENTIALS',
        'Invalid login.',
        USERNAME_PASSWORD,
        'LOGIN.ERROR_INVALID_LOGIN',
      );
      return;
    }
    if (username === 'bob' && form['guac-totp'] !== TOTP_CODE) {
      const field = [{ name: 'guac-totp', type: 'GUAC_TOTP_CODE' }];
      sendError(
        res,
        403,
        'INSUFFICIENT_CREDENTIALS',
        'Verification code required.',
        field,
        'TOTP.INFO_CODE_REQUIRED',
      );
      return;
    }
    const session = { token: randomBytes(32).toString('hex').toUpperCase(), username };
    this.sessions.set(session.token, session);
    this.#authenticated(res, session);
  }

  #authenticated(res: Response, session: StubSession): void {
    const sources = [...this.#sources.keys()];
    res.json({
      authToken: session.token,
      username: session.username,
      dataSource: sources[0],
      availableDataSources: sources,
    });
  }

  #apiConnection(c: StubConnection): object {
    return {
      name: c.name,
      identifier: c.identifier,
      parentIdentifier: c.parentIdentifier,
      protocol: c.protocol,
      attributes: {},
      activeConnections: 0,
      lastActive: 1712345678901,
      sharingProfiles: [],
    };
  }

  /** The `ConnectionGroupTree` of a data source: ROOT, its groups, connections under their parents. */
  #tree(source: StubDataSource): object {
    const under = (parent: string) => ({
      ...(source.connections.some((c) => c.parentIdentifier === parent)
        ? {
            childConnections: source.connections
              .filter((c) => c.parentIdentifier === parent)
              .map((c) => this.#apiConnection(c)),
          }
        : {}),
    });
    return {
      name: 'ROOT',
      identifier: 'ROOT',
      type: 'ORGANIZATIONAL',
      activeConnections: 0,
      attributes: {},
      ...under('ROOT'),
      ...(source.groups.length > 0
        ? {
            childConnectionGroups: source.groups.map((g) => ({
              name: g.name,
              identifier: g.identifier,
              parentIdentifier: 'ROOT',
              type: 'ORGANIZATIONAL',
              activeConnections: 0,
              attributes: {},
              ...under(g.identifier),
            })),
          }
        : {}),
    };
  }
}
