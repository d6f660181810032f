/**
 * @module ClientInformation (GuacamoleClientInformation): what the browser can do, sent to guacd during the
 * handshake as `size`, `audio`, `video`, `image`, `timezone` and `name`.
 */

/** The client's display and capabilities; every field is sent to guacd in the handshake. */
export interface ClientInformation {
  /** Optimal display width in pixels (`size` arg 0). */
  width: number;
  /** Optimal display height in pixels (`size` arg 1). */
  height: number;
  /** Optimal resolution in DPI (`size` arg 2). */
  dpi: number;
  /** Audio mimetypes the client can play, e.g. `audio/L16`. */
  audioMimetypes: string[];
  /** Video mimetypes the client can play. */
  videoMimetypes: string[];
  /** Image mimetypes the client can decode, e.g. `image/png`. */
  imageMimetypes: string[];
  /** The client's IANA time zone, e.g. `Europe/Berlin`; sent only to guacd ≥ 1.1.0. */
  timezone?: string | undefined;
  /** The user's name as shown to other users; sent only to guacd ≥ 1.5.0. */
  name?: string | undefined;
}

/**
 * Builds Java's default client information: 1024×768 at 96 DPI, no mimetypes, no time zone, no name.
 * @returns a fresh, mutable object
 */
export function defaultClientInformation(): ClientInformation {
  return {
    width: 1024,
    height: 768,
    dpi: 96,
    audioMimetypes: [],
    videoMimetypes: [],
    imageMimetypes: [],
    timezone: undefined,
    name: undefined,
  };
}
