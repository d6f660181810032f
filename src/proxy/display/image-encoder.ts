/**
 * @module Image encoder: guacd 1.6's per-update format choice (PNG, JPEG or WebP), lossy quality from
 * the client's processing lag, block alignment, and encoding with sharp. sharp runs libvips on
 * libuv's thread pool, so the event loop only copies pixels in and base64 out.
 */
import sharp from 'sharp';
import { SMALL_PNG_AREA, encodePng } from './png.js';
import type { PixelArena } from './pixel-arena.js';
import type { Rect, Surface } from './surface.js';

/** The image mimetypes the display can send. */
export type ImageMimetype = 'image/png' | 'image/jpeg' | 'image/webp';

/** guacd's `GUAC_DISPLAY_JPEG_FRAMERATE`: lossy formats need an update rate of at least 3 fps. */
export const LOSSY_MIN_FRAMERATE = 3;
/** guacd's `GUAC_DISPLAY_JPEG_MIN_BITMAP_SIZE`: JPEG needs an area above 4096 px. */
export const JPEG_MIN_AREA = 4096;
/** JPEG updates are aligned to 16-px blocks (guacd's `GUAC_SURFACE_JPEG_BLOCK_SIZE`). */
export const JPEG_BLOCK = 16;
/** WebP updates are aligned to 8-px blocks (guacd's `GUAC_SURFACE_WEBP_BLOCK_SIZE`). */
export const WEBP_BLOCK = 8;

/** What the format choice depends on. */
export interface FormatContext {
  /** The unaligned update area. */
  readonly rect: Rect;
  /** How often the area has been updated, frames per second. */
  readonly framerate: number;
  /** `force-lossless`: never use a lossy format. */
  readonly lossless: boolean;
  /** Whether the layer is opaque (JPEG has no alpha). */
  readonly opaque: boolean;
  /** Whether every connected user accepts JPEG. */
  readonly jpeg: boolean;
  /** Whether every connected user accepts WebP. */
  readonly webp: boolean;
  /** guacd's PNG optimality of the area's pixels, computed only when needed. */
  readonly pngOptimality: () => number;
}

/**
 * The lossy quality for a client's processing lag: `90 - (lag - 20)`, clamped to 30–90 (guacd's
 * `guac_display_suggest_quality`).
 * @param lag the processing lag in milliseconds
 * @returns the quality, 30–90
 */
export function suggestQuality(lag: number): number {
  return Math.min(90, Math.max(30, 90 - (Math.trunc(lag) - 20)));
}

/**
 * guacd's PNG optimality heuristic: positive when repeated neighbouring pixels suggest PNG compresses
 * well, negative when a lossy format is likely better. Alpha is ignored, as guacd does.
 * @param words the pixels as little-endian RGBA words
 * @param stride the row length in pixels
 * @param rect the area
 * @returns `256 * same / different - 1024`, truncated
 */
export function pngOptimality(words: Uint32Array, stride: number, rect: Rect): number {
  if (rect.width < 1 || rect.height < 1) return 0;
  let same = 0;
  let different = 1;
  for (let y = rect.y; y < rect.y + rect.height; y++) {
    const start = y * stride + rect.x;
    let last = ((words[start] as number) | 0xff000000) >>> 0;
    for (let i = start + 1, end = start + rect.width; i < end; i++) {
      const current = ((words[i] as number) | 0xff000000) >>> 0;
      if (current === last) same++;
      else different++;
      last = current;
    }
  }
  return Math.trunc((0x100 * same) / different) - 0x400;
}

/**
 * Chooses the format of one update as guacd's display worker does: WebP when allowed, frequent and
 * not PNG-friendly; else JPEG when opaque, allowed, larger than 4096 px, frequent and not
 * PNG-friendly; else PNG. Lossless mode always gives PNG.
 * @param context the update's properties
 * @returns the mimetype
 */
export function chooseFormat(context: FormatContext): ImageMimetype {
  if (context.lossless || context.framerate < LOSSY_MIN_FRAMERATE) return 'image/png';
  const area = context.rect.width * context.rect.height;
  const jpeg = context.jpeg && context.opaque && area > JPEG_MIN_AREA;
  if (!context.webp && !jpeg) return 'image/png';
  if (context.pngOptimality() >= 0) return 'image/png';
  return context.webp ? 'image/webp' : 'image/jpeg';
}

