/**
 * @module Drawing instructions: the Guacamole protocol text the display emits (`size`, `copy`,
 * `rect`, `cfill`, `img`, `blob`, `end`, `cursor`, `sync`), built with the protocol's encoder.
 */
import { encodeInstruction } from '../../protocol/index.js';
import type { Color, CopyOp, Rect } from './surface.js';

/** Composite mode `GUAC_COMP_SRC` (0xC): replace the destination. */
export const COMP_SRC = 0xc;
/** Composite mode `GUAC_COMP_OVER` (0xE): draw over the destination; guacd's mode for drawing. */
export const COMP_OVER = 0xe;
/** The default (visible) layer. */
export const DEFAULT_LAYER = 0;
/** The hidden buffer holding the cursor image. */
export const CURSOR_BUFFER = -1;
/**
 * Raw bytes per `blob`: 4536 bytes are 6048 base64 characters, the project's blob limit (guacd cuts
 * at 6048 raw bytes, 8064 characters).
 */
export const BLOB_MAX_BYTES = 4536;
/** The base64 length of a full blob: 4536 bytes are 1512 groups of 3, 6048 characters. */
const BLOB_CHARS = (BLOB_MAX_BYTES / 3) * 4;

/**
 * Encodes an instruction whose arguments may be numbers.
 * @param opcode the opcode
 * @param args the arguments
 * @returns the wire text
 */
function instruction(opcode: string, ...args: readonly (number | string)[]): string {
  return encodeInstruction(opcode, ...args.map(String));
}

/**
 * `size`: sets a layer's size.
 * @param layer the layer index
 * @param width the width
 * @param height the height
 * @returns the wire text
 */
export function sizeInstruction(layer: number, width: number, height: number): string {
  return instruction('size', layer, width, height);
}

/**
 * `copy` within the default layer with `GUAC_COMP_OVER`, as guacd sends it.
 * @param op the recorded copy
 * @returns the wire text
 */
export function copyInstruction(op: CopyOp): string {
  const { src } = op;
  const layer = DEFAULT_LAYER;
  return instruction(
    'copy',
    layer,
    src.x,
    src.y,
    src.width,
    src.height,
    COMP_OVER,
    layer,
    op.dstX,
    op.dstY,
  );
}

/**
 * `rect` + `cfill` (`GUAC_COMP_OVER`): fills an area of the default layer with one colour.
 * @param rect the area
 * @param color the colour
 * @returns the wire text of both instructions
 */
export function fillInstructions(rect: Rect, color: Color): string {
  return (
    instruction('rect', DEFAULT_LAYER, rect.x, rect.y, rect.width, rect.height) +
    instruction('cfill', COMP_OVER, DEFAULT_LAYER, color.r, color.g, color.b, color.a)
  );
}

/**
 * `img` + `blob`s + `end`: one encoded image on one stream.
 * @param stream the stream index
 * @param mask the composite mode
 * @param layer the layer index
 * @param mimetype the image mimetype
 * @param x the destination column
 * @param y the destination row
 * @param data the encoded image
 * @returns the wire text
 */
export function imageInstructions(
  stream: number,
  mask: number,
  layer: number,
  mimetype: string,
  x: number,
  y: number,
  data: Uint8Array,
): string {
  let text = instruction('img', stream, mask, layer, mimetype, x, y);
  // One base64 conversion for the whole image; BLOB_MAX_BYTES is a multiple of 3, so cutting the
  // text every BLOB_CHARS characters gives exactly the blobs of BLOB_MAX_BYTES-byte chunks.
  const base64 = Buffer.from(data.buffer, data.byteOffset, data.byteLength).toString('base64');
  const streamArg = `${String(stream).length}.${stream},`;
  for (let at = 0; at < base64.length; at += BLOB_CHARS) {
    const chunk = base64.slice(at, at + BLOB_CHARS);
    // Base64 is ASCII, so its length is its code-point count (what encodeInstruction would scan for).
    text += `4.blob,${streamArg}${chunk.length}.${chunk};`;
  }
  return text + instruction('end', stream);
}

/**
 * `cursor`: uses an area of a buffer as the mouse cursor.
 * @param hotspotX the hotspot column
 * @param hotspotY the hotspot row
 * @param width the cursor width
 * @param height the cursor height
 * @returns the wire text (source: the cursor buffer at 0,0)
 */
export function cursorInstruction(
  hotspotX: number,
  hotspotY: number,
  width: number,
  height: number,
): string {
  return instruction('cursor', hotspotX, hotspotY, CURSOR_BUFFER, 0, 0, width, height);
}

/**
 * `sync`: ends a frame.
 * @param timestamp the frame's timestamp in milliseconds
 * @param frames how many remote frames it combines
 * @returns the wire text
 */
export function syncInstruction(timestamp: number, frames: number): string {
  return instruction('sync', timestamp, frames);
}
