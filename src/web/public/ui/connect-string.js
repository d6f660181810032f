/**
 * @module The tunnel connect string (spec §6.5, tunnel-protocol.md §8), built as the official
 * frontend's ManagedClient builds it: size and DPI in device pixels, the time zone, and every audio,
 * video and image type this browser can play.
 */

/**
 * @typedef {object} ConnectOptions
 * @property {string} token the session token
 * @property {import('./identifier.js').ClientIdentifier} identifier what to connect to
 * @property {number} width the display area's width, in CSS pixels
 * @property {number} height its height, in CSS pixels
 * @property {string[]} audio supported audio mimetypes
 * @property {string[]} video supported video mimetypes
 */

/** @returns {string[]} the image types the display can decode */
export function supportedImageTypes() {
  const types = ['image/jpeg', 'image/png'];
  const canvas = document.createElement('canvas');
  canvas.width = canvas.height = 1;
  if (canvas.toDataURL('image/webp').startsWith('data:image/webp')) types.push('image/webp');
  return types;
}

/**
 * Builds the connect string.
 * @param {ConnectOptions} options the token, target, size and media types
 * @returns {string} `token=…&GUAC_DATA_SOURCE=…&…`, URL-encoded
 */
export function connectString(options) {
  const ratio = window.devicePixelRatio || 1;
  const { identifier } = options;
  /** @type {[string, string | number][]} */
  const pairs = [
    ['token', options.token],
    ['GUAC_DATA_SOURCE', identifier.dataSource],
    ['GUAC_ID', identifier.id],
    ['GUAC_TYPE', identifier.type],
    ['GUAC_WIDTH', Math.floor(options.width * ratio)],
    ['GUAC_HEIGHT', Math.floor(options.height * ratio)],
    ['GUAC_DPI', Math.floor(96 * ratio)],
    ['GUAC_TIMEZONE', Intl.DateTimeFormat().resolvedOptions().timeZone ?? ''],
    ...options.audio.map((type) => /** @type {[string, string]} */ (['GUAC_AUDIO', type])),
    ...options.video.map((type) => /** @type {[string, string]} */ (['GUAC_VIDEO', type])),
    ...supportedImageTypes().map((type) => /** @type {[string, string]} */ (['GUAC_IMAGE', type])),
  ];
  return pairs
    .map(([name, value]) => `${encodeURIComponent(name)}=${encodeURIComponent(String(value))}`)
    .join('&');
}