/**
 * Expands a rectangle outward to a block grid, then clips it to the layer (guacd's
 * `guac_rect_align` + `guac_rect_constrain`).
 * @param rect the rectangle
 * @param block the block size in pixels
 * @param width the layer width
 * @param height the layer height
 * @returns the aligned rectangle
 */
export function alignRect(rect: Rect, block: number, width: number, height: number): Rect {
  const x = Math.floor(rect.x / block) * block;
  const y = Math.floor(rect.y / block) * block;
  const right = Math.min(width, Math.ceil((rect.x + rect.width) / block) * block);
  const bottom = Math.min(height, Math.ceil((rect.y + rect.height) / block) * block);
  return { x, y, width: right - x, height: bottom - y };
}

/**
 * Copies an area out of an RGBA buffer into a tightly packed RGBA buffer (row copies only).
 * @param pixels the RGBA source
 * @param stride the source row length in pixels
 * @param rect the area
 * @param into where to write, at least `rect.width * rect.height * 4` bytes (default: a new buffer)
 * @returns the packed pixels (`into`, cut to size, when given)
 */
export function extractPixels(
  pixels: Uint8Array,
  stride: number,
  rect: Rect,
  into?: Buffer,
): Buffer {
  const rowBytes = rect.width * 4;
  const bytes = rowBytes * rect.height;
  if (into === undefined && rect.x === 0 && rect.width === stride) {
    const start = rect.y * stride * 4;
    return Buffer.from(pixels.subarray(start, start + bytes));
  }
  if (into !== undefined && into.length < bytes) {
    throw new RangeError(`extract target too short: need ${bytes} bytes, got ${into.length}`);
  }
  const out = into?.subarray(0, bytes) ?? Buffer.allocUnsafe(bytes);
  if (rect.x === 0 && rect.width === stride) {
    const start = rect.y * stride * 4;
    out.set(pixels.subarray(start, start + bytes));
    return out;
  }
  for (let row = 0; row < rect.height; row++) {
    const start = ((rect.y + row) * stride + rect.x) * 4;
    out.set(pixels.subarray(start, start + rowBytes), row * rowBytes);
  }
  return out;
}

/**
 * Encodes an area of a packed RGBA image, off the event loop: sharp reads only the area (no copy
 * is made here); small PNGs are written directly from it (png.ts).
 * @param raw the packed pixels of the whole image
 * @param stride the whole image's width in pixels (`raw` holds `raw.length / (stride * 4)` rows)
 * @param rect the area to encode
 * @param opaque whether to drop alpha (always done for JPEG)
 * @param mimetype the format
 * @param quality the lossy quality, 1–100 (ignored for PNG)
 * @returns the encoded image
 */
export async function encodeRegion(
  raw: Uint8Array,
  stride: number,
  rect: Rect,
  opaque: boolean,
  mimetype: ImageMimetype,
  quality: number,
): Promise<Buffer> {
  const { width, height } = rect;
  if (mimetype === 'image/png' && width * height <= SMALL_PNG_AREA) {
    return encodePng(raw, width, height, opaque, stride * 4, (rect.y * stride + rect.x) * 4);
  }
  const rows = Math.floor(raw.length / (stride * 4));
  const input = Buffer.from(raw.buffer, raw.byteOffset, stride * rows * 4);
  let image = sharp(input, { raw: { width: stride, height: rows, channels: 4 } });
  if (rect.x !== 0 || rect.y !== 0 || width !== stride || height !== rows) {
    image = image.extract({ left: rect.x, top: rect.y, width, height });
  }
  if (opaque || mimetype === 'image/jpeg') image = image.removeAlpha();
  switch (mimetype) {
    case 'image/png':
      return await image.png({ compressionLevel: 6, adaptiveFiltering: false }).toBuffer();
    case 'image/jpeg':
      return await image.jpeg({ quality }).toBuffer();
    case 'image/webp':
      return await image.webp({ quality }).toBuffer();
  }
}

/**
 * Encodes packed RGBA pixels with sharp, off the event loop; small PNGs are written directly (png.ts).
 * @param raw the packed pixels from {@link extractPixels}
 * @param width the image width
 * @param height the image height
 * @param opaque whether to drop alpha (always done for JPEG)
 * @param mimetype the format
 * @param quality the lossy quality, 1–100 (ignored for PNG)
 * @returns the encoded image
 */
