/**
 * @module Client identifiers in the URL (`#/client/<id>`), encoded as the official frontend's
 * ClientIdentifier: base64 of `<identifier>\0<type>\0<data source>` (text as UTF-8), so links
 * made by either frontend open in the other.
 */

/**
 * @typedef {object} ClientIdentifier what a client view connects to
 * @property {string} id the connection or group identifier
 * @property {'c' | 'g'} type `c` for a connection, `g` for a (balancing) connection group
 * @property {string} dataSource the data source it belongs to
 */

/**
 * Encodes an identifier for the URL.
 * @param {ClientIdentifier} identifier what to connect to
 * @returns {string} the encoded identifier
 */
export function encodeIdentifier(identifier) {
  const bytes = new TextEncoder().encode(
    [identifier.id, identifier.type, identifier.dataSource].join('\0'),
  );
  return btoa(Array.from(bytes, (b) => String.fromCharCode(b)).join(''));
}

/**
 * Decodes an identifier from the URL.
 * @param {string} text the encoded identifier
 * @returns {ClientIdentifier | null} the identifier, or null when the text is not one
 */
export function decodeIdentifier(text) {
  try {
    const binary = atob(decodeURIComponent(text));
    const bytes = Uint8Array.from(binary, (c) => c.charCodeAt(0));
    const [id, type, dataSource] = new TextDecoder('utf-8', { fatal: true })
      .decode(bytes)
      .split('\0');
    if (id === undefined || dataSource === undefined || (type !== 'c' && type !== 'g')) return null;
    return { id, type, dataSource };
  } catch {
    return null;
  }
}
