import type { PixelBox } from './pixel-box.js';

export interface GridOptions {
  /** Side of each square cell in pixels; omitted = a third of the frame's shorter side. */
  side?: number;
}

/** Cell starts spread evenly from 0 to `length − side`: the cells cover the axis, overlapping when it does not divide. */
function cellStarts(length: number, side: number): number[] {
  const count = Math.ceil(length / side);
  if (count <= 1) return [0];
  return Array.from({ length: count }, (_, i) => Math.round((i * (length - side)) / (count - 1)));
}

/**
 * The fixed grid of square cells used when a window shows no motion: every pixel of the frame lies in
 * at least one cell, and every cell lies inside the frame. Row by row, left to right.
 */
export function gridRegions(width: number, height: number, options: GridOptions = {}): PixelBox[] {
  if (!Number.isInteger(width) || width < 1 || !Number.isInteger(height) || height < 1) {
    throw new Error(`grid regions: the frame must be whole positive pixels, got ${width}×${height}`);
  }
  const shorter = Math.min(width, height);
  const wanted = options.side ?? Math.max(1, Math.round(shorter / 3));
  if (!Number.isInteger(wanted) || wanted < 1) throw new Error(`grid regions: side must be a whole number ≥ 1, got ${wanted}`);
  const side = Math.min(wanted, shorter);
  const boxes: PixelBox[] = [];
  for (const y of cellStarts(height, side)) {
    for (const x of cellStarts(width, side)) boxes.push({ x, y, width: side, height: side });
  }
  return boxes;
}
