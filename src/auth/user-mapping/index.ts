/**
 * @module The built-in user-mapping.xml provider (identifier `default`, spec §4).
 */
export { decodeXml } from './decode-xml.js';
export {
  FILE_PROVIDER_IDENTIFIER,
  FileAuthenticationProvider,
  USER_MAPPING_FILENAME,
  type FileAuthenticationProviderOptions,
  type UserMappingFileSystem,
} from './file-authentication-provider.js';
export { parseUserMapping, UserMappingSyntaxError } from './parse-user-mapping.js';
export { Authorization, UserMapping, type PasswordEncoding } from './user-mapping.js';
