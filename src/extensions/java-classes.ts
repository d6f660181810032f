/**
 * @module The Java classes Apache's bundled extensions name in `authProviders` and `listeners`
 * (guacamole-client 1.0.0 through main), each mapped to the id of the TypeScript port that would
 * replace it. A manifest entry that is not a module path is treated as a Java class name.
 */

/** What an Apache extension class is and which port replaces it. */
export interface JavaClassInfo {
  /** The id of the TypeScript port, e.g. `jdbc-postgresql`. */
  readonly portId: string;
  /** Which manifest list names it. */
  readonly role: 'authProvider' | 'listener';
  /** The Maven artifact that ships it, e.g. `guacamole-auth-jdbc-postgresql`. */
  readonly artifact: string;
}

const P = 'org.apache.guacamole.';

const TABLE: readonly (readonly [string, string, JavaClassInfo['role'], string])[] = [
  [`${P}auth.ban.BanningAuthenticationListener`, 'ban', 'listener', 'guacamole-auth-ban'],
  [`${P}auth.duo.DuoAuthenticationProvider`, 'duo', 'authProvider', 'guacamole-auth-duo'],
  [
    `${P}auth.header.HTTPHeaderAuthenticationProvider`,
    'header',
    'authProvider',
    'guacamole-auth-header',
  ],
  [`${P}auth.json.JSONAuthenticationProvider`, 'json', 'authProvider', 'guacamole-auth-json'],
  [`${P}auth.ldap.LDAPAuthenticationProvider`, 'ldap', 'authProvider', 'guacamole-auth-ldap'],
  [
    `${P}auth.mysql.MySQLAuthenticationProvider`,
    'jdbc-mysql',
    'authProvider',
    'guacamole-auth-jdbc-mysql',
  ],
  [
    `${P}auth.mysql.MySQLSharedAuthenticationProvider`,
    'jdbc-mysql-shared',
    'authProvider',
    'guacamole-auth-jdbc-mysql',
  ],
  [
    `${P}auth.postgresql.PostgreSQLAuthenticationProvider`,
    'jdbc-postgresql',
    'authProvider',
    'guacamole-auth-jdbc-postgresql',
  ],
  [
    `${P}auth.postgresql.PostgreSQLSharedAuthenticationProvider`,
    'jdbc-postgresql-shared',
    'authProvider',
    'guacamole-auth-jdbc-postgresql',
  ],
  [
    `${P}auth.sqlserver.SQLServerAuthenticationProvider`,
    'jdbc-sqlserver',
    'authProvider',
    'guacamole-auth-jdbc-sqlserver',
  ],
  [
    `${P}auth.sqlserver.SQLServerSharedAuthenticationProvider`,
    'jdbc-sqlserver-shared',
    'authProvider',
    'guacamole-auth-jdbc-sqlserver',
  ],
  [
    `${P}auth.quickconnect.QuickConnectAuthenticationProvider`,
    'quickconnect',
    'authProvider',
    'guacamole-auth-quickconnect',
  ],
  [
    `${P}auth.radius.RadiusAuthenticationProvider`,
    'radius',
    'authProvider',
    'guacamole-auth-radius',
  ],
  [
    `${P}auth.restrict.RestrictionAuthenticationProvider`,
    'restrict',
    'authProvider',
    'guacamole-auth-restrict',
  ],
  [`${P}auth.cas.CASAuthenticationProvider`, 'sso-cas', 'authProvider', 'guacamole-auth-sso-cas'],
  [
    `${P}auth.openid.OpenIDAuthenticationProvider`,
    'sso-openid',
    'authProvider',
    'guacamole-auth-sso-openid',
  ],
  [
    `${P}auth.saml.SAMLAuthenticationProvider`,
    'sso-saml',
    'authProvider',
    'guacamole-auth-sso-saml',
  ],
  [
    `${P}auth.saml.SAMLAuthenticationEventListener`,
    'sso-saml-listener',
    'listener',
    'guacamole-auth-sso-saml',
  ],
  [`${P}auth.ssl.SSLAuthenticationProvider`, 'sso-ssl', 'authProvider', 'guacamole-auth-sso-ssl'],
  [
    `${P}auth.ssl.SSLAuthenticationEventListener`,
    'sso-ssl-listener',
    'listener',
    'guacamole-auth-sso-ssl',
  ],
  [`${P}auth.totp.TOTPAuthenticationProvider`, 'totp', 'authProvider', 'guacamole-auth-totp'],
  [
    `${P}history.HistoryAuthenticationProvider`,
    'history-recording-storage',
    'authProvider',
    'guacamole-history-recording-storage',
  ],
  [`${P}vault.ksm.KsmAuthenticationProvider`, 'vault-ksm', 'authProvider', 'guacamole-vault-ksm'],
];

/** Every class Apache's bundled extensions declare, by fully-qualified name. */
export const APACHE_JAVA_CLASSES: ReadonlyMap<string, JavaClassInfo> = new Map(
  TABLE.map(([name, portId, role, artifact]) => [name, Object.freeze({ portId, role, artifact })]),
);

/**
 * Whether a manifest `authProviders`/`listeners` entry names a JavaScript module of this server's
 * extensions rather than a Java class.
 * @param entry the entry, e.g. `dist/provider.js` or `org.apache.guacamole.auth.totp.TOTPAuthenticationProvider`
 * @returns true if it ends in `.js`, `.mjs` or `.cjs`
 */
export function isModulePath(entry: string): boolean {
  return /\.[mc]?js$/.test(entry);
}
