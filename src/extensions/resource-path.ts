/**
 * @module Resource names inside an extension: class-loader style paths relative to the extension root
 * (no leading `/`). Anything that could leave the root is treated as missing, so no manifest entry and
 * no archive entry can reach outside its extension.
 */

/**
 * Whether a manifest or archive path stays inside the extension.
 * @param path the path as written, e.g. `translations/en.json`
 * @param allowDirectory whether a trailing `/` (an archive's directory entry) is allowed
 * @returns false for empty, absolute, drive-letter, backslash or NUL paths and for `.`, `..` or empty segments
 */
export function isSafeResourcePath(path: string, allowDirectory = false): boolean {
  const body = allowDirectory && path.endsWith('/') ? path.slice(0, -1) : path;
  if (body === '' || body.includes('\\') || body.includes('\0')) return false;
  if (/^[A-Za-z]:/.test(body)) return false;
  return body.split('/').every((segment) => segment !== '' && segment !== '.' && segment !== '..');
}
