/**
 * @module What a VncClient is asked to do (see settings.ts for the guacd parameters these come from),
 * and the encodings and pseudo-encodings it announces in SetEncodings as a result.
 */
import { SUPPORTED_ENCODINGS } from './decoders/index.js';
import { DEFAULT_ENCODINGS, Encoding, parseEncodingList } from './encodings.js';
import { EXTENDED_CLIPBOARD } from './extended-clipboard.js';
import type { CredentialPrompt } from './security/index.js';
import type { VncTlsOptions } from './transport.js';

/** How the client connects (see settings.ts for the guacd parameters these come from). */
export interface VncClientOptions {
  readonly password?: string | undefined;
  /** VeNCrypt Plain's username (guacd's `username`). */
  readonly username?: string | undefined;
  /** Asks for a missing password or username while the handshake waits; without it they fail it. */
  readonly credentialPrompt?: CredentialPrompt | undefined;
  /** How VeNCrypt's X509 sub-types verify the server certificate. */
  readonly tls?: VncTlsOptions;
  /** guacd's `clipboard-encoding` for the classic cut-text messages; default ISO8859-1. */
  readonly clipboardEncoding?: string;
  /** ClientInit's shared flag; default true. */
  readonly shared?: boolean;
  /** guacd-style encoding names, most preferred first; default DEFAULT_ENCODINGS. */
  readonly encodings?: string;
  /** Swaps red and blue when converting pixels (guacd's `swap-red-blue`). */
  readonly swapRedBlue?: boolean;
  /** guacd's `color-depth`: 8 (BGR233), 16 (RGB565), otherwise 32 bpp; default 24. */
  readonly colorDepth?: number;
  /** 'local' asks the server for cursor images (Cursor pseudo-encoding); 'remote' lets it draw them. */
  readonly cursor?: 'local' | 'remote';
  /** JPEG quality 0…9 (guacd's `quality-level`); without it servers send no JPEG. */
  readonly qualityLevel?: number | undefined;
  /** Compression level 0…9 (guacd's `compress-level`). */
  readonly compressLevel?: number | undefined;
  /**
   * A desktop size to ask for once, at the end of the first update after which the server is known to
   * accept SetDesktopSize (guacd 1.6 sends the owner's size this way unless `disable-display-resize`).
   */
  readonly desktopSize?: { readonly width: number; readonly height: number } | undefined;
}

/**
 * The SetEncodings list: the configured encodings this client decodes (Raw always), then the
 * pseudo-encodings (sizes, LastRect, the extended clipboard, the cursor unless it is remote, and the
 * quality and compression levels when set).
 * @param options the client options
 * @returns encoding numbers, most preferred first
 */
export function announcedEncodings(options: VncClientOptions): number[] {
  const encodings = parseEncodingList(options.encodings ?? DEFAULT_ENCODINGS, SUPPORTED_ENCODINGS);
  if (!encodings.includes(Encoding.RAW)) encodings.push(Encoding.RAW);
  const pseudo: number[] = [
    Encoding.DESKTOP_SIZE,
    Encoding.EXTENDED_DESKTOP_SIZE,
    Encoding.LAST_RECT,
    EXTENDED_CLIPBOARD,
  ];
  if ((options.cursor ?? 'local') === 'local') pseudo.push(Encoding.CURSOR);
  const { qualityLevel: quality, compressLevel: compress } = options;
  if (quality !== undefined && quality >= 0 && quality <= 9) {
    pseudo.push(Encoding.QUALITY_LEVEL_0 + quality);
  }
  if (compress !== undefined && compress >= 0 && compress <= 9) {
    pseudo.push(Encoding.COMPRESS_LEVEL_0 + compress);
  }
  return [...encodings, ...pseudo];
}
