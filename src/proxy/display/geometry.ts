/**
 * @module Geometry: rectangles, colours, the 8192-px and 64-px constants, bounds checks and the
 * overlap-safe block copy that the surface uses.
 */

/** The largest width or height a surface may have (guacd's limit). */
export const MAX_DIMENSION = 8192;

/** The side of one dirty-tracking cell, in pixels (guacd's `GUAC_DISPLAY_CELL_SIZE`). */
export const CELL_SIZE = 64;

/** An axis-aligned rectangle in pixels. */
export interface Rect {
  readonly x: number;
  readonly y: number;
  readonly width: number;
  readonly height: number;
}

/** An RGBA colour, each channel 0–255. */
export interface Color {
  readonly r: number;
  readonly g: number;
  readonly b: number;
  readonly a: number;
}

/** A CopyRect recorded for the pending frame: `src` is copied to (`dstX`, `dstY`) on the client. */
export interface CopyOp {
  readonly src: Rect;
  readonly dstX: number;
  readonly dstY: number;
}

/**
 * Checks that a value is a non-negative integer no larger than `max`.
 * @param name what the value is, for the error message
 * @param value the value
 * @param max the largest allowed value
 */
export function checkInt(name: string, value: number, max: number): void {
  if (!Number.isSafeInteger(value) || value < 0 || value > max) {
    throw new RangeError(`${name} must be an integer in [0, ${max}], got ${value}`);
  }
}

/**
 * Checks a width and height for a surface or cursor: integers in 1…8192.
 * @param width the width
 * @param height the height
 */
export function checkDimensions(width: number, height: number): void {
  for (const [name, value] of [
    ['width', width],
    ['height', height],
  ] as const) {
    if (!Number.isSafeInteger(value) || value < 1 || value > MAX_DIMENSION) {
      throw new RangeError(`${name} must be an integer in [1, ${MAX_DIMENSION}], got ${value}`);
    }
  }
}

/**
 * Copies a rectangle within one RGBA buffer, correct for overlapping areas.
 * @param buffer the buffer
 * @param width its width in pixels
 * @param src the source rectangle
 * @param dstX the destination column
 * @param dstY the destination row
 */
export function blit(
  buffer: Uint8Array,
  width: number,
  src: Rect,
  dstX: number,
  dstY: number,
): void {
  const rowBytes = src.width * 4;
  const down = dstY > src.y;
  for (let i = 0; i < src.height; i++) {
    const row = down ? src.height - 1 - i : i;
    const from = ((src.y + row) * width + src.x) * 4;
    buffer.copyWithin(((dstY + row) * width + dstX) * 4, from, from + rowBytes);
  }
}
