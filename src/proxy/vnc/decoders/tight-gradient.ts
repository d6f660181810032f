/**
 * @module Tight's gradient filter, undone in place on the wire pixels of any layout: each channel of a
 * pixel adds the prediction left + above - above-left (clamped to the channel's maximum; missing
 * neighbours are 0) modulo the channel's range, as TightVNC's and libvncclient's decoders do.
 */
import type { WireLayout } from '../pixel-reader.js';

/**
 * Undoes the gradient filter.
 * @param data `width * height` pixels of `layout.size` bytes, replaced by the unfiltered pixels
 * @param width pixels per row
 * @param height rows
 * @param layout how the wire value packs its channels
 */
export function undoGradient(
  data: Uint8Array,
  width: number,
  height: number,
  layout: WireLayout,
): void {
  const { size, bigEndian, shifts, maxima } = layout;
  const byteShift = (b: number) => 8 * (bigEndian ? size - 1 - b : b);
  let above = new Int32Array(width * 3);
  let current = new Int32Array(width * 3);
  for (let y = 0, at = 0; y < height; y++) {
    for (let x = 0; x < width; x++, at += size) {
      let value = 0;
      for (let b = 0; b < size; b++) value |= (data[at + b] as number) << byteShift(b);
      let out = 0;
      for (let c = 0; c < 3; c++) {
        const max = maxima[c] as number;
        const shift = shifts[c] as number;
        const i = x * 3 + c;
        const left = x > 0 ? (current[i - 3] as number) : 0;
        const upLeft = x > 0 ? (above[i - 3] as number) : 0;
        const predicted = Math.min(max, Math.max(0, left + (above[i] as number) - upLeft));
        const channel = (((value >>> shift) & max) + predicted) & max;
        current[i] = channel;
        out |= channel << shift;
      }
      for (let b = 0; b < size; b++) data[at + b] = (out >>> byteShift(b)) & 0xff;
    }
    [above, current] = [current, above];
  }
}
