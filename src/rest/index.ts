/**
 * @module The REST API's public surface: the router, the tunnel request service both tunnels connect
 * through, protocol definitions, and the error mapper.
 */
export { apiErrorType, HttpAnswer, PatchFailureError, toApiError } from './api-error.js';
export type { ApiErrorBody, ApiErrorType, ApiPatchOutcome } from './api-error.js';
export { createRestRouter, type RestRouterOptions } from './api-router.js';
export { createRestErrorHandler, UNEXPECTED_ERROR_MESSAGE } from './error-handler.js';
export { PROTOCOLS_DIRECTORY, ProtocolRegistry, type ProtocolInfo } from './protocols.js';
export { getAuthenticationToken, TOO_LARGE_MESSAGE } from './request.js';
export {
  TunnelParameter,
  TunnelRequestService,
  type TunnelDetails,
  type TunnelRequestServiceOptions,
  type TunnelType,
} from './tunnel-request-service.js';
