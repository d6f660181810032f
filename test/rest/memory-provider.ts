/**
 * @module MemoryProvider: a writable, in-memory provider (identifier `memory`) for the REST tests —
 * atomic directories, mutable permission sets that record changes, attribute schemas, history records
 * with a log, sharing profiles, an active connection, a user context resource and a public resource.
 * The user `admin`/`admin` logs in; `administer` decides whether it has system ADMINISTER.
 */
import express from 'express';
import {
  AbstractAuthenticationProvider,
  AbstractUserContext,
  createEnvironment,
  Field,
  GuacamoleConfiguration,
  SimpleActivityRecordSet,
  SimpleAuthenticatedUser,
  SimpleConnectionGroup,
  SimpleUser,
  UserCredentials,
  type ActiveConnection,
  type AttributeMap,
  type AuthenticatedUser,
  type Connection,
  type ConnectionGroup,
  type ConnectionRecord,
  type Credentials,
  type Form,
  type RelatedObjectSet,
  type SharingProfile,
  type Tunnel,
  type User,
  type UserContext,
  type UserGroup,
} from '../../src/extensions/api.js';
import { MemoryDirectory, MemoryPermissionSet } from './memory-directory.js';

/** A connection whose fields and configuration can change. */
export class MemoryConnection implements Connection {
  configuration: GuacamoleConfiguration;
  attributes: AttributeMap = {};
  readonly history: ConnectionRecord[] = [];
  sharingProfiles = new Set<string>();
  connectTo: (() => Promise<Tunnel>) | undefined;

  constructor(
    public identifier: string,
    public name: string,
    public parentIdentifier = 'ROOT',
    protocol = 'vnc',
  ) {
    this.configuration = new GuacamoleConfiguration({ protocol, parameters: { hostname: 'h' } });
  }
  getConfiguration(): GuacamoleConfiguration {
    return this.configuration;
  }
  setConfiguration(configuration: GuacamoleConfiguration): void {
    this.configuration = configuration;
  }
  getAttributes(): AttributeMap {
    return this.attributes;
  }
  setAttributes(attributes: AttributeMap): void {
    this.attributes = attributes;
  }
  getActiveConnections(): number {
    return 2;
  }
  getLastActive(): Date {
    return new Date(1712345678901);
  }
  getConnectionHistory(): SimpleActivityRecordSet<ConnectionRecord> {
    return new SimpleActivityRecordSet(this.history);
  }
  getSharingProfileIdentifiers(): ReadonlySet<string> {
    return this.sharingProfiles;
  }
  async connect(): Promise<Tunnel> {
    if (this.connectTo === undefined) throw new Error('Not connectable.');
    return await this.connectTo();
  }
}

/** A user whose user permissions and groups can change (every change is recorded). */
export class MemoryUser extends SimpleUser {
  readonly changes: string[] = [];
  readonly userPermissions = new MemoryPermissionSet(this.changes);
  readonly connectionPermissions = new MemoryPermissionSet(this.changes);
  readonly groups = new Set(['staff']);
  attributes: AttributeMap = {};

  constructor(identifier: string, administer: boolean) {
    super({ identifier, systemPermissions: administer ? ['ADMINISTER'] : [] });
  }
  override getAttributes(): AttributeMap {
    return this.attributes;
  }
  // SimpleUser declares setAttributes() without a parameter, hence the rest parameter.
  override setAttributes(...attributes: AttributeMap[]): void {
    this.attributes = attributes[0] ?? {};
  }
  override getUserPermissions(): MemoryPermissionSet {
    return this.userPermissions;
  }
  override getConnectionPermissions(): MemoryPermissionSet {
    return this.connectionPermissions;
  }
  override getUserGroups(): RelatedObjectSet {
    return {
      getObjects: () => this.groups,
      addObjects: (ids) => {
        for (const id of ids) this.groups.add(id);
      },
      removeObjects: (ids) => {
        for (const id of ids) this.groups.delete(id);
      },
    };
  }
}

const FORMS = (...names: string[]): Form[] => [
  { name: 'general', fields: names.map((name) => new Field(name, 'TEXT')) },
];

/** The context every login gets (one shared instance, for assertions). */
export class MemoryContext extends AbstractUserContext {
  readonly me: MemoryUser;
  readonly connections: MemoryDirectory<Connection>;
  readonly groups: MemoryDirectory<ConnectionGroup>;
  readonly users: MemoryDirectory<User>;
  readonly userGroups = new MemoryDirectory<UserGroup>('group-');
  readonly profiles: MemoryDirectory<SharingProfile>;
  readonly active = new MemoryDirectory<ActiveConnection>('active-');
  readonly history: ConnectionRecord[] = [];