export function encodeImage(
  raw: Uint8Array,
  width: number,
  height: number,
  opaque: boolean,
  mimetype: ImageMimetype,
  quality: number,
): Promise<Buffer> {
  return encodeRegion(raw, width, { x: 0, y: 0, width, height }, opaque, mimetype, quality);
}

/** Per-frame encoding settings shared by every update of the frame. */
export interface ImageSettings {
  /** `force-lossless`: PNG only. */
  readonly lossless: boolean;
  /** Whether the layer is opaque. */
  readonly opaque: boolean;
  /** Whether every user accepts JPEG. */
  readonly jpeg: boolean;
  /** Whether every user accepts WebP. */
  readonly webp: boolean;
  /** The lossy quality from {@link suggestQuality}. */
  readonly quality: number;
}

/** An image update after format choice and alignment, its encoding under way. */
export interface ImageJob {
  readonly rect: Rect;
  readonly mimetype: ImageMimetype;
  readonly data: Promise<Buffer>;
}

/** An update's pixels copied out of the client model, aligned to 16 px (enough for any format). */
export interface CapturedImage {
  /** The update area. */
  readonly rect: Rect;
  /** The area captured: `rect` aligned to the JPEG block and clipped to the layer. */
  readonly area: Rect;
  /** The captured area's packed RGBA pixels. */
  readonly raw: Buffer;
  /** The layer's size when captured (alignment clips to it). */
  readonly layerWidth: number;
  readonly layerHeight: number;
}

/**
 * Copies an update's pixels out of the client model; must run in the same task as the planning, as
 * the model moves on afterwards. Format choice and encoding can then wait ({@link encodeCaptured}).
 * @param surface the surface
 * @param rect the update area
 * @param arena where to copy them (its slice must stay untouched until the encoding ends); default:
 * a new buffer
 * @returns the captured pixels
 */
export function captureImage(surface: Surface, rect: Rect, arena?: PixelArena): CapturedImage {
  const area = alignRect(rect, JPEG_BLOCK, surface.width, surface.height);
  const into = arena?.take(area.width * area.height * 4);
  const raw = extractPixels(surface.clientPixels, surface.width, area, into);
  return { rect, area, raw, layerWidth: surface.width, layerHeight: surface.height };
}

/**
 * Chooses a captured update's format (guacd's rules), cuts it to that format's alignment and starts
 * encoding. The captured pixels must stay untouched until the job's data settles.
 * @param image the captured update
 * @param framerate how often the area has been updated
 * @param settings the frame's settings
 * @returns the job
 */
export function encodeCaptured(
  image: CapturedImage,
  framerate: number,
  settings: ImageSettings,
): ImageJob {
  const { rect, area, raw } = image;
  const local = (r: Rect): Rect => ({ ...r, x: r.x - area.x, y: r.y - area.y });
  const mimetype = chooseFormat({
    ...settings,
    rect,
    framerate,
    pngOptimality: () => pngOptimality(wordsOf(raw), area.width, local(rect)),
  });
  const block = mimetype === 'image/jpeg' ? JPEG_BLOCK : mimetype === 'image/webp' ? WEBP_BLOCK : 1;
  const target = alignRect(rect, block, image.layerWidth, image.layerHeight);
  // The target lies inside the captured area: the encoder reads it there, without a copy.
  const data = encodeRegion(
    raw,
    area.width,
    local(target),
    settings.opaque,
    mimetype,
    settings.quality,
  );
  return { rect: target, mimetype, data };
}

/**
 * Chooses an update's format, aligns it for JPEG/WebP, copies its pixels out of the client model
 * synchronously and starts encoding.
 * @param surface the surface (its client model holds the frame's final pixels)
 * @param rect the update area
 * @param framerate how often the area has been updated
 * @param settings the frame's settings
 * @returns the job
 */
export function startImage(
  surface: Surface,
  rect: Rect,
  framerate: number,
  settings: ImageSettings,
): ImageJob {
  return encodeCaptured(captureImage(surface, rect), framerate, settings);
}

/**
 * A packed RGBA buffer as 32-bit words (copied when its offset is not word-aligned).
 * @param raw the buffer
 * @returns the words
 */
function wordsOf(raw: Buffer): Uint32Array {
  if (raw.byteOffset % 4 === 0) return new Uint32Array(raw.buffer, raw.byteOffset, raw.length / 4);
  return new Uint32Array(Uint8Array.from(raw).buffer);
}
