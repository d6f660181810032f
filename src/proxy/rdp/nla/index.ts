/**
 * @module NLA for the bundled RDP client: CredSSP (MS-CSSP) over NTLMv2 (MS-NLMP), with our own MD4
 * and RC4 because Node 20's OpenSSL 3 keeps them in the legacy provider.
 */
export {
  CREDSSP_VERSION,
  CredSspClient,
  type CredSspOptions,
  type CredSspStep,
} from './credssp.js';
export { certificatePublicKey, subjectPublicKey } from './public-key.js';
export { TsRequestReader } from './ts-request.js';
export { NlaSession, type NlaCredentials } from './nla-session.js';
