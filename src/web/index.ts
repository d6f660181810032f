/**
 * @module The web layer's public surface: the built-in UI ({@link createWebUi}), the official Angular
 * frontend read from a guacamole.war ({@link createOfficialFrontend}), and their property.
 */
export { FrontendSourceError, readFrontendFiles } from './frontend-source.js';
export {
  createOfficialFrontend,
  formatBuildId,
  type OfficialFrontend,
  type OfficialFrontendOptions,
} from './official-frontend.js';
export { GUACAMOLE_FRONTEND, WEB_PROPERTIES } from './properties.js';
export { createWebUi, WEB_UI_STATIC_PATH, type WebUiOptions } from './web-ui.js';
