/**
 * A per-frame curve reduced to one min/max pair per pixel column, so drawing 100,000 frames costs
 * as much as drawing the canvas width: each column covers the frames under it and its vertical
 * stroke from min to max keeps every spike visible, however narrow.
 */
export interface CurveColumns {
  min: Float32Array;
  max: Float32Array;
}

/** Frames [first, end) that column `column` of `columns` covers (at least one frame). */
export function columnFrames(column: number, columns: number, frameCount: number): { first: number; end: number } {
  const first = Math.min(frameCount - 1, Math.floor((column * frameCount) / columns));
  const end = Math.max(first + 1, Math.floor(((column + 1) * frameCount) / columns));
  return { first, end: Math.min(frameCount, end) };
}

export function curveColumns(values: ArrayLike<number>, columns: number): CurveColumns {
  const count = Math.max(0, Math.floor(columns));
  const min = new Float32Array(count);
  const max = new Float32Array(count);
  const frames = values.length;
  if (frames === 0) return { min, max };
  for (let c = 0; c < count; c++) {
    const { first, end } = columnFrames(c, count, frames);
    let lo = Infinity;
    let hi = -Infinity;
    for (let f = first; f < end; f++) {
      const v = values[f] as number;
      if (v < lo) lo = v;
      if (v > hi) hi = v;
    }
    min[c] = lo;
    max[c] = hi;
  }
  return { min, max };
}

/** The lowest and highest value of a curve (0, 0 when it is empty). */
export function curveRange(values: ArrayLike<number>): { min: number; max: number } {
  if (values.length === 0) return { min: 0, max: 0 };
  let min = Infinity;
  let max = -Infinity;
  for (let i = 0; i < values.length; i++) {
    const v = values[i] as number;
    if (v < min) min = v;
    if (v > max) max = v;
  }
  return { min, max };
}

/** The x (CSS px) of the middle of `frame` on a curve `width` wide showing `frameCount` frames. */
export function xOfFrame(frame: number, width: number, frameCount: number): number {
  return frameCount <= 0 ? 0 : ((frame + 0.5) * width) / frameCount;
}

/** The frame under x (clamped to the video). */
export function frameAtX(x: number, width: number, frameCount: number): number {
  if (frameCount <= 0 || width <= 0) return 0;
  return Math.min(frameCount - 1, Math.max(0, Math.floor((x / width) * frameCount)));
}