  constructor(provider: MemoryProvider, administer: boolean) {
    super(provider);
    this.me = new MemoryUser('admin', administer);
    const desk = new MemoryConnection('1', 'Desk');
    desk.sharingProfiles = new Set(['sp1']);
    this.connections = new MemoryDirectory('conn-', [
      desk,
      new MemoryConnection('2', 'Nested', 'g1', 'rdp'),
      new MemoryConnection('3', 'Orphan', 'missing', 'ssh'),
    ]);
    this.groups = new MemoryDirectory('cg-', [
      new SimpleConnectionGroup({
        identifier: 'g1',
        name: 'Servers',
        parentIdentifier: 'ROOT',
        connectionIdentifiers: ['2'],
      }),
    ]);
    this.users = new MemoryDirectory('user-', [this.me, new MemoryUser('other', false)]);
    this.profiles = new MemoryDirectory('sp-', [
      {
        identifier: 'sp1',
        name: 'Watch',
        primaryConnectionIdentifier: '1',
        getParameters: () => ({ 'read-only': 'true' }),
        setParameters: () => undefined,
        getAttributes: () => ({}),
        setAttributes: () => undefined,
      },
    ]);
  }
  self(): MemoryUser {
    return this.me;
  }
  override getConnectionDirectory(): MemoryDirectory<Connection> {
    return this.connections;
  }
  override getConnectionGroupDirectory(): Promise<MemoryDirectory<ConnectionGroup>> {
    return Promise.resolve(this.groups);
  }
  override getUserDirectory(): Promise<MemoryDirectory<User>> {
    return Promise.resolve(this.users);
  }
  override getUserGroupDirectory(): MemoryDirectory<UserGroup> {
    return this.userGroups;
  }
  override getSharingProfileDirectory(): MemoryDirectory<SharingProfile> {
    return this.profiles;
  }
  override getActiveConnectionDirectory(): MemoryDirectory<ActiveConnection> {
    return this.active;
  }
  override getConnectionHistory(): SimpleActivityRecordSet<ConnectionRecord> {
    return new SimpleActivityRecordSet(this.history);
  }
  override getRootConnectionGroup(): Promise<ConnectionGroup> {
    return Promise.resolve(
      new SimpleConnectionGroup({
        identifier: 'ROOT',
        name: 'ROOT',
        connectionIdentifiers: ['1', '3'],
        connectionGroupIdentifiers: ['g1'],
      }),
    );
  }
  override getConnectionAttributes(): Form[] {
    return FORMS('max-connections');
  }
  override getUserAttributes(): Form[] {
    return FORMS('guac-full-name', 'guac-email-address');
  }
  override getUserPreferenceAttributes(): Form[] {
    return FORMS('guac-full-name');
  }
  override getResource(): express.Router {
    const router = express.Router();
    router.get('/whoami', (_req, res) => {
      res.json({ user: this.me.identifier });
    });
    return router;
  }
}

/** An active connection record with sharing credentials. */
export function activeConnection(identifier: string, tunnel?: Tunnel): ActiveConnection {
  return {
    identifier,
    connectionIdentifier: '1',
    sharingProfileIdentifier: undefined,
    startDate: new Date(1700000000000),
    remoteHost: '10.0.0.5',
    username: 'admin',
    getTunnel: () => tunnel,
    isConnectable: () => false,
    getSharingCredentials: (profile) =>
      new UserCredentials([new Field('key', 'QUERY_PARAMETER')], { key: `share-${profile}` }),
    connect: () => Promise.reject(new Error('no')),
    getActiveConnections: () => 0,
  };
}

/** The provider: `admin`/`admin`, one shared context, and a public resource. */
export class MemoryProvider extends AbstractAuthenticationProvider {
  readonly context: MemoryContext;
  shutdowns = 0;

  constructor(administer = true) {
    super(createEnvironment({ guacamoleHome: '/nonexistent' }));
    this.context = new MemoryContext(this, administer);
  }
  getIdentifier(): string {
    return 'memory';
  }
  override authenticateUser(credentials: Credentials): AuthenticatedUser | null {
    if (credentials.username !== 'admin' || credentials.password !== 'admin') return null;
    return new SimpleAuthenticatedUser({
      identifier: 'admin',
      authenticationProvider: this,
      credentials,
    });
  }
  override getUserContext(): UserContext {
    return this.context;
  }
  override getResource(): express.Router {
    const router = express.Router();
    router.get('/hello', (_req, res) => {
      res.json({ hello: 'world' });
    });
    return router;
  }
  override shutdown(): void {
    this.shutdowns++;
  }
}
